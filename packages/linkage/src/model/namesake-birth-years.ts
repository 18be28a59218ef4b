import type { StandardDate } from "../standardise/standardise-date.ts";
import type { StandardName } from "../standardise/standardise-name.ts";
import type { ComparisonPlan, PreparedRecord } from "./prepared-record.ts";

/** Years either side of a birth year in which another holder of the name counts as near. */
export const NAMESAKE_WINDOW_YEARS = 2;
const DAYS_IN_WINDOW = (2 * NAMESAKE_WINDOW_YEARS + 1) * 365.25;

/**
 * Birth years of the persons holding each name, for names several persons hold. A name is its
 * given and family tokens together, variant-canonical and sorted, so a names swap, a
 * transliteration or a surname written among the given names is still the same name; a person
 * is a distinct (name, birth date) among the records (day and month in either order,
 * placeholder dates left out). Years are sorted, one entry per holder.
 */
export interface NamesakeBirthYears {
  /** Distinct (name, birth date) holders counted. */
  readonly holders: number;
  readonly years: Readonly<Record<string, readonly number[]>>;
}

/** The name key of two names (either may be missing), or undefined when both are. */
export function namesakeKey(
  given: StandardName | undefined,
  family: StandardName | undefined,
): string | undefined {
  if (given === undefined && family === undefined) return undefined;
  const tokens = [...(given?.canonicalList ?? []), ...(family?.canonicalList ?? [])];
  tokens.sort();
  return tokens.join(" ");
}

/** Counts holders' birth years per name (names with one holder are left out). */
export function namesakeBirthYearsOf(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
): { namesakeBirthYears?: NamesakeBirthYears } {
  const swap = plan.swap;
  const dateIndex = plan.comparators.findIndex((comparator) => comparator.kind === "date");
  if (swap === undefined || dateIndex === -1) return {};
  // Per name: the date keys seen (a string while there is one, a set once there are more).
  const seen = new Map<string, string | Set<string>>();
  let holders = 0;
  for (const record of records) {
    const date = record.values[dateIndex] as StandardDate | undefined;
    if (date === undefined || date.placeholder) continue;
    const key = namesakeKey(
      record.values[swap.given] as StandardName | undefined,
      record.values[swap.family] as StandardName | undefined,
    );
    if (key === undefined) continue;
    const dateKey =
      date.month < date.day
        ? `${date.year}-${date.month}-${date.day}`
        : `${date.year}-${date.day}-${date.month}`;
    const held = seen.get(key);
    if (held === undefined) seen.set(key, dateKey);
    else if (typeof held === "string") {
      if (held === dateKey) continue;
      seen.set(key, new Set([held, dateKey]));
    } else {
      if (held.has(dateKey)) continue;
      held.add(dateKey);
    }
    holders += 1;
  }
  const years: Record<string, number[]> = {};
  for (const key of [...seen.keys()].sort()) {
    const held = seen.get(key)!;
    if (typeof held === "string") continue;
    years[key] = [...held]
      .map((dateKey) => Number(dateKey.slice(0, dateKey.indexOf("-"))))
      .sort((a, b) => a - b);
  }
  return { namesakeBirthYears: { holders, years } };
}

/** How precisely two birth dates agree, for the namesake cap: one day, one of two days, one year. */
export const DATE_AGREEMENT_SPANS = ["day", "two_days", "year"] as const;
export type DateAgreementSpan = (typeof DATE_AGREEMENT_SPANS)[number];

/**
 * The chance that another holder of the name agrees on the birth date as closely as the pair
 * does: the holders born within `NAMESAKE_WINDOW_YEARS` of `year`, less the person themself,
 * spread over the window (a day of it, two days, or one of its years). 0 for a name held by one
 * person; at most 0.99.
 */
export function namesakeCollisionChance(
  sortedYears: readonly number[] | undefined,
  year: number,
  span: DateAgreementSpan = "day",
): number {
  if (sortedYears === undefined) return 0;
  const near = countBetween(sortedYears, year - NAMESAKE_WINDOW_YEARS, year + NAMESAKE_WINDOW_YEARS);
  if (near <= 1) return 0;
  const share =
    span === "day"
      ? 1 / DAYS_IN_WINDOW
      : span === "two_days"
        ? 2 / DAYS_IN_WINDOW
        : 1 / (2 * NAMESAKE_WINDOW_YEARS + 1);
  return Math.min(0.99, (near - 1) * share);
}

function countBetween(sorted: readonly number[], low: number, high: number): number {
  return lowerBound(sorted, high + 1) - lowerBound(sorted, low);
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
