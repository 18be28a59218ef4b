import type { ComparisonSettings, KeyTransform } from "../model/linkage-settings.ts";
import { type StandardDate, standardiseDate } from "../standardise/standardise-date.ts";
import { type FieldComparator, MISSING_LEVEL, memoise, type RecordValues } from "./field-comparator.ts";

/** Date levels, strongest first. */
export const DATE_LEVELS = [
  MISSING_LEVEL,
  { label: "exact", description: "same date", startingM: 0.85, startingU: 5e-4 },
  {
    label: "placeholder",
    description: "same placeholder date (1 January, or 1900 and earlier): weak evidence",
    startingM: 0.02,
    startingU: 1e-4,
  },
  { label: "day_month_swap", description: "day and month swapped", startingM: 0.03, startingU: 1e-4 },
  {
    label: "typo",
    description: "one digit wrong or transposed, or within 3 days",
    startingM: 0.04,
    startingU: 0.002,
  },
  { label: "year_off", description: "same day and month, year one apart", startingM: 0.02, startingU: 1e-4 },
  {
    label: "placeholder_year",
    description: "one date is a placeholder in the other's year: only the year is evidence",
    startingM: 0.02,
    startingU: 0.002,
  },
  { label: "same_year", description: "different dates within a year", startingM: 0.02, startingU: 0.03 },
  { label: "different", description: "different dates", startingM: 0.02, startingU: 0.9652 },
] as const;

export const DATE_LEVEL = {
  missing: 0,
  exact: 1,
  placeholder: 2,
  swap: 3,
  typo: 4,
  yearOff: 5,
  placeholderYear: 6,
  sameYear: 7,
  different: 8,
};

/** Compares two standardised dates. */
export function compareDates(left: StandardDate, right: StandardDate): number {
  if (left === right || left.dayNumber === right.dayNumber) {
    return left.placeholder ? DATE_LEVEL.placeholder : DATE_LEVEL.exact;
  }
  if (left.placeholder || right.placeholder) {
    return left.year === right.year ? DATE_LEVEL.placeholderYear : DATE_LEVEL.different;
  }
  if (left.year === right.year && left.month === right.day && left.day === right.month) {
    return DATE_LEVEL.swap;
  }
  if (Math.abs(left.dayNumber - right.dayNumber) <= 3 || withinOneEdit(left.digits, right.digits)) {
    return DATE_LEVEL.typo;
  }
  if (left.month === right.month && left.day === right.day && Math.abs(left.year - right.year) === 1) {
    return DATE_LEVEL.yearOff;
  }
  if (left.year === right.year || Math.abs(left.dayNumber - right.dayNumber) <= 366) {
    return DATE_LEVEL.sameYear;
  }
  return DATE_LEVEL.different;
}

/** A comparator for `date` columns in a declared format. */
export function createDateComparator(settings: ComparisonSettings): FieldComparator<StandardDate> {
  const format = settings.format ?? "YYYY-MM-DD";
  const standardise = memoise((raw: string) => standardiseDate(raw, format));
  return {
    kind: "date",
    levels: DATE_LEVELS,
    corroborating: false,
    prepare(values: RecordValues) {
      const raw = values[settings.column];
      return raw === undefined || raw === "" ? undefined : standardise(raw);
    },
    compare: compareDates,
    termFrequencyKey: () => undefined,
    blockingKey(value, transform: KeyTransform) {
      switch (transform) {
        case "value":
          return value.digits;
        case "year":
          return String(value.year);
        case "month_day":
          // 1 January is what systems write for "unknown": as a key it would gather thousands.
          if (value.placeholder) return undefined;
          // Sorted, so a day/month swap keys the same: 03-07 and 07-03 both give 3-7.
          return value.month < value.day ? `${value.month}-${value.day}` : `${value.day}-${value.month}`;
        default:
          return undefined;
      }
    },
    strongIdentifier: () => undefined,
  };
}

/**
 * Whether two strings of equal length differ by at most one substitution or one transposition
 * of neighbours: Damerau-Levenshtein distance at most 1 for `YYYYMMDD` digits, without the table.
 */
export function withinOneEdit(left: string, right: string): boolean {
  if (left.length !== right.length) return false;
  let first = -1;
  let mismatches = 0;
  for (let index = 0; index < left.length; index += 1) {
    if (left.charCodeAt(index) === right.charCodeAt(index)) continue;
    mismatches += 1;
    if (mismatches === 1) first = index;
    else if (mismatches > 2) return false;
  }
  if (mismatches <= 1) return true;
  return (
    left.charCodeAt(first) === right.charCodeAt(first + 1) &&
    left.charCodeAt(first + 1) === right.charCodeAt(first) &&
    left.charCodeAt(first + 1) !== right.charCodeAt(first + 1)
  );
}
