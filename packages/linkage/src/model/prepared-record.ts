import { createComparator } from "../compare/create-comparator.ts";
import type { FieldComparator, RecordValues, StrongIdentifier } from "../compare/field-comparator.ts";
import type { LinkageSettings } from "./linkage-settings.ts";

/** A record as the linkage engine receives it: an id, which input it came from, raw column values. */
export interface LinkageRecord {
  readonly id: string;
  /** 0 or 1: for `link_only`, which side the record is on; 0 for `dedupe`. */
  readonly source?: number;
  readonly values: RecordValues;
}

/** A record standardised for comparison: one prepared value per comparison (undefined when missing). */
export interface PreparedRecord {
  readonly id: string;
  readonly source: number;
  readonly values: readonly unknown[];
}

/** The comparators of a settings object plus the names-swap pair, shared by training and scoring. */
export interface ComparisonPlan {
  readonly settings: LinkageSettings;
  readonly comparators: readonly FieldComparator[];
  /** Indexes of the one given-name and one family-name comparison, when both exist. */
  readonly swap: { readonly given: number; readonly family: number } | undefined;
  /** Number of levels of each comparison. */
  readonly levelCounts: readonly number[];
  prepare(record: LinkageRecord): PreparedRecord;
  /** Strong identifiers of a prepared record (for the conflict safeguard). */
  strongIdentifiers(record: PreparedRecord): StrongIdentifier[];
}

/** Builds the comparators of validated settings. Preparation is memoised per plan. */
export function createComparisonPlan(settings: LinkageSettings): ComparisonPlan {
  const comparators = settings.comparisons.map((comparison) => createComparator(comparison));
  const givens = settings.comparisons.flatMap((c, index) => (c.kind === "given_name" ? [index] : []));
  const families = settings.comparisons.flatMap((c, index) => (c.kind === "family_name" ? [index] : []));
  const swap =
    givens.length === 1 && families.length === 1 ? { given: givens[0]!, family: families[0]! } : undefined;
  const strong = comparators.flatMap((_, index) => (settings.comparisons[index]!.strong ? [index] : []));
  return {
    settings,
    comparators,
    swap,
    levelCounts: comparators.map((comparator) => comparator.levels.length),
    prepare(record) {
      const values = comparators.map((comparator) => comparator.prepare(record.values));
      return { id: record.id, source: record.source ?? 0, values };
    },
    strongIdentifiers(record) {
      const found: StrongIdentifier[] = [];
      for (const index of strong) {
        const value = record.values[index];
        if (value === undefined) continue;
        const identifier = comparators[index]!.strongIdentifier(value);
        if (identifier !== undefined) found.push(identifier);
      }
      return found;
    },
  };
}
