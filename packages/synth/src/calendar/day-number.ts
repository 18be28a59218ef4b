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
  return Date.UTC(year, month - 1, day) / MILLISECONDS_PER_DAY;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function yearOf(day: DayNumber): number {
  return new Date(day * MILLISECONDS_PER_DAY).getUTCFullYear();
}

/** The same calendar day `years` later (29 February becomes 28 February in common years). */
export function addYears(day: DayNumber, years: number): DayNumber {
  const date = new Date(day * MILLISECONDS_PER_DAY);
  const year = date.getUTCFullYear() + years;
  const month = date.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)) / MILLISECONDS_PER_DAY;
}

/** The same calendar day `months` later, clamped to the month's last day. */
export function addMonths(day: DayNumber, months: number): DayNumber {
  const date = new Date(day * MILLISECONDS_PER_DAY);
  const target = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(target / 12);
  const month = ((target % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)) / MILLISECONDS_PER_DAY;
}

/** Today's date in UTC, as `YYYY-MM-DD` (the CLI's default reference date). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
