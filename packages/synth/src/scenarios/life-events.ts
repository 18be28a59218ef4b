import { addMonths, addYears, type DayNumber } from "../calendar/day-number.ts";
import { appealDeadline } from "../calendar/federal-holidays.ts";
import type { FinalityRule } from "../truth/lifecycle-truth.ts";
import type { CourtCase } from "./court-case.ts";
import type { ScenarioKit } from "./scenario-kit.ts";

/**
 * Building blocks shared by scenarios: how a person came to be in proceedings, a case up to a
 * decision, and removal orders that become final by each rule of 8 CFR 1241.1.
 */

/**
 * How the person entered before proceedings began: at the border without inspection, an overstay, or long ago.
 * With `tenYearsPresent` the entry is more than ten years before the NTA, which stops the clock:
 * the continuous presence that non-LPR cancellation of removal requires (INA 240A(b)(1)(A), (d)(1)).
 */
export function arriveBefore(
  kit: ScenarioKit,
  ntaDay: DayNumber,
  withoutInspection = false,
  tenYearsPresent = false,
): void {
  if (tenYearsPresent) {
    const entry = addYears(ntaDay, -10) - kit.random.between(30, 5000);
    if (withoutInspection || kit.random.chance(0.6)) {
      kit.enterWithoutInspection(entry, ntaDay - kit.random.between(0, 40));
    } else {
      kit.visitorAdmission(entry);
      kit.encounter("interior_arrest", ntaDay - kit.random.between(0, 40), {
        ewi: kit.random.chance(0.5) ? "N" : null,
      });
    }
    return;
  }
  const path = withoutInspection ? kit.random.pick([0, 0.9]) : kit.random.next();
  if (path < 0.5) {
    const entry = ntaDay - kit.random.between(3, 90);
    kit.enterWithoutInspection(entry);
    if (kit.random.chance(0.35)) {
      const release = entry + kit.random.between(1, 25);
      kit.custody(entry + 1, { day: Math.min(release, ntaDay), reason: "released" });
    }
  } else if (path < 0.8) {
    const entry = ntaDay - kit.random.between(500, 3000);
    const { admitUntil } = kit.visitorAdmission(entry);
    const arrest = Math.max(admitUntil + 30, ntaDay - kit.random.between(0, 40));
    kit.encounter("interior_arrest", Math.min(arrest, ntaDay), { ewi: kit.random.chance(0.5) ? "N" : null });
  } else {
    const entry = ntaDay - kit.random.between(400, 5000);
    kit.enterWithoutInspection(entry, ntaDay - kit.random.between(0, 40));
  }
}

/**
 * A removal case from the NTA through hearings up to (not including) a decision on `decisionDay`.
 * A person seeking cancellation of removal entered more than ten years before the NTA.
 */
export function proceedingsUntil(
  kit: ScenarioKit,
  decisionDay: DayNumber,
  reliefSought?: string,
  withoutInspection = false,
): CourtCase {
  const ntaDay = decisionDay - kit.random.between(150, 1400);
  arriveBefore(kit, ntaDay, withoutInspection, reliefSought === "cancellation");
  const court = kit.court();
  court.nta(ntaDay);
  court.hearings(ntaDay + 30, decisionDay - 1, kit.random.between(1, 4), reliefSought);
  return court;
}

/** The country a removal order names: the person's nationality, or (rarely) none. */
export function orderDestination(kit: ScenarioKit): string | null {
  return kit.random.chance(0.95) ? kit.identity.nationality.code : null;
}

/** A removal order a scenario made final, with its case and days. */
export interface FinalOrder {
  readonly court: CourtCase;
  readonly decisionDay: DayNumber;
  readonly finalDay: DayNumber;
  readonly destination: string | null;
}

/** Records the final order in the truth. */
export function recordFinalOrder(
  kit: ScenarioKit,
  finalDay: DayNumber,
  rule: FinalityRule,
  destination: string | null,
  absentia: { inAbsentia: boolean; noticeServed: "Y" | "N" | "U" | null } = {
    inAbsentia: false,
    noticeServed: null,
  },
): void {
  kit.truth.finalOrder = { day: finalDay, rule, destination, ...absentia, thirdCountryScreened: false };
}

/** How an unappealed removal order is scripted. */
export interface OrderOptions {
  readonly minDaysAgo?: number;
  readonly maxDaysAgo?: number;
  /** The decision day itself (overrides the range). */
  readonly decisionDay?: DayNumber;
  readonly destination?: string | null;
  /** The person entered without inspection (no fixed-date admission behind the case). */
  readonly withoutInspection?: boolean;
}

/**
 * A removal order not appealed, final on the first day after the appeal window (8 CFR 1241.1(c)),
 * decided between `minDaysAgo` and `maxDaysAgo` before the reference date (at least 40 days ago).
 */
export function unappealedOrder(kit: ScenarioKit, options: OrderOptions = {}): FinalOrder {
  const decisionDay =
    options.decisionDay ??
    kit.courtDaysAgo(Math.max(40, options.minDaysAgo ?? 60), Math.max(40, options.maxDaysAgo ?? 1500));
  const destination = options.destination === undefined ? orderDestination(kit) : options.destination;
  const court = proceedingsUntil(kit, decisionDay, undefined, options.withoutInspection ?? false);
  court.decision(decisionDay, "removal_ordered", { destination });
  const finalDay = appealDeadline(decisionDay) + 1;
  recordFinalOrder(kit, finalDay, "c", destination);
  return { court, decisionDay, finalDay, destination };
}

/** An in absentia order, final at once (8 CFR 1241.1(e)); notice as recorded on the decision. */
export function inAbsentiaOrder(
  kit: ScenarioKit,
  noticeServed: "Y" | "N" | "U",
  minDaysAgo = 30,
  maxDaysAgo = 2500,
): FinalOrder {
  const decisionDay = kit.courtDaysAgo(minDaysAgo, maxDaysAgo);
  const court = proceedingsUntil(kit, decisionDay);
  const destination = orderDestination(kit);
  court.decision(decisionDay, "removal_ordered", { inAbsentia: true, noticeServed, destination });
  recordFinalOrder(kit, decisionDay, "e", destination, { inAbsentia: true, noticeServed });
  return { court, decisionDay, finalDay: decisionDay, destination };
}

/** Some final orders are followed by detention (book-in with no book-out). */
export function maybeDetainedAfter(kit: ScenarioKit, finalDay: DayNumber, share: number): void {
  if (kit.random.chance(share) && kit.asOf - finalDay > 2)
    kit.custody(kit.random.between(finalDay + 1, kit.asOf), null);
}

/** A visitor who stayed past the admit-until date, with the visa, admission and day count. */
export function overstayedVisitor(
  kit: ScenarioKit,
  minDaysOver: number,
  maxDaysOver: number,
): { admitUntil: DayNumber; i94: string } {
  // Six months of B2 admission are at most 184 days, so the admit-until day is always past.
  const admission = kit.asOf - kit.random.between(minDaysOver, maxDaysOver) - 190;
  return kit.visitorAdmission(admission);
}

/** A day roughly `months` months before `day`. */
export function monthsBefore(day: DayNumber, months: number): DayNumber {
  return addMonths(day, -months);
}
