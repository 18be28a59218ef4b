/**
 * Calendar dates as whole day numbers (days since 1970-01-01), so that lifecycle arithmetic is
 * exact integer arithmetic: never rounded durations, never time zones (DOMAIN.md §1.2 "store
 * exact dates"). Conversions follow the proleptic Gregorian calendar (H. Hinnant's algorithms).
 */

/** A calendar date as days since 1970-01-01. */
export type DayNumber = number;

/** Day number of a civil date (month 1-12). */
export function dayNumberOf(year: number, month: number, day: number): DayNumber {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const monthIndex = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The civil date of a day number. */
export function civilDateOf(dayNumber: DayNumber): { year: number; month: number; day: number } {
  const shifted = dayNumber + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/**
 * Parses `YYYY-MM-DD` into a day number, or returns undefined when the text is not an existing
 * calendar date. Hand-rolled because it runs for every date of every record of every person.
 */
export function parseDayNumber(text: string): DayNumber | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1) return undefined;
  const dayNumber = dayNumberOf(year, month, day);
  return civilDateOf(dayNumber).day === day ? dayNumber : undefined;
}

const DASH = 45;
const ZERO = 48;

/** The number written by text[from..to) if every character is a digit, else -1. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) {
    const digit = text.charCodeAt(index) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const pad = (value: number, width: number): string => String(value).padStart(width, "0");

/** `YYYY-MM-DD` of a day number. */
export function formatDayNumber(dayNumber: DayNumber): string {
  const { year, month, day } = civilDateOf(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Day of the week: 0 Sunday ... 6 Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: DayNumber): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** The `occurrence`-th given weekday of a month (1 = first); a negative occurrence counts from the end. */
export function nthWeekdayOfMonth(
  year: number,
  month: number,
  weekday: number,
  occurrence: number,
): DayNumber {
  if (occurrence > 0) {
    const first = dayNumberOf(year, month, 1);
    return first + ((weekday - weekdayOf(first) + 7) % 7) + (occurrence - 1) * 7;
  }
  const lastOfMonth = month === 12 ? dayNumberOf(year + 1, 1, 1) - 1 : dayNumberOf(year, month + 1, 1) - 1;
  return lastOfMonth - ((weekdayOf(lastOfMonth) - weekday + 7) % 7) + (occurrence + 1) * 7;
}
