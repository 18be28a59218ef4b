import { addYears, type DayNumber, dayOf } from "../calendar/day-number.ts";
import { inAbsentiaOrder, proceedingsUntil, unappealedOrder } from "./life-events.ts";
import { type Scenario, scenario } from "./scenario.ts";
import type { ScenarioKit } from "./scenario-kit.ts";
import { TPS_PERIOD_DAYS, tpsDesignatedOn } from "./tps-designations.ts";

/** DACA began on 15 August 2012; applicants must have entered before 15 June 2007, under 16. */
const DACA_START = dayOf("2012-08-15");
const DACA_ENTRY_BEFORE = dayOf("2007-06-15");

/** An entry some time before `before`: without inspection, as a visitor, or on parole. */
function enter(kit: ScenarioKit, earliest: DayNumber, latest: DayNumber): { i94?: string } {
  const entry = kit.random.between(earliest, latest);
  const path = kit.random.next();
  if (path < 0.55) {
    kit.enterWithoutInspection(entry);
    return {};
  }
  if (path < 0.9) return { i94: kit.visitorAdmission(entry).i94 };
  return { i94: kit.admit("DT", entry, addYears(entry, 1) - 1) };
}

/** Filed and, when `decided` is given, decided (approved or another outcome). */
function application(
  kit: ScenarioKit,
  form: string,
  filed: DayNumber,
  decided?: { event: string; day: DayNumber; validFrom?: DayNumber; validTo?: DayNumber },
  i94?: string,
): void {
  kit.benefit(
    form,
    decided === undefined ? [{ event: "filed", day: filed }] : [{ event: "filed", day: filed }, decided],
    i94 ? { i94 } : {},
  );
}

/**
 * TPS registrations of 18 months each, the latest ending on `lastValidTo` (each re-registration is
 * a new I-821 receipt). None is filed or valid before the country's designation: periods that
 * would start before it are left out, and the last ends at least one period after it.
 */
function tpsRegistrations(
  kit: ScenarioKit,
  lastValidTo: DayNumber,
  count: number,
  options: { withdrawnAfterLast?: boolean } = {},
): void {
  const designated = tpsDesignatedOn(kit.identity.nationality.code);
  const last = Math.max(lastValidTo, designated + TPS_PERIOD_DAYS - 1);
  for (let period = count - 1; period >= 0; period--) {
    const validTo = last - period * TPS_PERIOD_DAYS;
    const validFrom = validTo - (TPS_PERIOD_DAYS - 1);
    if (validFrom < designated) continue;
    let approved = Math.min(validFrom + kit.random.between(-30, 60), kit.asOf);
    const filed = Math.max(designated, approved - kit.random.between(40, 200));
    if (approved <= filed) approved = Math.min(filed + kit.random.between(30, 120), kit.asOf);
    const events = [
      { event: "filed", day: filed },
      { event: "approved", day: approved, validFrom, validTo },
    ];
    // Not re-registered when the designation was extended: USCIS withdraws TPS (INA 244(c)(3)(C),
    // 8 CFR 244.14(a)(3)), recorded on the last registration's receipt after its period ended. A
    // lapsed registration alone does not end TPS while the designation is extended (DOMAIN.md §1.3).
    if (period === 0 && options.withdrawnAfterLast && validTo < kit.asOf) {
      events.push({ event: "terminated", day: kit.random.between(validTo + 1, kit.asOf) });
    }
    kit.benefit("I-821", events, {});
  }
}

/** One DACA request (I-821D): filed, then approved for two years from `validFrom`. */
interface DacaGrant {
  readonly filed: DayNumber;
  readonly approved: DayNumber;
  readonly validFrom: DayNumber;
  readonly validTo: DayNumber;
}

/**
 * DACA grants of two years, renewed, the latest ending on `lastValidTo`. No request is filed
 * before the programme began (DACA_START).
 */
function planDacaGrants(kit: ScenarioKit, lastValidTo: DayNumber): DacaGrant[] {
  const renewals: DayNumber[] = [];
  for (let validTo = lastValidTo; validTo - 730 >= DACA_START && renewals.length < 6; validTo -= 730)
    renewals.unshift(validTo);
  if (renewals.length === 0) renewals.push(DACA_START + 760);
  return renewals.slice(-kit.random.between(1, 3)).map((validTo) => {
    const validFrom = validTo - 729;
    const approved = Math.min(validFrom, kit.asOf);
    const filed = Math.max(DACA_START, approved - kit.random.between(60, 150));
    return { filed, approved, validFrom, validTo };
  });
}

