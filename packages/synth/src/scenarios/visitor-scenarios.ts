import { addYears, type DayNumber } from "../calendar/day-number.ts";
import { drawBirthDay } from "../records/identity.ts";
import { overstayedVisitor } from "./life-events.ts";
import { type Scenario, scenario } from "./scenario.ts";
import type { ScenarioKit } from "./scenario-kit.ts";

/** Earlier completed trips (admission, then a verified exit), oldest first, ending before `before`. */
function earlierTrips(kit: ScenarioKit, before: DayNumber): void {
  const trips = kit.random.chance(0.35) ? kit.random.between(1, 3) : 0;
  let day = before - kit.random.between(400, 900) * trips;
  for (let trip = 0; trip < trips; trip++) {
    const { admitUntil } = kit.visitorAdmission(day);
    const exit = kit.random.between(day + 3, Math.min(admitUntil, day + 40));
    kit.depart(exit, verifiedExitEvidence(kit));
    day = exit + kit.random.between(200, 700);
    if (day >= before - 60) break;
  }
}

/** How an exit reaches DHS: an airline manifest, or Canada's land-entry record (DOMAIN.md §2.2). */
function verifiedExitEvidence(kit: ScenarioKit): "carrier_manifest" | "land_exchange" {
  return kit.identity.nationality.code === "CAN" || kit.random.chance(0.08)
    ? "land_exchange"
    : "carrier_manifest";
}

/** A fixed-date class of admission of a worker's family or a business visitor, extendable by I-539. */
function extendableAdmission(kit: ScenarioKit, admitUntil: DayNumber): string {
  const classOfAdmission = kit.random.pick(["H4", "L2", "B1", "H4", "E2"]);
  const admission =
    classOfAdmission === "B1" ? admitUntil - 179 : addYears(admitUntil, -kit.random.pick([1, 2, 3])) + 1;
  if (classOfAdmission !== "E2")
    kit.visa(classOfAdmission === "B1" ? "B1/B2" : classOfAdmission, admission - kit.random.between(20, 200));
  return kit.admit(classOfAdmission, admission, admitUntil);
}

/** Visitors, students, workers, parolees and entrants without inspection: the people who mostly leave or keep status. */
export const VISITOR_SCENARIOS: readonly Scenario[] = [
  scenario("tourist_departed", 14, (kit) => {
    const admission = kit.daysAgo(30, 3000);
    earlierTrips(kit, admission);
    const { admitUntil } = kit.visitorAdmission(admission);
    kit.depart(kit.random.between(admission + 2, Math.min(admitUntil, kit.asOf)), verifiedExitEvidence(kit));
    kit.truth.set("DEPARTED");
  }),
  scenario("tourist_reentered", 2, (kit) => {
    const first = kit.daysAgo(400, 2500);
    const { admitUntil } = kit.visitorAdmission(first);
    kit.depart(kit.random.between(first + 3, Math.min(admitUntil, first + 60)), verifiedExitEvidence(kit));
    kit.visitorAdmission(kit.daysAgo(0, 85));
    kit.truth.set("ADMITTED_FIXED");
  }),
  scenario("visitor_admitted", 4, (kit) => {
    const admission = kit.daysAgo(0, 85);
    earlierTrips(kit, admission);
    kit.visitorAdmission(admission);
    kit.truth.set("ADMITTED_FIXED");
  }),
  scenario("overstay_in_country", 6, (kit) => {
    const { admitUntil } = overstayedVisitor(kit, 1, 2500);
    kit.truth.set("OVERSTAY_SUSPECTED");
    kit.truth.overstayInCountryDays = kit.asOf - admitUntil;
  }),
  scenario("overstay_out_of_country", 3, (kit) => {
    const { admitUntil } = overstayedVisitor(kit, 40, 2500);
    const exit = kit.random.between(admitUntil + 1, Math.min(admitUntil + 700, kit.asOf - 1));
    kit.depart(exit, verifiedExitEvidence(kit));
    kit.truth.set("DEPARTED");
  }),
  scenario("student_ds", 5, (kit) => {
    const admission = kit.daysAgo(20, 2500);
    kit.fixBirth(drawBirthDay(kit.random, admission, 17, 30, 0));
    const visaClass = kit.random.chance(0.8) ? "F1" : "J1";
    kit.visa(visaClass, admission - kit.random.between(15, 120));
    kit.admit(visaClass, admission, "D/S");
    kit.truth.set("ADMITTED_DS");
  }),
  scenario("worker_extension_pending", 2, (kit) => {
    const admitUntil = kit.daysAgo(-150, 150);
    const i94 = extendableAdmission(kit, admitUntil);
    const filed = Math.min(admitUntil - kit.random.between(0, 120), kit.asOf - 1);
    kit.benefit("I-539", [{ event: "filed", day: filed }], { i94 });
    kit.truth.set("EOS_COS_PENDING");
  }),
  scenario("worker_extension_approved", 2, (kit) => {
    const admitUntil = kit.daysAgo(20, 400);
    const i94 = extendableAdmission(kit, admitUntil);
    const filed = admitUntil - kit.random.between(10, 120);
    const approved = kit.random.between(filed + 20, Math.min(filed + 240, kit.asOf));
    const validTo = kit.random.between(kit.asOf + 1, kit.asOf + 700);
    kit.benefit(
      "I-539",
      [
        { event: "filed", day: filed },
        { event: "approved", day: approved, validFrom: admitUntil + 1, validTo },
      ],
      { i94 },
    );
    kit.truth.set("ADMITTED_FIXED");
  }),
  scenario("worker_extension_late", 0.7, (kit) => {
    const admitUntil = kit.daysAgo(70, 600);
    const i94 = extendableAdmission(kit, admitUntil);
    kit.benefit("I-539", [{ event: "filed", day: admitUntil + kit.random.between(1, 60) }], { i94 });
    kit.truth.set("OVERSTAY_SUSPECTED");
    kit.truth.overstayInCountryDays = kit.asOf - admitUntil;
  }),
  scenario("parolee", 2, (kit) => {
    const admission = kit.daysAgo(5, 330);
    const years = kit.random.pick([1, 2, 2]);
    kit.admit(
      kit.random.chance(0.8) ? "DT" : "PAROLE",
      admission,
      addYears(admission, years) - 1,
      kit.random.chance(0.5),
    );
    kit.truth.set("PAROLED");
  }),
  scenario(
    "ewi_present",
    3,
    (kit) => {
      const entry = kit.daysAgo(20, 5000);
      kit.enterWithoutInspection(
        entry,
        Math.min(
          kit.asOf,
          entry + (kit.random.chance(0.6) ? kit.random.between(0, 2) : kit.random.between(31, 3000)),
        ),
      );
      kit.truth.set("EWI_PRESENT");
    },
    { maleShare: 0.7 },
  ),
  scenario("visa_only", 3, (kit) => {
    kit.visa(kit.random.pick(["B1/B2", "B1/B2", "F1", "H1B"]), kit.daysAgo(5, 1500));
    kit.truth.set("NO_ENTRY_RECORDED");
  }),
  scenario(
    "inadmissible_at_port",
    0.7,
    (kit) => {
      const day = kit.daysAgo(5, 2500);
      if (kit.random.chance(0.6)) kit.visa("B1/B2", day - kit.random.between(30, 900));
      kit.encounter("inadmissible_at_port", day, { ewi: kit.random.chance(0.7) ? "N" : null });
      kit.truth.set("NO_ENTRY_RECORDED");
    },
    { maleShare: 0.65 },
  ),
];
