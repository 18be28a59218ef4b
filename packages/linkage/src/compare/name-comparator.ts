import type { ComparisonKind, ComparisonSettings, KeyTransform } from "../model/linkage-settings.ts";
import { type NameRole, type StandardName, standardiseName } from "../standardise/standardise-name.ts";
import { type FieldComparator, MISSING_LEVEL, memoise, type RecordValues } from "./field-comparator.ts";
import { jaroWinklerSimilarity, jaroWinklerUpperBound } from "./jaro-winkler.ts";

/** Name levels, strongest first. Thresholds follow Splink's defaults for names (0.92 / 0.80). */
export const NAME_LEVELS = [
  MISSING_LEVEL,
  {
    label: "exact",
    description: "same name after folding case, accents and punctuation",
    startingM: 0.8,
    startingU: 0.01,
  },
  {
    label: "variant",
    description: "same name up to transliteration variants or token order (Mohammed / Muhammad)",
    startingM: 0.08,
    startingU: 0.001,
  },
  {
    label: "partial",
    description: "one name's tokens are contained in the other's (García / García López)",
    startingM: 0.05,
    startingU: 0.005,
  },
  {
    label: "close",
    description: "Jaro-Winkler similarity at least 0.92 (a typo)",
    startingM: 0.04,
    startingU: 0.003,
  },
  {
    label: "similar",
    description: "Jaro-Winkler similarity at least 0.80",
    startingM: 0.02,
    startingU: 0.01,
  },
  { label: "different", description: "different names", startingM: 0.01, startingU: 0.971 },
] as const;

export const NAME_LEVEL = {
  missing: 0,
  exact: 1,
  variant: 2,
  partial: 3,
  close: 4,
  similar: 5,
  different: 6,
};

/** Compares two standardised names; exported for the order-swap check and for tests. */
export function compareNames(left: StandardName, right: StandardName): number {
  if (left === right || left.folded === right.folded || left.joined === right.joined) return NAME_LEVEL.exact;
  if (left.canonical === right.canonical || left.joined === right.folded || left.folded === right.joined) {
    return NAME_LEVEL.variant;
  }
  if (containsAll(left, right) || containsAll(right, left)) {
    return NAME_LEVEL.partial;
  }
  let similarity = similarityAtLeast(left.folded, right.folded, left.foldedMask, right.foldedMask);
  if (similarity < 0.92 && (left.tokens.length > 1 || right.tokens.length > 1)) {
    const sorted = similarityAtLeast(
      left.sortedFolded,
      right.sortedFolded,
      left.foldedMask,
      right.foldedMask,
    );
    if (sorted > similarity) similarity = sorted;
  }
  if (similarity >= 0.92) return NAME_LEVEL.close;
  if (similarity >= 0.8) return NAME_LEVEL.similar;
  return NAME_LEVEL.different;
}

/** Jaro-Winkler similarity, or 0 when its upper bound shows it is below the lowest level (0.80). */
function similarityAtLeast(left: string, right: string, leftMask: number, rightMask: number): number {
  if (jaroWinklerUpperBound(left, right, leftMask, rightMask) < 0.8) return 0;
  return jaroWinklerSimilarity(left, right);
}

function containsAll(larger: StandardName, smaller: StandardName): boolean {
  const tokens = smaller.canonicalList;
  if (tokens.length >= larger.canonicalList.length) return false;
  for (let index = 0; index < tokens.length; index += 1)
    if (!larger.canonicalTokens.has(tokens[index]!)) return false;
  return true;
}

const ROLE_OF_KIND: Partial<Record<ComparisonKind, NameRole>> = {
  given_name: "given",
  family_name: "family",
  full_name: "full",
};

/** A comparator for `given_name`, `family_name` and `full_name` columns. */
export function createNameComparator(settings: ComparisonSettings): FieldComparator<StandardName> {
  const role = ROLE_OF_KIND[settings.kind] ?? "full";
  const standardise = memoise((raw: string) => standardiseName(raw, role));
  const missing = new Set((settings.missingValues ?? []).map((value) => value.toLowerCase()));
  const termFrequency = settings.termFrequency ?? true;
  return {
    kind: settings.kind,
    levels: NAME_LEVELS,
    corroborating: false,
    prepare(values: RecordValues) {
      const raw = values[settings.column];
      if (raw === undefined || raw === "" || missing.has(raw.toLowerCase())) return undefined;
      return standardise(raw);
    },
    compare: compareNames,
    termFrequencyKey(value, level) {
      if (!termFrequency) return undefined;
      if (level === NAME_LEVEL.exact) return value.folded;
      if (level === NAME_LEVEL.variant) return value.canonicalKey;
      return undefined;
    },
    blockingKey(value, transform: KeyTransform) {
      switch (transform) {
        case "value":
          return value.folded;
        case "phonetic":
          return value.phonetic;
        case "phonetic_pair":
          return value.pairPhonetic;
        case "last_phonetic":
          return value.lastPhonetic;
        case "joined_phonetic":
          return value.joinedPhonetic;
        case "initial":
        case "prefix":
          return value.initial;
        default:
          return undefined;
      }
    },
    strongIdentifier: () => undefined,
  };
}