function fileDacaGrants(kit: ScenarioKit, grants: readonly DacaGrant[]): void {
  for (const { filed, approved, validFrom, validTo } of grants)
    application(kit, "I-821D", filed, { event: "approved", day: approved, validFrom, validTo });
}

/**
 * A childhood arrival before 15 June 2007, born after 15 June 1981 (the DACA criteria) and at least
 * 15 when first requesting DACA on `firstRequest` (8 CFR 236.22(b)(1); the exception for those in
 * proceedings is not scripted).
 */
function childhoodArrival(kit: ScenarioKit, firstRequest: DayNumber): "ewi_unrecorded" | "ewi" | "visitor" {
  const latestBirth = Math.min(dayOf("2006-06-01"), kit.asOf - 16 * 366, addYears(firstRequest, -15));
  kit.fixBirth(kit.random.between(dayOf("1981-06-16"), latestBirth));
  const birth = kit.identity.birthDay;
  const entry = kit.random.between(birth + 200, Math.min(addYears(birth, 16) - 1, DACA_ENTRY_BEFORE - 1));
  const path = kit.random.next();
  if (path < 0.5) {
    kit.markPresent(entry);
    return "ewi_unrecorded";
  }
  if (path < 0.7) {
    kit.enterWithoutInspection(entry);
    return "ewi";
  }
  kit.visitorAdmission(entry);
  return "visitor";
}

