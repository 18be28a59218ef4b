import {
  civilDateOf,
  type DayNumber,
  dayNumberOf,
  formatDayNumber,
  nthWeekdayOfMonth,
  weekdayOf,
} from "./calendar-date.ts";

/**
 * The legal public holidays of 5 U.S.C. 6103(a), computed from their rules (no table of dates),
 * with the observed-date rule for federal employees of 5 U.S.C. 6103(b) and Executive Order
 * 11582: a holiday falling on a Saturday is observed the Friday before, on a Sunday the Monday
 * after. The rules are exact from 1971 (Uniform Monday Holiday Act); earlier years use the fixed
 * pre-1971 dates. Business days (the appeal deadline's) also leave out Inauguration Day, a legal
 * public holiday only around Washington, D.C. (5 U.S.C. 6103(c)), whose list names the city of
 * Falls Church, Virginia, where the Board of Immigration Appeals receives appeals.
 */

const MONDAY = 1;
const THURSDAY = 4;

interface HolidayRule {
  readonly name: string;
  /** The holiday's date in a year, or undefined when it was not a holiday that year. */
  readonly dateIn: (year: number) => DayNumber | undefined;
}

const fixed = (month: number, day: number) => (year: number) => dayNumberOf(year, month, day);
const nth = (month: number, weekday: number, occurrence: number) => (year: number) =>
  nthWeekdayOfMonth(year, month, weekday, occurrence);

// The Uniform Monday Holiday Act (Pub. L. 90-363) moved three holidays to Mondays from 1971.
const MONDAY_HOLIDAYS_FROM = 1971;

const HOLIDAY_RULES: readonly HolidayRule[] = [
  { name: "New Year's Day", dateIn: fixed(1, 1) },
  {
    name: "Birthday of Martin Luther King, Jr.",
    dateIn: (year) => (year >= 1986 ? nth(1, MONDAY, 3)(year) : undefined),
  },
  {
    name: "Washington's Birthday",
    dateIn: (year) => (year >= MONDAY_HOLIDAYS_FROM ? nth(2, MONDAY, 3)(year) : fixed(2, 22)(year)),
  },
  {
    name: "Memorial Day",
    dateIn: (year) => (year >= MONDAY_HOLIDAYS_FROM ? nth(5, MONDAY, -1)(year) : fixed(5, 30)(year)),
  },
  // Juneteenth National Independence Day Act, Pub. L. 117-17 (17 June 2021).
  {
    name: "Juneteenth National Independence Day",
    dateIn: (year) => (year >= 2021 ? fixed(6, 19)(year) : undefined),
  },
  { name: "Independence Day", dateIn: fixed(7, 4) },
  { name: "Labor Day", dateIn: nth(9, MONDAY, 1) },
  {
    name: "Columbus Day",
    dateIn: (year) => (year >= MONDAY_HOLIDAYS_FROM ? nth(10, MONDAY, 2)(year) : fixed(10, 12)(year)),
  },
  // Veterans Day was the fourth Monday of October from 1971 until Pub. L. 94-97 restored 11 November in 1978.
  {
    name: "Veterans Day",
    dateIn: (year) =>
      year >= MONDAY_HOLIDAYS_FROM && year < 1978 ? nth(10, MONDAY, 4)(year) : fixed(11, 11)(year),
  },
  { name: "Thanksgiving Day", dateIn: nth(11, THURSDAY, 4) },
  { name: "Christmas Day", dateIn: fixed(12, 25) },
];

/**
 * Inauguration Day as 5 U.S.C. 6103(c) makes it a holiday around Washington, D.C.: 20 January of
 * each fourth year after 1965 (1969, 1973, ... 2021, 2025, 2029), the 21st when the 20th is a
 * Sunday, and no day off in its place when it is a Saturday.
 */
function inaugurationDayClosure(year: number): DayNumber | undefined {
  if (year < 1969 || (year - 1965) % 4 !== 0) return undefined;
  const day = dayNumberOf(year, 1, 20);
  const weekday = weekdayOf(day);
  if (weekday === 6) return undefined;
  return weekday === 0 ? day + 1 : day;
}

/** One federal holiday of a year: its own date and the day federal offices observe it. */
export interface FederalHoliday {
  readonly name: string;
  readonly date: string;
  readonly observed: string;
}

function observedDay(date: DayNumber): DayNumber {
  const weekday = weekdayOf(date);
  if (weekday === 6) return date - 1;
  if (weekday === 0) return date + 1;
  return date;
}

/** The federal holidays whose own date falls in `year`, in calendar order. */
export function federalHolidaysOf(year: number): FederalHoliday[] {
  const holidays: FederalHoliday[] = [];
  for (const rule of HOLIDAY_RULES) {
    const date = rule.dateIn(year);
    if (date === undefined) continue;
    holidays.push({
      name: rule.name,
      date: formatDayNumber(date),
      observed: formatDayNumber(observedDay(date)),
    });
  }
  return holidays;
}

// Memo of observed days per calendar year: pure (the rules never change at run time) and small
// (at most one entry per year), and it keeps the appeal-deadline arithmetic allocation-free.
const observedDaysByYear = new Map<number, ReadonlySet<DayNumber>>();

function observedDaysOf(year: number): ReadonlySet<DayNumber> {
  let days = observedDaysByYear.get(year);
  if (days === undefined) {
    const collected = new Set<DayNumber>();
    // A holiday observed in `year` may belong to the next year (1 January on a Saturday is observed
    // on 31 December) or to the previous one, so look one year either side.
    for (const candidateYear of [year - 1, year, year + 1]) {
      for (const rule of HOLIDAY_RULES) {
        const date = rule.dateIn(candidateYear);
        if (date === undefined) continue;
        const observed = observedDay(date);
        if (civilDateOf(observed).year === year) collected.add(observed);
      }
    }
    const inauguration = inaugurationDayClosure(year);
    if (inauguration !== undefined) collected.add(inauguration);
    days = collected;
    observedDaysByYear.set(year, days);
  }
  return days;
}

/**
 * Whether the Board's federal offices are closed for a legal public holiday on this day: an
 * observed holiday of 6103(a), or Inauguration Day (6103(c)).
 */
export function isFederalHoliday(day: DayNumber): boolean {
  return observedDaysOf(civilDateOf(day).year).has(day);
}

/** Whether the day is a business day: not a Saturday, Sunday, observed federal holiday or extra closure. */
export function isBusinessDay(day: DayNumber, extraClosedDays?: ReadonlySet<DayNumber>): boolean {
  const weekday = weekdayOf(day);
  if (weekday === 0 || weekday === 6) return false;
  if (extraClosedDays?.has(day)) return false;
  return !isFederalHoliday(day);
}

/** The day itself if it is a business day, else the next business day. */
export function businessDayOnOrAfter(day: DayNumber, extraClosedDays?: ReadonlySet<DayNumber>): DayNumber {
  let candidate = day;
  while (!isBusinessDay(candidate, extraClosedDays)) candidate++;
  return candidate;
}
