import type { DayNumber } from "../calendar/day-number.ts";
import { appealDeadline, businessDayOnOrAfter, isBusinessDay } from "../calendar/federal-holidays.ts";
import {
  inAbsentiaOrder,
  maybeDetainedAfter,
  orderDestination,
  proceedingsUntil,
  recordFinalOrder,
  unappealedOrder,
} from "./life-events.ts";
import { type Scenario, scenario } from "./scenario.ts";
import type { ScenarioKit } from "./scenario-kit.ts";

const ENFORCEMENT = { maleShare: 0.75 };

/** A decision day whose appeal window is still open at the reference date; often one of the last open days. */
function decisionWithOpenWindow(kit: ScenarioKit): DayNumber {
  const open: DayNumber[] = [];
  for (let ago = 1; ago <= 40; ago++) {
    const day = kit.asOf - ago;
    if (isBusinessDay(day) && appealDeadline(day) >= kit.asOf) open.push(day);
  }
  if (kit.random.chance(0.4)) return open[open.length - 1 - kit.random.below(Math.min(3, open.length))]!;
  return kit.random.pick(open);
}

/** The most recent decision day whose appeal window closed before the reference date. */
function decisionWithWindowJustClosed(kit: ScenarioKit): DayNumber {
  let day = kit.asOf - 30;
  while (!isBusinessDay(day) || appealDeadline(day) >= kit.asOf) day -= 1;
  return day;
}

/**
 * A voluntary-departure grant with the alternate removal order; deadline 60 days on (INA 240B(b)(2)).
 * `lastDay` is the last day to depart: the deadline, or when it falls on a weekend or federal holiday
 * the next business day (Monsalvo Velazquez v. Bondi (2025); 8 CFR 1001.1(h)).
 */
function voluntaryDeparture(kit: ScenarioKit, decisionDay: DayNumber) {
  const court = proceedingsUntil(kit, decisionDay);
  const deadline = decisionDay + 60;
  const destination = orderDestination(kit);
  court.decision(decisionDay, "vd_with_alternate_order", { deadline, destination });
  return { court, deadline, lastDay: businessDayOnOrAfter(deadline), destination };
}

