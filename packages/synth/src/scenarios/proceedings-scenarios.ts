import { arriveBefore, proceedingsUntil } from "./life-events.ts";
import { type Scenario, scenario } from "./scenario.ts";
import type { ScenarioKit } from "./scenario-kit.ts";

const RELIEF_SOUGHT = ["asylum", "asylum", "withholding", "cancellation", "adjustment"];

/** A case opened `ntaDaysAgo` days ago with hearings since; returns the NTA day. */
function openCase(kit: ScenarioKit, minDaysAgo: number, maxDaysAgo: number) {
  const nta = kit.daysAgo(minDaysAgo, maxDaysAgo);
  arriveBefore(kit, nta);
  const court = kit.court();
  court.nta(nta);
  const relief = kit.random.chance(0.45) ? kit.random.pick(RELIEF_SOUGHT) : undefined;
  court.hearings(nta + 30, kit.asOf, kit.random.between(1, 5), relief);
  return { nta, court };
}

/** People before the immigration court: charged, in hearings, closed, terminated or granted relief. */
export const PROCEEDINGS_SCENARIOS: readonly Scenario[] = [
  scenario(
    "nta_issued",
    2,
    (kit) => {
      const nta = kit.daysAgo(0, 200);
      arriveBefore(kit, nta);
      kit.court().nta(nta);
      kit.truth.set("NTA_ISSUED");
    },
    { maleShare: 0.7 },
  ),
  scenario(
    "in_proceedings",
    4,
    (kit) => {
      openCase(kit, 60, 1800);
      kit.truth.set("IN_PROCEEDINGS");
    },
    { maleShare: 0.7 },
  ),
  scenario(
    "detained_in_proceedings",
    1,
    (kit) => {
      const { nta } = openCase(kit, 40, 400);
      kit.custody(kit.random.between(nta, kit.asOf - 1), null);
      kit.truth.set("IN_PROCEEDINGS");
    },
    { maleShare: 0.8 },
  ),
  scenario(
    "released_on_bond",
    0.7,
    (kit) => {
      const { nta } = openCase(kit, 60, 1200);
      const bookIn = kit.random.between(nta, kit.asOf - 8);
      kit.custody(bookIn, {
        day: kit.random.between(bookIn + 7, Math.min(bookIn + 120, kit.asOf)),
        reason: "bond",
      });
      kit.truth.set("IN_PROCEEDINGS");
    },
    { maleShare: 0.75 },
  ),
  scenario(
    "admin_closed",
    1,
    (kit) => {
      const closed = kit.courtDaysAgo(30, 2000);
      proceedingsUntil(kit, closed).decision(closed, "admin_closed");
      kit.truth.set("IN_PROCEEDINGS", "admin_closed");
    },
    { maleShare: 0.65 },
  ),
  scenario(
    "lpr_in_proceedings",
    0.7,
    (kit) => {
      const lprDay = kit.daysAgo(2000, 5000);
      const filed = lprDay - kit.random.between(180, 700);
      const entry = filed - kit.random.between(100, 2000);
      const { i94 } = kit.visitorAdmission(entry);
      kit.benefit(
        "I-485",
        [
          { event: "filed", day: filed },
          { event: "approved", day: lprDay },
        ],
        { i94 },
      );
      const convicted = kit.random.between(lprDay + 200, kit.asOf - 400);
      kit.conviction(convicted);
      const court = kit.court();
      const nta = kit.random.between(convicted + 30, kit.asOf - 60);
      court.nta(nta);
      court.hearings(nta + 30, kit.asOf, kit.random.between(1, 4), "cancellation");
      kit.truth.set("IN_PROCEEDINGS");
    },
    { maleShare: 0.75 },
  ),
  scenario(
    "proceedings_terminated_recent",
    0.4,
    (kit) => {
      const decided = kit.courtDaysAgo(1, 25);
      const outcome = kit.random.chance(0.7) ? "terminated" : "dismissed";
      proceedingsUntil(kit, decided).decision(decided, outcome);
      kit.truth.set("IJ_DECIDED", outcome);
    },
    { maleShare: 0.65 },
  ),
  scenario(
    "proceedings_terminated",
    0.6,
    (kit) => {
      const decided = kit.courtDaysAgo(60, 2000);
      proceedingsUntil(kit, decided, undefined, true).decision(
        decided,
        kit.random.chance(0.7) ? "terminated" : "dismissed",
      );
      kit.truth.set("EWI_PRESENT");
    },
    { maleShare: 0.65 },
  ),
  scenario(
    "relief_granted_recent",
    0.3,
    (kit) => {
      const decided = kit.courtDaysAgo(1, 25);
      proceedingsUntil(kit, decided, "cancellation").decision(decided, "relief_granted", {
        reliefType: "cancellation",
      });
      kit.truth.grants.push({ type: "LPR", from: decided, to: null, country: null });
      kit.truth.set("IJ_DECIDED", "relief_granted");
    },
    { maleShare: 0.6 },
  ),
  scenario(
    "cancellation_granted",
    0.5,
    (kit) => {
      const decided = kit.courtDaysAgo(60, 3000);
      const reliefType = kit.random.chance(0.8) ? "cancellation" : "adjustment";
      proceedingsUntil(kit, decided, reliefType).decision(decided, "relief_granted", { reliefType });
      kit.truth.grants.push({ type: "LPR", from: decided, to: null, country: null });
      kit.truth.set("PROTECTED_STATUS", "LPR");
    },
    { maleShare: 0.6 },
  ),
];
