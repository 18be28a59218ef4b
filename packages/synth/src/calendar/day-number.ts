/**
 * Calendar dates as whole days since 1970-01-01 (UTC). Day arithmetic is exact, as the
 * lifecycle rules demand (DOMAIN.md §1.2: store exact dates, never rounded durations).
 */
export type DayNumber = number;

const MILLISECONDS_PER_DAY = 86_400_000;
const FIRST_CACHED_DAY = -36_525; // 1870-01-01
const CACHED_DAYS = 109_575; // up to 2170
const isoCache: (string | undefined)[] = new Array(CACHED_DAYS);

/** `YYYY-MM-DD` of a day number. Cached: the generator formats millions of dates. */
export function isoDate(day: DayNumber): string {
  const slot = day - FIRST_CACHED_DAY;
  if (slot >= 0 && slot < CACHED_DAYS) {
    const cached = isoCache[slot];
    if (cached !== undefined) return cached;
    const text = new Date(day * MILLISECONDS_PER_DAY).toISOString().slice(0, 10);
    isoCache[slot] = text;
    return text;
  }
  return new Date(day * MILLISECONDS_PER_DAY).toISOString().slice(0, 10);
}

/** The day number of a `YYYY-MM-DD` date (assumed valid). */
export function dayOf(iso: string): DayNumber {
  return (
    Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) /
    MILLISECONDS_PER_DAY
  );
}

/** The day number of a calendar date (month 1-12). */
export function dayFromParts(year: number, month: number, day: number): DayNumber {
  // Days from civil (H. Hinnant's algorithm): exact integer arithmetic, no Date object.
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Year, month (1-12) and day of a day number (the inverse of `dayFromParts`). */
export function partsOf(day: DayNumber): [year: number, month: number, dayOfMonth: number] {
  const shifted = day + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth];
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The calendar year of a day number. */
export function yearOf(day: DayNumber): number {
  return partsOf(day)[0];
}

function daysInMonthOf(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The same calendar day `years` later (29 February becomes 28 February in common years). */
export function addYears(day: DayNumber, years: number): DayNumber {
  const [year, month, dayOfMonth] = partsOf(day);
  return dayFromParts(year + years, month, Math.min(dayOfMonth, daysInMonthOf(year + years, month)));
}

/** The same calendar day `months` later, clamped to the month's last day. */
export function addMonths(day: DayNumber, months: number): DayNumber {
  const [year, month, dayOfMonth] = partsOf(day);
  const target = month - 1 + months;
  const targetYear = year + Math.floor(target / 12);
  const targetMonth = (((target % 12) + 12) % 12) + 1;
  return dayFromParts(targetYear, targetMonth, Math.min(dayOfMonth, daysInMonthOf(targetYear, targetMonth)));
}

/** Today's date in UTC, as `YYYY-MM-DD` (the CLI's default reference date). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