/** Removal orders at the IJ: window open, final by expiry, in absentia, voluntary departure, motions and stays. */
export const ORDER_SCENARIOS: readonly Scenario[] = [
  scenario(
    "appeal_window_open",
    1,
    (kit) => {
      const decided = decisionWithOpenWindow(kit);
      proceedingsUntil(kit, decided).decision(decided, "removal_ordered", {
        destination: orderDestination(kit),
      });
      kit.truth.set("APPEAL_WINDOW");
    },
    ENFORCEMENT,
  ),
  scenario(
    "final_order",
    2.5,
    (kit) => {
      const edge = kit.random.chance(0.25);
      const order = unappealedOrder(kit, edge ? { decisionDay: decisionWithWindowJustClosed(kit) } : {});
      maybeDetainedAfter(kit, order.finalDay, 0.1);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "in_absentia_order",
    2.5,
    (kit) => {
      const order = inAbsentiaOrder(kit, "Y");
      maybeDetainedAfter(kit, order.finalDay, 0.1);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "in_absentia_notice_not_served",
    1,
    (kit) => {
      const notice = kit.random.chance(0.6) ? "N" : "U";
      inAbsentiaOrder(kit, notice);
      if (notice === "U") kit.truth.ambiguous("notice_unknown");
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "mtr_in_absentia_pending",
    0.5,
    (kit) => {
      const order = inAbsentiaOrder(kit, kit.random.chance(0.7) ? "N" : "Y", 40, 2500);
      order.court.motion(kit.random.between(order.decisionDay + 1, kit.asOf - 1));
      kit.truth.mtrInAbsentiaPending = true;
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "mtr_granted",
    0.3,
    (kit) => {
      const order = inAbsentiaOrder(kit, "N", 200, 2500);
      const motion = kit.random.between(order.decisionDay + 10, kit.asOf - 120);
      const granted = kit.random.between(motion + 10, Math.min(motion + 300, kit.asOf - 1));
      order.court.motion(motion);
      order.court.motionDecided(granted, "granted");
      if (kit.random.chance(0.5)) order.court.hearings(granted + 1, kit.asOf, 1);
      kit.truth.finalOrder = null;
      kit.truth.set("IN_PROCEEDINGS");
    },
    ENFORCEMENT,
  ),
  scenario(
    "mtr_denied",
    0.3,
    (kit) => {
      const order = inAbsentiaOrder(kit, kit.random.chance(0.7) ? "Y" : "N", 200, 2500);
      const motion = kit.random.between(order.decisionDay + 10, kit.asOf - 120);
      order.court.motion(motion);
      order.court.motionDecided(
        kit.random.between(motion + 10, Math.min(motion + 300, kit.asOf - 1)),
        "denied",
      );
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "vd_running",
    0.7,
    (kit) => {
      voluntaryDeparture(kit, kit.courtDaysAgo(35, 55));
      kit.truth.set("VD_PERIOD");
    },
    ENFORCEMENT,
  ),
  scenario(
    "vd_departed",
    0.7,
    (kit) => {
      const decided = kit.courtDaysAgo(70, 1500);
      const { deadline } = voluntaryDeparture(kit, decided);
      kit.depart(
        kit.random.between(decided + 5, deadline),
        kit.random.chance(0.7) ? "vd_verified" : "carrier_manifest",
      );
      kit.truth.set("DEPARTED");
    },
    ENFORCEMENT,
  ),
  scenario(
    "vd_overstayed",
    0.7,
    (kit) => {
      const { lastDay, destination } = voluntaryDeparture(kit, kit.courtDaysAgo(70, 1500));
      recordFinalOrder(kit, lastDay + 1, "f", destination);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "vd_terminated_by_motion",
    0.2,
    (kit) => {
      const decided = kit.courtDaysAgo(35, 55);
      const { court, destination } = voluntaryDeparture(kit, decided);
      const motion = kit.random.between(appealDeadline(decided) + 1, kit.asOf);
      court.motion(motion);
      recordFinalOrder(kit, motion, "f", destination);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "lpr_removal_order",
    0.3,
    (kit) => {
      const lprDay = kit.daysAgo(3000, 6000);
      const filed = lprDay - kit.random.between(180, 700);
      const { i94 } = kit.visitorAdmission(filed - kit.random.between(100, 2000));
      kit.benefit(
        "I-485",
        [
          { event: "filed", day: filed },
          { event: "approved", day: lprDay },
        ],
        { i94 },
      );
      const decided = kit.courtDaysAgo(60, 1200);
      kit.conviction(kit.random.between(lprDay + 200, decided - 1600));
      const destination = orderDestination(kit);
      const court = kit.court();
      const nta = decided - kit.random.between(150, 1400);
      court.nta(nta);
      court.hearings(nta + 30, decided - 1, kit.random.between(1, 4), "cancellation");
      court.decision(decided, "removal_ordered", { destination });
      recordFinalOrder(kit, appealDeadline(decided) + 1, "c", destination);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "stay_court",
    0.5,
    (kit) => {
      const order = unappealedOrder(kit, { maxDaysAgo: 2000 });
      const motion = kit.random.between(order.finalDay, kit.asOf - 1);
      order.court.motion(motion);
      order.court.stay(
        kit.random.between(motion, kit.asOf),
        kit.random.chance(0.3) ? kit.asOf + kit.random.between(0, 180) : undefined,
      );
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "stay_court_lifted",
    0.3,
    (kit) => {
      const order = unappealedOrder(kit, { minDaysAgo: 200, maxDaysAgo: 2000 });
      const granted = kit.random.between(order.finalDay, kit.asOf - 60);
      if (kit.random.chance(0.6)) {
        order.court.stay(granted);
        order.court.stayLifted(kit.random.between(granted + 14, kit.asOf));
      } else {
        order.court.stay(granted, kit.random.between(granted + 14, kit.asOf - 1));
      }
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "stay_dhs",
    0.4,
    (kit) => {
      const order = unappealedOrder(kit, { maxDaysAgo: 2000 });
      const approved = kit.random.between(Math.max(order.finalDay + 20, kit.asOf - 170), kit.asOf);
      const filed = kit.random.between(order.finalDay, approved - 1);
      kit.benefit("I-246", [
        { event: "filed", day: filed },
        {
          event: "approved",
          day: approved,
          validFrom: approved,
          validTo: approved + kit.random.between(180, 365),
        },
      ]);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "stay_dhs_expired",
    0.2,
    (kit) => {
      const order = unappealedOrder(kit, { minDaysAgo: 700, maxDaysAgo: 2500 });
      const filed = kit.random.between(order.finalDay, order.finalDay + 200);
      const approved = filed + kit.random.between(20, 120);
      kit.benefit("I-246", [
        { event: "filed", day: filed },
        {
          event: "approved",
          day: approved,
          validFrom: approved,
          validTo: approved + kit.random.between(90, 300),
        },
      ]);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
];
