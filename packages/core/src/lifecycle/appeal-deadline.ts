import { type DayNumber, formatDayNumber, parseDayNumber } from "./calendar-date.ts";
import { compileLifecycleRules } from "./compiled-lifecycle-rules.ts";
import { businessDayOnOrAfter } from "./federal-holidays.ts";
import { LifecycleErrors } from "./lifecycle-errors.ts";
import { DEFAULT_LIFECYCLE_RULES, type LifecycleRules } from "./lifecycle-rules.ts";

/**
 * Last day to file a BIA appeal: 30 calendar days after the IJ decision; when that day is a
 * Saturday, Sunday or legal holiday, the next business day (8 CFR 1003.38(b), 1003.38(c)).
 */
export function appealDeadlineDay(
  decisionDay: DayNumber,
  windowDays: number,
  extraClosedDays?: ReadonlySet<DayNumber>,
): DayNumber {
  return businessDayOnOrAfter(decisionDay + windowDays, extraClosedDays);
}

/** `appealDeadlineDay` on `YYYY-MM-DD` text, with the given (or default) rules. */
export function appealDeadline(
  decisionDate: string,
  rules: LifecycleRules = DEFAULT_LIFECYCLE_RULES,
): string {
  const decisionDay = parseDayNumber(decisionDate);
  if (decisionDay === undefined) throw LifecycleErrors.invalidDate.create("decision date", decisionDate);
  const compiled = compileLifecycleRules(rules);
  return formatDayNumber(appealDeadlineDay(decisionDay, rules.appealWindowDays, compiled.extraClosedDays));
}
