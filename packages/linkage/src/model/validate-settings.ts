import { LinkageErrors } from "../linkage-errors.ts";
import { DATE_FORMATS, isDateFormat } from "../standardise/standardise-date.ts";
import { IDENTIFIER_SCHEMES, type IdentifierScheme } from "../standardise/standardise-identifier.ts";
import {
  type BlockingKeyPart,
  type BlockingRule,
  type CautiousReview,
  COMPARISON_KINDS,
  type ComparisonKind,
  type ComparisonSettings,
  KEY_TRANSFORMS,
  type KeyTransform,
  LINK_TYPES,
  type LinkageSettings,
  type LinkType,
} from "./linkage-settings.ts";
import type { ClassPairs } from "./record-classes.ts";

const fail = (where: string, problem: string) => LinkageErrors.settingsInvalid.create(where, problem);

/** The key transforms of every name kind. */
const NAME_TRANSFORMS: readonly KeyTransform[] = [
  "value",
  "phonetic",
  "last_phonetic",
  "joined_phonetic",
  "initial",
  "prefix",
  "phonetic_pair",
];

/** Which key transforms each kind can produce. */
const TRANSFORMS_OF_KIND: Readonly<Record<ComparisonKind, readonly KeyTransform[]>> = {
  given_name: NAME_TRANSFORMS,
  family_name: NAME_TRANSFORMS,
  full_name: NAME_TRANSFORMS,
  date: ["value", "year", "month_day"],
  identifier: ["value", "prefix", "scope"],
  exact: ["value", "prefix"],
  postcode: ["value", "prefix"],
  text: ["value", "prefix"],
  number: ["value"],
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw fail(where, `${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
  }
  return value as T;
}

function probability(value: unknown, where: string): number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) {
    throw fail(where, `${JSON.stringify(value)} is not a probability strictly between 0 and 1`);
  }
  return value;
}

function nonNegative(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw fail(where, `${JSON.stringify(value)} is not a non-negative number`);
  }
  return value;
}

function text(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "") throw fail(where, "must be a non-empty string");
  return value;
}

/** Validates one comparison (kind-specific options included). */
export function validateComparison(value: unknown, where: string): ComparisonSettings {
  if (!isRecord(value)) throw fail(where, "must be an object");
  const kind = oneOf(value.kind, COMPARISON_KINDS, `${where}.kind`);
  const name = text(value.name, `${where}.name`);
  const column = text(value.column, `${where}.column`);
  const result: { -readonly [K in keyof ComparisonSettings]: ComparisonSettings[K] } = { name, kind, column };
  if (kind === "date") {
    const format = value.format ?? "YYYY-MM-DD";
    if (typeof format !== "string" || !isDateFormat(format)) {
      throw fail(`${where}.format`, `${JSON.stringify(format)} is not one of ${DATE_FORMATS.join(", ")}`);
    }
    result.format = format;
  } else if (value.format !== undefined) {
    throw fail(`${where}.format`, `only a date comparison takes a format (this one is ${kind})`);
  }
  if (kind === "identifier") {
    result.scheme = oneOf<IdentifierScheme>(value.scheme ?? "generic", IDENTIFIER_SCHEMES, `${where}.scheme`);
    if (value.scopeColumn !== undefined) result.scopeColumn = text(value.scopeColumn, `${where}.scopeColumn`);
    if (value.strong !== undefined) {
      if (typeof value.strong !== "boolean") throw fail(`${where}.strong`, "must be true or false");
      result.strong = value.strong;
    }
    if (value.manyPerPerson !== undefined) {
      if (typeof value.manyPerPerson !== "boolean")
        throw fail(`${where}.manyPerPerson`, "must be true or false");
      if (value.manyPerPerson && result.strong === true) {
        throw fail(
          `${where}.manyPerPerson`,
          "a strong identifier has one value per person; it cannot also be held many times over",
        );
      }
      result.manyPerPerson = value.manyPerPerson;
    }
  } else {
    for (const option of ["scheme", "scopeColumn", "strong", "manyPerPerson"]) {
      if (value[option] !== undefined) {
        throw fail(
          `${where}.${option}`,
          `only an identifier comparison takes ${option} (this one is ${kind})`,
        );
      }
    }
  }
  if (value.termFrequency !== undefined) {
    if (typeof value.termFrequency !== "boolean")
      throw fail(`${where}.termFrequency`, "must be true or false");
    result.termFrequency = value.termFrequency;
  }
  if (value.corroborates !== undefined) {
    if (typeof value.corroborates !== "boolean") throw fail(`${where}.corroborates`, "must be true or false");
    if (value.corroborates && (kind.endsWith("_name") || kind === "date")) {
      throw fail(
        `${where}.corroborates`,
        `a ${kind} cannot corroborate: the safeguard asks for evidence beyond names and dates`,
      );
    }
    result.corroborates = value.corroborates;
  }
  if (value.dependsOnFamilyName !== undefined) {
    if (typeof value.dependsOnFamilyName !== "boolean")
      throw fail(`${where}.dependsOnFamilyName`, "must be true or false");
    result.dependsOnFamilyName = value.dependsOnFamilyName;
  }
  if (value.followsName !== undefined) {
    if (typeof value.followsName !== "boolean") throw fail(`${where}.followsName`, "must be true or false");
    if (value.followsName && (kind.endsWith("_name") || kind === "date")) {
      throw fail(`${where}.followsName`, `a ${kind} is itself a name or date: it cannot follow the name`);
    }
    result.followsName = value.followsName;
  }
  if (value.missingValues !== undefined) {
    if (
      !Array.isArray(value.missingValues) ||
      value.missingValues.some((entry) => typeof entry !== "string")
    ) {
      throw fail(`${where}.missingValues`, "must be a list of strings");
    }
    result.missingValues = value.missingValues as string[];
  }
  return result;
}

/** Parses a key part's text form `transform:comparison` (or `phonetic_pair:given,family`). */
export function parseKeyPart(value: unknown, where: string): BlockingKeyPart {
  if (isRecord(value)) {
    const transform = oneOf(value.transform, KEY_TRANSFORMS, `${where}.transform`);
    const comparisons = value.comparisons;
    if (!Array.isArray(comparisons) || comparisons.some((entry) => typeof entry !== "string")) {
      throw fail(`${where}.comparisons`, "must be a list of comparison names");
    }
    return { transform, comparisons: comparisons as string[] };
  }
  const partText = text(value, where);
  const separator = partText.indexOf(":");
  if (separator <= 0) {
    throw fail(where, `"${partText}" is not of the form transform:comparison (e.g. phonetic:surname)`);
  }
  const transform = oneOf(partText.slice(0, separator).trim(), KEY_TRANSFORMS, `${where} transform`);
  const comparisons = partText
    .slice(separator + 1)
    .split(",")
    .map((name) => name.trim());
  return { transform, comparisons };
}

function validateRule(
  value: unknown,
  where: string,
  comparisons: readonly ComparisonSettings[],
): BlockingRule {
  const partsOf = (list: unknown, at: string): BlockingKeyPart[] => {
    if (!Array.isArray(list)) throw fail(at, "must be a list of key parts");
    return list.map((part, index) =>
      checkPart(parseKeyPart(part, `${at}[${index}]`), `${at}[${index}]`, comparisons),
    );
  };
  if (Array.isArray(value) || typeof value === "string") {
    const parts = partsOf(typeof value === "string" ? value.split("&") : value, where);
    if (parts.length === 0) throw fail(where, "a blocking rule needs at least one key part");
    return { name: describeParts(parts), parts, refinements: [] };
  }
  if (!isRecord(value)) throw fail(where, "must be a list of key parts or an object with parts");
  const parts = partsOf(value.parts, `${where}.parts`);
  if (parts.length === 0) throw fail(`${where}.parts`, "a blocking rule needs at least one key part");
  const refinements =
    value.refinements === undefined ? [] : partsOf(value.refinements, `${where}.refinements`);
  const name = value.name === undefined ? describeParts(parts) : text(value.name, `${where}.name`);
  return {
    name,
    parts,
    refinements,
    ...(value.blockSizeCap !== undefined && {
      blockSizeCap: wholeCap(value.blockSizeCap, `${where}.blockSizeCap`),
    }),
    ...(value.classPairs !== undefined && {
      classPairs: classPairsOf(value.classPairs, `${where}.classPairs`),
    }),
  };
}

function checkPart(
  part: BlockingKeyPart,
  where: string,
  comparisons: readonly ComparisonSettings[],
): BlockingKeyPart {
  const expected = part.transform === "phonetic_pair" ? 2 : 1;
  if (part.comparisons.length !== expected) {
    throw fail(where, `${part.transform} takes ${expected} comparison name${expected === 1 ? "" : "s"}`);
  }
  for (const name of part.comparisons) {
    const comparison = comparisons.find((candidate) => candidate.name === name);
    if (comparison === undefined) {
      throw fail(
        where,
        `no comparison named "${name}" (known: ${comparisons.map((c) => c.name).join(", ")})`,
      );
    }
    if (!TRANSFORMS_OF_KIND[comparison.kind].includes(part.transform)) {
      throw fail(
        where,
        `transform ${part.transform} does not apply to ${comparison.kind} "${name}" (use ${TRANSFORMS_OF_KIND[comparison.kind].join(", ")})`,
      );
    }
  }
  return part;
}

/** A rule's readable name: its parts joined by ` & `. */
export function describeParts(parts: readonly BlockingKeyPart[]): string {
  return parts.map((part) => `${part.transform}:${part.comparisons.join(",")}`).join(" & ");
}

/** Checks a full settings object (as stored in a model artefact) and returns it typed. */
export function validateLinkageSettingsOrThrow(value: unknown, where = "settings"): LinkageSettings {
  if (!isRecord(value)) throw fail(where, "must be an object");
  const linkType = oneOf<LinkType>(value.linkType, LINK_TYPES, `${where}.linkType`);
  if (!Array.isArray(value.comparisons) || value.comparisons.length === 0) {
    throw fail(`${where}.comparisons`, "must list at least one comparison");
  }
  const comparisons = value.comparisons.map((entry, index) =>
    validateComparison(entry, `${where}.comparisons[${index}]`),
  );
  const seen = new Set<string>();
  for (const comparison of comparisons) {
    if (seen.has(comparison.name))
      throw fail(`${where}.comparisons`, `two comparisons are named "${comparison.name}"`);
    seen.add(comparison.name);
  }
  if (!Array.isArray(value.blockingRules) || value.blockingRules.length === 0) {
    throw fail(`${where}.blockingRules`, "must list at least one blocking rule");
  }
  if (value.blockingRules.length > 255) throw fail(`${where}.blockingRules`, "at most 255 rules");
  const blockingRules = value.blockingRules.map((rule, index) =>
    validateRule(rule, `${where}.blockingRules[${index}]`, comparisons),
  );
  const thresholds = isRecord(value.thresholds) ? value.thresholds : {};
  const autoLinkProbability = probability(
    thresholds.autoLinkProbability,
    `${where}.thresholds.autoLinkProbability`,
  );
  const reviewProbability = probability(
    thresholds.reviewProbability,
    `${where}.thresholds.reviewProbability`,
  );
  if (reviewProbability > autoLinkProbability) {
    throw fail(`${where}.thresholds`, "reviewProbability must not exceed autoLinkProbability");
  }
  const cautiousReview =
    thresholds.cautiousReview === undefined
      ? undefined
      : validateCautiousReview(
          thresholds.cautiousReview,
          `${where}.thresholds.cautiousReview`,
          reviewProbability,
        );
  const safeguards = isRecord(value.safeguards) ? value.safeguards : {};
  if (typeof safeguards.requireCorroboration !== "boolean") {
    throw fail(`${where}.safeguards.requireCorroboration`, "must be true or false");
  }
  const cap = wholeCap(value.blockSizeCap, `${where}.blockSizeCap`);
  return {
    linkType,
    comparisons,
    blockingRules,
    blockSizeCap: cap,
    thresholds: { autoLinkProbability, reviewProbability, ...(cautiousReview && { cautiousReview }) },
    safeguards: {
      requireCorroboration: safeguards.requireCorroboration,
      minimumCorroboratingWeight: nonNegative(
        safeguards.minimumCorroboratingWeight,
        `${where}.safeguards.minimumCorroboratingWeight`,
      ),
    },
    maximumTermFrequencyBonus: nonNegative(
      value.maximumTermFrequencyBonus,
      `${where}.maximumTermFrequencyBonus`,
    ),
  };
}

/** Cautious review: a threshold at or below the review threshold and pairs of non-empty classes. */
function validateCautiousReview(value: unknown, where: string, reviewProbability: number): CautiousReview {
  if (!isRecord(value)) throw fail(where, "must be an object");
  const threshold = probability(value.reviewProbability, `${where}.reviewProbability`);
  if (threshold > reviewProbability) {
    throw fail(
      where,
      `reviewProbability ${threshold} must not exceed the review threshold ${reviewProbability}`,
    );
  }
  const classPairs = classPairsOf(value.classPairs, `${where}.classPairs`);
  return { reviewProbability: threshold, classPairs };
}

/** At least one pair of record classes, each non-empty and without ":". */
function classPairsOf(value: unknown, where: string): ClassPairs {
  if (!Array.isArray(value) || value.length === 0) {
    throw fail(where, "must list at least one pair of record classes");
  }
  return value.map((pair, index): readonly [string, string] => {
    const valid =
      Array.isArray(pair) &&
      pair.length === 2 &&
      pair.every((name) => typeof name === "string" && name !== "" && !name.includes(":"));
    if (!valid) {
      throw fail(
        `${where}[${index}]`,
        `${JSON.stringify(pair)} is not two record classes (non-empty, without ":")`,
      );
    }
    return [pair[0], pair[1]];
  });
}

/** A block size cap: a whole number of at least 2. */
function wholeCap(cap: unknown, where: string): number {
  if (typeof cap !== "number" || !Number.isInteger(cap) || cap < 2) {
    throw fail(where, `${JSON.stringify(cap)} is not a whole number of at least 2`);
  }
  return cap;
}
