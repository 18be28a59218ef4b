import { addYears, type DayNumber } from "../calendar/day-number.ts";
import { drawBirthDay } from "../records/identity.ts";
import { inAbsentiaOrder, proceedingsUntil } from "./life-events.ts";
import { type Scenario, scenario } from "./scenario.ts";
import { firstEventDay, type ScenarioKit } from "./scenario-kit.ts";

/**
 * An admission that later led to adjustment of status: fiancé(e), worker, student or visitor, with
 * its admit-until day (null for D/S).
 */
function admissionBeforeAdjustment(
  kit: ScenarioKit,
  filed: DayNumber,
): { i94: string; admitUntil: DayNumber | null } {
  const entry = filed - kit.random.between(30, 2500);
  const kind = kit.random.next();
  if (kind < 0.25) {
    kit.visa("K1", entry - kit.random.between(30, 200));
    return { i94: kit.admit("K1", entry, entry + 89), admitUntil: entry + 89 };
  }
  if (kind < 0.6) {
    kit.visa("H1B", entry - kit.random.between(30, 200));
    const admitUntil = addYears(entry, 3) - 1;
    return { i94: kit.admit("H1B", entry, admitUntil), admitUntil };
  }
  if (kind < 0.85) {
    kit.visa("F1", entry - kit.random.between(30, 200));
    return { i94: kit.admit("F1", entry, "D/S"), admitUntil: null };
  }
  return kit.visitorAdmission(entry);
}

/** Adjustment of status to permanent residence (I-485), approved on `approvedDay`. */
function adjustStatus(kit: ScenarioKit, approvedDay: DayNumber): void {
  const filed = approvedDay - kit.random.between(180, 900);
  const { i94 } = admissionBeforeAdjustment(kit, filed);
  kit.benefit(
    "I-485",
    [
      { event: "filed", day: filed },
      { event: "approved", day: approvedDay },
    ],
    { i94 },
  );
}

/** Naturalisation (N-400) at least five years after permanent residence (INA 316), often with the certificate. */
function naturalise(kit: ScenarioKit, lprDay: DayNumber): void {
  const earliest = addYears(lprDay, 5) - 90;
  const filed = Math.min(earliest + kit.random.between(0, 1500), kit.asOf - 150);
  const approved = Math.min(filed + kit.random.between(120, 400), kit.asOf);
  kit.benefit("N-400", [
    { event: "filed", day: filed },
    { event: "approved", day: approved },
  ]);
  if (kit.random.chance(0.8))
    kit.citizenship("naturalized", Math.min(approved + kit.random.between(0, 60), kit.asOf));
  kit.truth.set("USC");
}

/** Permanent residents and citizens, some of whom carry old enforcement records. */
export const STATUS_SCENARIOS: readonly Scenario[] = [
  scenario("adjustment_pending", 2, (kit) => {
    const filed = kit.daysAgo(10, 900);
    const { i94, admitUntil } = admissionBeforeAdjustment(kit, filed);
    kit.benefit("I-485", [{ event: "filed", day: filed }], { i94 });
    kit.truth.set("BENEFIT_PENDING", "ADJUSTMENT");
    // Only a timely adjustment filing removes a person from the overstay count (DOMAIN.md §1.2):
    // one filed after the admit-until date leaves the person a suspected in-country overstay.
    if (admitUntil !== null && filed > admitUntil) kit.truth.overstayInCountryDays = kit.asOf - admitUntil;
  }),
  scenario("adjusted_lpr", 3, (kit) => {
    adjustStatus(kit, kit.daysAgo(30, 5000));
    kit.truth.set("PROTECTED_STATUS", "LPR");
  }),
  scenario("naturalised_citizen", 2.5, (kit) => {
    const lprDay = kit.daysAgo(2200, 7000);
    adjustStatus(kit, lprDay);
    naturalise(kit, lprDay);
  }),
  scenario(
    "naturalised_with_enforcement_history",
    0.5,
    (kit) => {
      const decision = kit.courtDaysAgo(2500, 5500);
      const court = proceedingsUntil(kit, decision, "cancellation", true);
      court.decision(decision, "relief_granted", { reliefType: "cancellation" });
      kit.truth.grants.push({ type: "LPR", from: decision, to: null, country: null });
      if (kit.random.chance(0.5)) kit.conviction(kit.random.between(kit.presentSince! + 30, decision - 1));
      naturalise(kit, decision);
    },
    { maleShare: 0.65 },
  ),
  scenario(
    "citizen_with_removal_order",
    0.3,
    (kit) => {
      // A citizen ordered removed in absentia before anyone checked (GAO-21-487): one born abroad to
      // a citizen parent (INA 301: `acquired`, `birth_abroad`, a citizen from birth, the certificate
      // issued later), or one whose claim was verified after the order (`verified_claim`: a citizen
      // all along, the record dated when the claim was verified). Derived citizenship (INA 320) is
      // left out: it needs a childhood as a permanent resident that this life does not script.
      inAbsentiaOrder(kit, kit.random.pick(["N", "U", "Y"] as const), 2000, 6000);
      kit.truth.finalOrder = null;
      const identity = kit.identity;
      kit.fixBirth(
        drawBirthDay(kit.random, firstEventDay(kit), 16, 50, identity.nationality.placeholderBirthDateShare),
      );
      const basis = kit.random.pick(["acquired", "acquired", "birth_abroad", "verified_claim"] as const);
      const recorded = kit.daysAgo(10, 1500);
      kit.citizenship(basis, recorded, basis === "verified_claim" ? recorded : identity.birthDay);
      kit.truth.set("USC");
    },
    { maleShare: 0.65 },
  ),
];
