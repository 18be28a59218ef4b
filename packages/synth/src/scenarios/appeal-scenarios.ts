import { type DayNumber, yearOf } from "../calendar/day-number.ts";
import { appealDeadline, federalHolidaysIn, isBusinessDay } from "../calendar/federal-holidays.ts";
import { orderDestination, proceedingsUntil, recordFinalOrder } from "./life-events.ts";
import { type Scenario, scenario } from "./scenario.ts";
import type { ScenarioKit } from "./scenario-kit.ts";

const ENFORCEMENT = { maleShare: 0.75 };

/**
 * A decision day whose 30th day falls on a weekend or federal holiday, so the appeal deadline
 * rolls forward (8 CFR 1003.38(b)): often thirty days before a holiday such as 4 July.
 */
function decisionBeforeRollover(kit: ScenarioKit, minDaysAgo: number, maxDaysAgo: number): DayNumber {
  if (kit.random.chance(0.4)) {
    const holidays: DayNumber[] = [];
    for (let year = yearOf(kit.asOf - maxDaysAgo); year <= yearOf(kit.asOf); year++) {
      for (const holiday of federalHolidaysIn(year)) {
        const decision = holiday - 30;
        const inRange = decision >= kit.asOf - maxDaysAgo && decision <= kit.asOf - minDaysAgo;
        if (inRange && isBusinessDay(decision)) holidays.push(decision);
      }
    }
    if (holidays.length > 0) return kit.random.pick(holidays.sort((a, b) => a - b));
  }
  let day = kit.daysAgo(minDaysAgo, maxDaysAgo);
  while (!isBusinessDay(day) || isBusinessDay(day + 30)) day -= 1;
  return day;
}

/** A removal order and a timely appeal of it, filed within the window. */
function appealedOrder(kit: ScenarioKit, decided: DayNumber, certified = false) {
  const court = proceedingsUntil(kit, decided);
  const destination = orderDestination(kit);
  court.decision(decided, "removal_ordered", { destination });
  const deadline = appealDeadline(decided);
  const filed = kit.random.chance(0.15) ? deadline : kit.businessDayBetween(decided + 1, deadline);
  court.appeal(filed, certified);
  return { court, filed, destination };
}

/** Appeals to the BIA and certifications: pending, timely on a rolled deadline, late, decided, waived. */
export const APPEAL_SCENARIOS: readonly Scenario[] = [
  scenario(
    "appeal_pending",
    1.2,
    (kit) => {
      if (kit.random.chance(0.7)) {
        appealedOrder(kit, kit.courtDaysAgo(40, 400));
      } else {
        // A voluntary-departure grant appealed in time: its deadline passing does not make the
        // alternate order final while the appeal is pending (8 CFR 1241.1(f)).
        const decided = kit.courtDaysAgo(70, 500);
        const court = proceedingsUntil(kit, decided);
        court.decision(decided, "vd_with_alternate_order", {
          deadline: decided + 60,
          destination: orderDestination(kit),
        });
        court.appeal(kit.businessDayBetween(decided + 1, appealDeadline(decided)));
      }
      kit.truth.set("BIA_PENDING");
    },
    ENFORCEMENT,
  ),
  scenario(
    "appeal_timely_on_rollover",
    0.3,
    (kit) => {
      const decided = decisionBeforeRollover(kit, 40, 700);
      const court = proceedingsUntil(kit, decided);
      court.decision(decided, "removal_ordered", { destination: orderDestination(kit) });
      court.appeal(appealDeadline(decided));
      kit.truth.set("BIA_PENDING");
    },
    ENFORCEMENT,
  ),
  scenario(
    "appeal_late",
    0.3,
    (kit) => {
      const decided = kit.random.chance(0.5)
        ? decisionBeforeRollover(kit, 45, 700)
        : kit.courtDaysAgo(45, 700);
      const court = proceedingsUntil(kit, decided);
      const destination = orderDestination(kit);
      court.decision(decided, "removal_ordered", { destination });
      const deadline = appealDeadline(decided);
      court.appeal(deadline + kit.random.between(1, 10));
      recordFinalOrder(kit, deadline + 1, "c", destination);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "appeal_dismissed",
    1.2,
    (kit) => {
      const { court, filed, destination } = appealedOrder(kit, kit.courtDaysAgo(200, 1500));
      const dismissed = kit.random.between(filed + 60, Math.min(filed + 700, kit.asOf));
      court.appealDecided(dismissed, "dismissed");
      recordFinalOrder(kit, dismissed, "a", destination);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "appeal_sustained",
    0.3,
    (kit) => {
      const { court, filed } = appealedOrder(kit, kit.courtDaysAgo(200, 1500));
      const sustained = kit.random.between(filed + 60, Math.min(filed + 700, kit.asOf - 1));
      court.appealDecided(sustained, "sustained");
      if (kit.random.chance(0.6)) court.hearings(sustained + 1, kit.asOf, 1);
      kit.truth.set("IN_PROCEEDINGS");
    },
    ENFORCEMENT,
  ),
  scenario(
    "appeal_remanded",
    0.4,
    (kit) => {
      const { court, filed } = appealedOrder(kit, kit.courtDaysAgo(200, 1500));
      const remanded = kit.random.between(filed + 60, Math.min(filed + 700, kit.asOf - 1));
      court.appealDecided(remanded, "remanded");
      if (kit.random.chance(0.7)) court.hearings(remanded + 1, kit.asOf, kit.random.between(1, 2));
      kit.truth.set("IN_PROCEEDINGS");
    },
    ENFORCEMENT,
  ),
  scenario(
    "appeal_waived",
    0.8,
    (kit) => {
      // Some waivers are recent, inside what would otherwise be the appeal window (8 CFR 1241.1(b)).
      const decided = kit.random.chance(0.3) ? kit.courtDaysAgo(1, 25) : kit.courtDaysAgo(30, 1500);
      const destination = orderDestination(kit);
      proceedingsUntil(kit, decided).decision(decided, "removal_ordered", {
        appealWaived: true,
        destination,
      });
      recordFinalOrder(kit, decided, "b", destination);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "certification_pending",
    0.2,
    (kit) => {
      appealedOrder(kit, kit.courtDaysAgo(40, 400), true);
      kit.truth.set("BIA_PENDING");
    },
    ENFORCEMENT,
  ),
  scenario(
    "certification_decided",
    0.2,
    (kit) => {
      const { court, filed, destination } = appealedOrder(kit, kit.courtDaysAgo(200, 1500), true);
      const decided = kit.random.between(filed + 60, Math.min(filed + 700, kit.asOf));
      court.appealDecided(decided, kit.random.chance(0.6) ? "dismissed" : "denied", true);
      recordFinalOrder(kit, decided, "d", destination);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
];
