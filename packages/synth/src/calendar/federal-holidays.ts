import { type DayNumber, dayFromParts, weekday, yearOf } from "./day-number.ts";

/**
 * The 11 federal holidays of 5 U.S.C. 6103 as OPM observes them (a Saturday holiday is
 * observed on the Friday before, a Sunday one on the Monday after), Juneteenth from 2021, and
 * Inauguration Day (5 U.S.C. 6103(c): 20 January every four years from 1969, the 21st when the
 * 20th is a Sunday, none when a Saturday), a holiday around Washington, D.C., where the BIA sits
 * (Falls Church, VA) — the calendar docs/lifecycle-semantics.md §3 fixes for the BIA appeal
 * deadline. Written for the generator independently of the lifecycle engine.
 */
const observedByYear = new Map<number, ReadonlySet<DayNumber>>();

function nthWeekday(year: number, month: number, dayOfWeek: number, nth: number): DayNumber {
  const first = dayFromParts(year, month, 1);
  const offset = (dayOfWeek - weekday(first) + 7) % 7;
  return first + offset + (nth - 1) * 7;
}

function lastWeekday(year: number, month: number, dayOfWeek: number): DayNumber {
  const last = dayFromParts(year, month + 1, 0);
  return last - ((weekday(last) - dayOfWeek + 7) % 7);
}

function observed(day: DayNumber): DayNumber {
  const dayOfWeek = weekday(day);
  if (dayOfWeek === 6) return day - 1;
  if (dayOfWeek === 0) return day + 1;
  return day;
}

/** The holidays of one calendar year, on their observed days (some may fall in the next or previous year). */
function holidaysOf(year: number): DayNumber[] {
  const days = [
    observed(dayFromParts(year, 1, 1)),
    nthWeekday(year, 1, 1, 3), // Birthday of Martin Luther King, Jr.
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    lastWeekday(year, 5, 1), // Memorial Day
    observed(dayFromParts(year, 7, 4)),
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 10, 1, 2), // Columbus Day
    observed(dayFromParts(year, 11, 11)),
    nthWeekday(year, 11, 4, 4), // Thanksgiving Day
    observed(dayFromParts(year, 12, 25)),
  ];
  if (year >= 2021) days.push(observed(dayFromParts(year, 6, 19)));
  if (year >= 1969 && year % 4 === 1) {
    const inauguration = dayFromParts(year, 1, 20);
    if (weekday(inauguration) === 0) days.push(inauguration + 1);
    else if (weekday(inauguration) !== 6) days.push(inauguration);
  }
  return days;
}

/** Observed federal holidays falling in `year` (including New Year's Day of year+1 observed on 31 December). */
export function federalHolidaysIn(year: number): ReadonlySet<DayNumber> {
  let holidays = observedByYear.get(year);
  if (holidays === undefined) {
    const all = [...holidaysOf(year - 1), ...holidaysOf(year), ...holidaysOf(year + 1)];
    holidays = new Set(all.filter((day) => yearOf(day) === year));
    observedByYear.set(year, holidays);
  }
  return holidays;
}

/** Whether the day is an observed federal holiday. */
export function isFederalHoliday(day: DayNumber): boolean {
  return federalHolidaysIn(yearOf(day)).has(day);
}

const FIRST_CACHED_DAY = -36_525; // 1870-01-01
const CACHED_DAYS = 109_575; // up to 2170
/** 0 = not yet known, 1 = business day, 2 = weekend or holiday (the generator asks millions of times). */
const businessDays = new Uint8Array(CACHED_DAYS);

/** Not a Saturday, Sunday or observed federal holiday. */
export function isBusinessDay(day: DayNumber): boolean {
  const slot = day - FIRST_CACHED_DAY;
  const cached = slot >= 0 && slot < CACHED_DAYS ? businessDays[slot]! : 0;
  if (cached !== 0) return cached === 1;
  const dayOfWeek = weekday(day);
  const business = dayOfWeek !== 0 && dayOfWeek !== 6 && !isFederalHoliday(day);
  if (slot >= 0 && slot < CACHED_DAYS) businessDays[slot] = business ? 1 : 2;
  return business;
}

/** `day` itself if it is a business day, else the next business day. */
export function businessDayOnOrAfter(day: DayNumber): DayNumber {
  let candidate = day;
  while (!isBusinessDay(candidate)) candidate += 1;
  return candidate;
}

/**
 * The last day to file a BIA appeal of an IJ decision: 30 calendar days after it, rolled to the
 * next business day when that day is a weekend or federal holiday (8 CFR 1003.38(b)).
 */
export function appealDeadline(decisionDay: DayNumber): DayNumber {
  return businessDayOnOrAfter(decisionDay + 30);
}
