import type { StandardDate } from "../standardise/standardise-date.ts";
import type { StandardName } from "../standardise/standardise-name.ts";
import type { TermFrequencyTable } from "./linkage-model.ts";
import type { ComparisonPlan, PreparedRecord } from "./prepared-record.ts";

// Values held by fewer records than this are left out of the artefact (they count as 1): it
// keeps a model trained on millions of records to a size a person can open and read.
const MINIMUM_STORED_COUNT = 2;

/**
 * Counts, per term-frequency-adjusted comparison, how many records hold each value key (exact
 * spelling, and canonical spelling for names).
 */
export function countTermFrequencies(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
): Record<string, TermFrequencyTable> {
  const tables: Record<string, TermFrequencyTable> = {};
  plan.comparators.forEach((comparator, index) => {
    const adjustedLevels = [1, 2].filter((level) => level < comparator.levels.length);
    const probe = records.find((record) => record.values[index] !== undefined)?.values[index];
    if (probe === undefined) return;
    const levels = adjustedLevels.filter((level) => comparator.termFrequencyKey(probe, level) !== undefined);
    if (levels.length === 0) return;
    const counts = new Map<string, number>();
    let present = 0;
    for (const record of records) {
      const value = record.values[index];
      if (value === undefined) continue;
      present += 1;
      for (const level of levels) {
        const key = comparator.termFrequencyKey(value, level)!;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const kept: Record<string, number> = {};
    const sorted = [...counts].filter(([, count]) => count >= MINIMUM_STORED_COUNT).sort(byKey);
    for (const [key, count] of sorted) kept[key] = count;
    tables[plan.settings.comparisons[index]!.name] = { records: present, counts: kept };
  });
  return tables;
}

function byKey(left: [string, number], right: [string, number]): number {
  return left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : 0;
}

/** The full-name frequency table (given and family name together), when the plan has both. */
export function fullNameFrequenciesOf(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
): { fullNameFrequencies?: TermFrequencyTable } {
  if (plan.swap === undefined) return {};
  const counts = new Map<string, number>();
  let present = 0;
  for (const record of records) {
    const key = fullNameKey(record.values[plan.swap.given], record.values[plan.swap.family]);
    if (key === undefined) continue;
    present += 1;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const kept: Record<string, number> = {};
  for (const [key, count] of [...counts].filter(([, count]) => count >= MINIMUM_STORED_COUNT).sort(byKey))
    kept[key] = count;
  return { fullNameFrequencies: { records: present, counts: kept } };
}

/** `given family`, folded, or undefined when either is missing. */
export function fullNameKey(given: unknown, family: unknown): string | undefined {
  if (given === undefined || family === undefined) return undefined;
  return `${(given as StandardName).folded} ${(family as StandardName).folded}`;
}

/**
 * How many persons hold each full name: distinct birth dates among the records carrying it (day
 * and month read in either order, so a swapped date is not a second person; placeholder dates
 * left out, since they say little of who holds them). Without a date column every record counts
 * as a holder. Names held by fewer than two are left out of the table (they count as one).
 */
export function fullNameHoldersOf(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
): { fullNameHolders?: TermFrequencyTable } {
  if (plan.swap === undefined) return {};
  const dateIndex = plan.comparators.findIndex((comparator) => comparator.kind === "date");
  // Per full name: its holders' count without a date column; else its one birth date, or the set
  // of them once a second appears (most names have one holder: no set for them).
  const holdersOf = new Map<string, number | string | Set<string>>();
  let holders = 0;
  for (const record of records) {
    const key = fullNameKey(record.values[plan.swap.given], record.values[plan.swap.family]);
    if (key === undefined) continue;
    const held = holdersOf.get(key);
    if (dateIndex === -1) {
      holders += 1;
      holdersOf.set(key, typeof held === "number" ? held + 1 : 1);
      continue;
    }
    const date = record.values[dateIndex] as StandardDate | undefined;
    if (date === undefined || date.placeholder) continue;
    const dateKey =
      date.month < date.day
        ? `${date.year}-${date.month}-${date.day}`
        : `${date.year}-${date.day}-${date.month}`;
    if (held === undefined) holdersOf.set(key, dateKey);
    else if (typeof held === "string") {
      if (held === dateKey) continue;
      holdersOf.set(key, new Set([held, dateKey]));
    } else if (typeof held === "object") {
      if (held.has(dateKey)) continue;
      held.add(dateKey);
    } else continue;
    holders += 1;
  }
  const counts = new Map<string, number>();
  for (const [key, held] of holdersOf) {
    const count = typeof held === "number" ? held : typeof held === "string" ? 1 : held.size;
    if (count >= MINIMUM_STORED_COUNT) counts.set(key, count);
  }
  const kept: Record<string, number> = {};
  for (const [key, count] of [...counts].sort(byKey)) kept[key] = count;
  return { fullNameHolders: { records: holders, counts: kept } };
}
