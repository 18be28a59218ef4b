import type { ComparisonSettings, KeyTransform } from "../model/linkage-settings.ts";
import { foldText } from "../standardise/fold-text.ts";
import { damerauLevenshteinDistance } from "./damerau-levenshtein.ts";
import { type FieldComparator, MISSING_LEVEL, memoise, type RecordValues } from "./field-comparator.ts";
import { jaroWinklerSimilarity } from "./jaro-winkler.ts";

function readFolded(settings: ComparisonSettings): (values: RecordValues) => string | undefined {
  const missing = new Set((settings.missingValues ?? []).map((value) => foldText(value)));
  const fold = memoise((raw: string) => {
    const folded = foldText(raw);
    return folded === "" || missing.has(folded) ? undefined : folded;
  });
  return (values) => {
    const raw = values[settings.column];
    return raw === undefined || raw === "" ? undefined : fold(raw);
  };
}

const noStrongIdentifier = () => undefined;

/** `exact`: categorical values (sex, nationality, country of birth) that agree or not. */
export function createExactComparator(settings: ComparisonSettings): FieldComparator<string> {
  return {
    kind: "exact",
    levels: [
      MISSING_LEVEL,
      { label: "exact", description: "same value", startingM: 0.95, startingU: 0.5 },
      { label: "different", description: "different values", startingM: 0.05, startingU: 0.5 },
    ],
    corroborating: true,
    prepare: readFolded(settings),
    compare: (left, right) => (left === right ? 1 : 2),
    termFrequencyKey: (value, level) => (level === 1 ? value : undefined),
    blockingKey: (value, transform: KeyTransform) =>
      transform === "value" ? value : transform === "prefix" ? value.slice(0, 3) : undefined,
    strongIdentifier: noStrongIdentifier,
  };
}

/** `postcode`: exact, one typo, same district (the part before the space, or the first 3 characters). */
export function createPostcodeComparator(settings: ComparisonSettings): FieldComparator<string> {
  const read = readFolded(settings);
  return {
    kind: "postcode",
    levels: [
      MISSING_LEVEL,
      { label: "exact", description: "same postcode", startingM: 0.85, startingU: 0.01 },
      { label: "typo", description: "one character wrong or transposed", startingM: 0.05, startingU: 0.005 },
      { label: "district", description: "same district", startingM: 0.05, startingU: 0.05 },
      { label: "different", description: "different postcodes", startingM: 0.05, startingU: 0.935 },
    ],
    corroborating: true,
    prepare: read,
    compare(left, right) {
      if (left === right) return 1;
      const leftCompact = left.replace(/ /g, "");
      const rightCompact = right.replace(/ /g, "");
      if (leftCompact === rightCompact) return 1;
      if (damerauLevenshteinDistance(leftCompact, rightCompact, 1) <= 1) return 2;
      if (district(left) === district(right)) return 3;
      return 4;
    },
    termFrequencyKey: () => undefined,
    blockingKey: (value, transform: KeyTransform) =>
      transform === "value" ? value.replace(/ /g, "") : transform === "prefix" ? district(value) : undefined,
    strongIdentifier: noStrongIdentifier,
  };
}

function district(postcode: string): string {
  const space = postcode.indexOf(" ");
  return space > 0 ? postcode.slice(0, space) : postcode.slice(0, 3);
}

/** `text`: free text compared by Jaro-Winkler after folding (street, town, employer). */
export function createTextComparator(settings: ComparisonSettings): FieldComparator<string> {
  return {
    kind: "text",
    levels: [
      MISSING_LEVEL,
      { label: "exact", description: "same text after folding", startingM: 0.8, startingU: 0.01 },
      {
        label: "close",
        description: "Jaro-Winkler similarity at least 0.90",
        startingM: 0.1,
        startingU: 0.01,
      },
      {
        label: "similar",
        description: "Jaro-Winkler similarity at least 0.75",
        startingM: 0.05,
        startingU: 0.03,
      },
      { label: "different", description: "different text", startingM: 0.05, startingU: 0.95 },
    ],
    corroborating: true,
    prepare: readFolded(settings),
    compare(left, right) {
      if (left === right) return 1;
      const similarity = jaroWinklerSimilarity(left, right);
      return similarity >= 0.9 ? 2 : similarity >= 0.75 ? 3 : 4;
    },
    termFrequencyKey: (value, level) => (level === 1 ? value : undefined),
    blockingKey: (value, transform: KeyTransform) =>
      transform === "value" ? value : transform === "prefix" ? value.slice(0, 3) : undefined,
    strongIdentifier: noStrongIdentifier,
  };
}

/** `number`: exact, within 1% (or 1), within 10%. */
export function createNumberComparator(settings: ComparisonSettings): FieldComparator<number> {
  return {
    kind: "number",
    levels: [
      MISSING_LEVEL,
      { label: "exact", description: "same number", startingM: 0.85, startingU: 0.05 },
      { label: "near", description: "within 1% (or 1)", startingM: 0.1, startingU: 0.05 },
      { label: "within_10_percent", description: "within 10%", startingM: 0.03, startingU: 0.1 },
      { label: "different", description: "different numbers", startingM: 0.02, startingU: 0.8 },
    ],
    corroborating: true,
    prepare(values: RecordValues) {
      const raw = values[settings.column]?.trim().replace(/,/g, "");
      if (raw === undefined || raw === "") return undefined;
      const value = Number(raw);
      return Number.isFinite(value) ? value : undefined;
    },
    compare(left, right) {
      if (left === right) return 1;
      const difference = Math.abs(left - right);
      const scale = Math.max(Math.abs(left), Math.abs(right));
      if (difference <= 1 || difference <= scale * 0.01) return 2;
      if (difference <= scale * 0.1) return 3;
      return 4;
    },
    termFrequencyKey: () => undefined,
    blockingKey: (value, transform: KeyTransform) => (transform === "value" ? String(value) : undefined),
    strongIdentifier: noStrongIdentifier,
  };
}
