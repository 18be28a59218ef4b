import type { ComparisonSettings, KeyTransform } from "../model/linkage-settings.ts";
import { compactIdentifier } from "../standardise/fold-text.ts";
import { standardiseIdentifier, toleratesTypos } from "../standardise/standardise-identifier.ts";
import { damerauLevenshteinDistance } from "./damerau-levenshtein.ts";
import { type FieldComparator, MISSING_LEVEL, type RecordValues } from "./field-comparator.ts";

/** Identifier levels, strongest first. */
export const IDENTIFIER_LEVELS = [
  MISSING_LEVEL,
  { label: "exact", description: "same identifier", startingM: 0.9, startingU: 1e-5 },
  {
    label: "typo",
    description: "one character wrong, missing or transposed",
    startingM: 0.04,
    startingU: 1e-4,
  },
  { label: "conflict", description: "different identifiers", startingM: 0.06, startingU: 0.99989 },
] as const;

export const IDENTIFIER_LEVEL = { missing: 0, exact: 1, typo: 2, conflict: 3 };

/** An identifier with the scope it is meaningful in (a passport's issuing country), if any. */
export interface ScopedIdentifier {
  readonly scope: string | undefined;
  readonly value: string;
}

/**
 * A comparator for `identifier` columns. A scoped identifier (passport number) compared with
 * one of a different scope is missing evidence, not a conflict: a person may hold passports of
 * two countries. An identifier a person holds many of (`manyPerPerson`: a court case number)
 * compared with a different one is missing evidence too: only agreement says anything.
 */
export function createIdentifierComparator(settings: ComparisonSettings): FieldComparator<ScopedIdentifier> {
  const scheme = settings.scheme ?? "generic";
  const typos = toleratesTypos(scheme);
  const missing = new Set((settings.missingValues ?? []).map((value) => compactIdentifier(value)));
  return {
    kind: "identifier",
    levels: IDENTIFIER_LEVELS,
    corroborating: true,
    prepare(values: RecordValues) {
      const raw = values[settings.column];
      if (raw === undefined || raw === "") return undefined;
      const value = standardiseIdentifier(raw, scheme);
      if (value === undefined || missing.has(value)) return undefined;
      const scopeRaw = settings.scopeColumn === undefined ? undefined : values[settings.scopeColumn];
      const scope = scopeRaw === undefined || scopeRaw === "" ? undefined : compactIdentifier(scopeRaw);
      return { scope, value };
    },
    compare(left, right) {
      if (left.scope !== undefined && right.scope !== undefined && left.scope !== right.scope) {
        return IDENTIFIER_LEVEL.missing;
      }
      if (left.value === right.value) return IDENTIFIER_LEVEL.exact;
      if (settings.manyPerPerson) return IDENTIFIER_LEVEL.missing;
      if (typos && damerauLevenshteinDistance(left.value, right.value, 1) <= 1) return IDENTIFIER_LEVEL.typo;
      return IDENTIFIER_LEVEL.conflict;
    },
    termFrequencyKey: () => undefined,
    blockingKey(value, transform: KeyTransform) {
      // The number alone, without its scope: a record that lost its passport's country must
      // still meet the records holding the same number (compare then reads the scopes; two
      // countries' equal numbers share a block and score as missing evidence).
      if (transform === "value") return value.value;
      if (transform === "prefix") return value.value.slice(0, 4);
      // The issuing country: persons of one name holding passports of one country meet, so a
      // renewed passport's record (a different number) is scored against its holder's others.
      if (transform === "scope") return value.scope;
      return undefined;
    },
    strongIdentifier(value) {
      if (!settings.strong) return undefined;
      // A scoped identifier without its scope keeps the bare scheme name, which conflicts with a
      // different number of any scope (see `strongIdentifiersConflict`).
      return {
        scheme: value.scope === undefined ? settings.name : `${settings.name}:${value.scope}`,
        value: value.value,
        toleratesTypos: typos,
      };
    },
  };
}