/** Asylum seekers, TPS and DACA holders, victims of trafficking and crime, withholding and CAT. */
export const HUMANITARIAN_SCENARIOS: readonly Scenario[] = [
  scenario("asylum_pending", 3, (kit) => {
    const { i94 } = enter(kit, kit.asOf - 2500, kit.asOf - 60);
    const filed = Math.min(kit.presentSince! + kit.random.between(20, 360), kit.asOf - 1);
    application(kit, "I-589", filed, undefined, i94);
    kit.truth.set("BENEFIT_PENDING", "ASYLUM");
  }),
  scenario("asylum_granted", 1.5, (kit) => {
    const { i94 } = enter(kit, kit.asOf - 4000, kit.asOf - 400);
    const filed = kit.presentSince! + kit.random.between(20, 360);
    const approved = Math.min(filed + kit.random.between(150, 1500), kit.asOf);
    application(kit, "I-589", filed, { event: "approved", day: approved }, i94);
    kit.truth.set("PROTECTED_STATUS", "ASYLEE");
  }),
  scenario("asylum_referred", 1.5, (kit) => {
    const { i94 } = enter(kit, kit.asOf - 3000, kit.asOf - 900);
    const filed = kit.presentSince! + kit.random.between(20, 360);
    const referred = filed + kit.random.between(90, 400);
    application(kit, "I-589", filed, { event: "referred", day: referred }, i94);
    const court = kit.court();
    const nta = referred + kit.random.between(5, 60);
    court.nta(nta);
    court.hearings(nta + 20, kit.asOf, kit.random.between(1, 4), "asylum");
    kit.truth.set("IN_PROCEEDINGS");
  }),
  scenario(
    "tps_current",
    2.5,
    (kit) => {
      kit.enterWithoutInspection(kit.daysAgo(2000, 9000));
      tpsRegistrations(kit, kit.asOf + kit.random.between(0, 540), kit.random.between(1, 3));
      kit.truth.set("PROTECTED_STATUS", "TPS");
    },
    { nationalities: "tps" },
  ),
  scenario(
    "tps_pending",
    0.5,
    (kit) => {
      kit.enterWithoutInspection(kit.daysAgo(200, 3000));
      application(
        kit,
        "I-821",
        Math.max(kit.daysAgo(1, 180), tpsDesignatedOn(kit.identity.nationality.code)),
      );
      kit.truth.set("BENEFIT_PENDING", "TPS");
    },
    { nationalities: "tps" },
  ),
  scenario(
    "tps_expired",
    1,
    (kit) => {
      kit.enterWithoutInspection(kit.daysAgo(3000, 9000));
      tpsRegistrations(kit, kit.daysAgo(1, 900), kit.random.between(1, 3), { withdrawnAfterLast: true });
      kit.truth.set("EWI_PRESENT");
    },
    { nationalities: "tps" },
  ),
  scenario(
    "tps_with_final_order",
    0.5,
    (kit) => {
      const order = inAbsentiaOrder(kit, "Y", 1700, 4000);
      tpsRegistrations(kit, Math.max(kit.asOf, order.decisionDay + 1200) + kit.random.between(0, 400), 1);
      kit.truth.set("FINAL_ORDER");
    },
    { nationalities: "tps", maleShare: 0.65 },
  ),
  scenario(
    "daca_current",
    2,
    (kit) => {
      const grants = planDacaGrants(kit, kit.asOf + kit.random.between(0, 700));
      childhoodArrival(kit, grants[0]!.filed);
      fileDacaGrants(kit, grants);
      kit.truth.set("PROTECTED_STATUS", "DACA");
    },
    { nationalities: "daca" },
  ),
  scenario(
    "daca_expired",
    0.7,
    (kit) => {
      const grants = planDacaGrants(kit, Math.max(DACA_START + 760, kit.asOf - kit.random.between(1, 1500)));
      const arrival = childhoodArrival(kit, grants[0]!.filed);
      fileDacaGrants(kit, grants);
      if (arrival === "ewi") kit.truth.set("EWI_PRESENT");
      else if (arrival === "ewi_unrecorded") kit.truth.set("NO_ENTRY_RECORDED");
      else {
        kit.truth.set("OVERSTAY_SUSPECTED");
        const stay = kit.stay!;
        kit.truth.overstayInCountryDays = kit.asOf - (stay.admitUntil as DayNumber);
      }
    },
    { nationalities: "daca" },
  ),
  scenario("t_visa_pending", 0.3, (kit) => {
    const { i94 } = enter(kit, kit.asOf - 3000, kit.asOf - 200);
    application(kit, "I-914", kit.random.between(kit.presentSince! + 30, kit.asOf - 1), undefined, i94);
    kit.truth.set("BENEFIT_PENDING", "T_VISA");
  }),
  scenario("u_visa_granted", 0.4, (kit) => {
    const { i94 } = enter(kit, kit.asOf - 5000, kit.asOf - 1500);
    const approved = kit.daysAgo(10, 1400);
    const filed = Math.max(kit.presentSince! + 60, approved - kit.random.between(400, 1500));
    application(
      kit,
      "I-918",
      filed,
      { event: "approved", day: approved, validFrom: approved, validTo: addYears(approved, 4) - 1 },
      i94,
    );
    kit.truth.set("PROTECTED_STATUS", "U_STATUS");
  }),
  scenario("vawa_pending", 0.3, (kit) => {
    const { i94 } = enter(kit, kit.asOf - 4000, kit.asOf - 300);
    application(kit, "I-360", kit.random.between(kit.presentSince! + 60, kit.asOf - 1), undefined, i94);
    kit.truth.set("BENEFIT_PENDING", "VAWA_SIJ");
  }),
  scenario(
    "u_visa_pending_final_order",
    0.2,
    (kit) => {
      const order = unappealedOrder(kit, { minDaysAgo: 200, maxDaysAgo: 2000 });
      application(kit, "I-918", kit.random.between(order.finalDay, kit.asOf - 1));
      kit.truth.set("FINAL_ORDER");
    },
    { maleShare: 0.4 },
  ),
  scenario("withholding_granted", 0.5, (kit) => protectionGranted(kit, "withholding"), { maleShare: 0.6 }),
  scenario("cat_granted", 0.3, (kit) => protectionGranted(kit, "cat"), { maleShare: 0.6 }),
];

/** Withholding of removal or CAT protection granted by an IJ more than an appeal window ago. */
function protectionGranted(kit: ScenarioKit, relief: "withholding" | "cat"): void {
  const decision = kit.courtDaysAgo(60, 2500);
  const court = proceedingsUntil(kit, decision, relief);
  const country = kit.identity.nationality.code;
  court.decision(decision, "relief_granted", { reliefType: relief, withholdingCountry: country });
  kit.truth.grants.push({
    type: relief === "withholding" ? "WITHHOLDING" : "CAT",
    from: decision,
    to: null,
    country,
  });
  kit.truth.set("PROTECTED_STATUS", relief === "withholding" ? "WITHHOLDING" : "CAT");
}
