import { describe, expect, it } from "vitest";
import { dayOf, isoDate } from "./calendar/day-number.ts";
import { appealDeadline, businessDayOnOrAfter } from "./calendar/federal-holidays.ts";
import type { SyntheticPerson } from "./generate-person.ts";
import { SCENARIO_NAMES } from "./scenarios/scenario-catalogue.ts";
import { generatePopulation, rowsOf, TEST_AS_OF } from "./testing/population-fixture.ts";

/** The scenarios the issue asks for, by the name the generator gives them. */
const REQUIRED_SCENARIOS = [
  "tourist_departed",
  "overstay_in_country",
  "overstay_out_of_country",
  "student_ds",
  "worker_extension_pending",
  "worker_extension_approved",
  "parolee",
  "ewi_present",
  "asylum_pending",
  "asylum_granted",
  "asylum_referred",
  "tps_current",
  "tps_expired",
  "daca_current",
  "daca_expired",
  "adjusted_lpr",
  "naturalised_citizen",
  "naturalised_with_enforcement_history",
  "nta_issued",
  "in_proceedings",
  "admin_closed",
  "in_absentia_order",
  "in_absentia_notice_not_served",
  "vd_departed",
  "vd_overstayed",
  "appeal_pending",
  "appeal_dismissed",
  "appeal_sustained",
  "appeal_remanded",
  "appeal_waived",
  "certification_pending",
  "certification_decided",
  "stay_court",
  "stay_court_lifted",
  "stay_dhs",
  "stay_dhs_expired",
  "mtr_in_absentia_pending",
  "final_order",
  "removal_in_progress",
  "removal_executed",
  "detained_final_order",
  "released_osup",
  "self_departure_corroborated",
  "self_departure_uncorroborated",
  "withholding_granted",
  "cat_granted",
  "third_country_removal",
  "t_visa_pending",
  "u_visa_granted",
  "vawa_pending",
];

const asOf = dayOf(TEST_AS_OF);
const EVENT_DATE_FIELDS = [
  "event_date",
  "admission_date",
  "departure_date",
  "issue_date",
  "disposition_date",
  "effective_date",
];

/** Every inconsistency between a person's truth and the truth's own rules or the person's rows. */
function problemsOf(person: SyntheticPerson): string[] {
  const truth = person.truth;
  const problems: string[] = [];
  const fail = (why: string) => problems.push(`${truth.person_id} ${truth.scenario}: ${why}`);
  const has = (code: string) => (truth.blockers as readonly string[]).includes(code);
  const court = rowsOf(person, "court");
  const benefit = rowsOf(person, "benefit");
  const decisions = court.filter((row) => row.event_type === "decision");
  const blocked = truth.blockers.length > 0;

  for (const { row } of person.rows) {
    for (const field of EVENT_DATE_FIELDS)
      if (row[field] && row[field]! > TEST_AS_OF) fail(`${field} ${row[field]} after as_of`);
  }
  if (truth.actionable) {
    // A claimed departure alone (DEPARTED claimed) leaves the final order executable.
    const claimedAlone = truth.state === "DEPARTED" && truth.departure_tier === "claimed";
    if (truth.state !== "FINAL_ORDER" && truth.state !== "REMOVAL_IN_PROGRESS" && !claimedAlone)
      fail("actionable without a final-order state");
    if (truth.final_order_date === null) fail("actionable without a final order");
    if (blocked || truth.gates.length > 0) fail("actionable with a blocker or gate");
  } else if (
    (truth.state === "FINAL_ORDER" || truth.state === "REMOVAL_IN_PROGRESS") &&
    !blocked &&
    truth.gates.length === 0
  ) {
    fail("final order, nothing blocks, but not actionable");
  }
  if (truth.citizen !== (truth.state === "USC")) fail("citizen flag disagrees with the state");
  // Review lifts only the identity gate of two passports or A-numbers, and only that changes.
  const identityInDoubt = /conflicting_(passport_numbers|a_numbers)/.test(truth.ambiguous ?? "");
  const expectedAfterReview = truth.gates.filter(
    (gate) => !(identityInDoubt && gate === "IDENTITY_NOT_CONFIRMED"),
  );
  if (truth.after_review.gates.join() !== expectedAfterReview.join()) fail("gates after review");
  if (truth.gates.includes("IDENTITY_NOT_CONFIRMED") !== identityInDoubt)
    fail("identity gate without two identifiers, or two identifiers without the gate");
  if (
    truth.after_review.actionable !==
    (truth.actionable ||
      (identityInDoubt &&
        expectedAfterReview.length === 0 &&
        truth.blockers.length === 0 &&
        (truth.state === "FINAL_ORDER" || truth.state === "REMOVAL_IN_PROGRESS") &&
        truth.final_order_date !== null))
  )
    fail("actionable after review");
  if (truth.state === "USC") {
    if (truth.blockers.join() !== "USC" || truth.actionable)
      fail("citizen with other blockers or actionable");
    const evidence =
      rowsOf(person, "citizenship").length > 0 ||
      benefit.some((row) => row.form_type === "N-400" && row.event === "approved");
    if (!evidence) fail("citizen without a citizenship record or N-400 approval");
  }
  if (
    (truth.state === "FINAL_ORDER" || truth.state === "REMOVAL_IN_PROGRESS") &&
    truth.final_order_date === null
  )
    fail("no final order date");
  if (truth.final_order_date !== null && truth.final_order_date > TEST_AS_OF) fail("final order after as_of");
  if ((truth.state === "DEPARTED") !== (truth.departure_tier !== null))
    fail("departure tier without DEPARTED");
  if (truth.departure_tier === "verified" && !has("DEPARTED"))
    fail("verified departure without the DEPARTED blocker");
  if (truth.departure_tier === "claimed") {
    // No gate (DOMAIN.md §1.8): the final order, if any, stays executable under the claim.
    if (truth.ambiguous === null) fail("claimed departure not ambiguous");
    if (rowsOf(person, "departure").some((row) => row.evidence !== "self_report"))
      fail("claimed tier despite a verified departure");
  }
  if (truth.state === "VD_PERIOD") {
    if (!has("VD_PERIOD_RUNNING")) fail("VD period without its blocker");
    // The last day to depart: the deadline, rolled past a weekend or holiday (Monsalvo Velazquez v. Bondi).
    const running = (row: (typeof decisions)[number]) =>
      row.outcome === "vd_with_alternate_order" &&
      isoDate(businessDayOnOrAfter(dayOf(row.deadline!))) >= TEST_AS_OF;
    if (!decisions.some(running)) fail("no running VD deadline");
  }
  if (truth.state === "APPEAL_WINDOW") {
    if (!has("APPEAL_WINDOW_OPEN")) fail("appeal window without its blocker");
    const open = decisions.some(
      (row) => row.outcome === "removal_ordered" && appealDeadline(dayOf(row.event_date!)) >= asOf,
    );
    if (!open) fail("no decision with an open window");
  }
  if (truth.state === "BIA_PENDING") {
    if (!has("APPEAL_PENDING")) fail("BIA pending without its blocker");
    if (
      !court.some((row) => row.event_type === "appeal_filed") ||
      court.some((row) => row.event_type === "appeal_decided")
    ) {
      fail("BIA pending without a pending appeal");
    }
  }
  if (has("STAY_GRANTED") !== truth.overlays.includes("STAY")) fail("STAY overlay and blocker disagree");
  if (truth.overstay_kind === "in_country") {
    const untils = rowsOf(person, "admission").map((row) => row.admit_until);
    // Pending only on an adjustment filed after the admit-until: still counted (DOMAIN.md §1.2).
    const lateAdjustment =
      truth.state === "BENEFIT_PENDING" &&
      truth.detail === "ADJUSTMENT" &&
      benefit.some(
        (row) =>
          row.form_type === "I-485" &&
          untils.some((until) => until !== "D/S" && dayOf(row.event_date!) > dayOf(until!)),
      );
    if ((truth.state !== "OVERSTAY_SUSPECTED" && !lateAdjustment) || !(truth.overstay_days! > 0))
      fail("in-country overstay outside OVERSTAY_SUSPECTED or a late adjustment");
    if (!untils.some((until) => until !== "D/S" && asOf - dayOf(until!) === truth.overstay_days))
      fail("overstay days match no admit-until");
  }
  if (truth.overstay_kind === "out_of_country") {
    const pairs = rowsOf(person, "admission").flatMap((admission) =>
      rowsOf(person, "departure").map(
        (departure) => dayOf(departure.departure_date!) - dayOf(admission.admit_until!),
      ),
    );
    if (truth.state !== "DEPARTED" || !pairs.includes(truth.overstay_days!))
      fail("out-of-country overstay days match no records");
  }
  if (truth.state === "OVERSTAY_SUSPECTED" && truth.overstay_kind !== "in_country")
    fail("overstay state without days");

  const asylumRecord =
    benefit.some((row) => row.form_type === "I-589") ||
    court.some((row) => ["asylum", "withholding", "cat"].includes(row.relief_type!));
  if (asylumRecord !== truth.overlays.includes("CONFIDENTIAL_ASYLUM"))
    fail("CONFIDENTIAL_ASYLUM disagrees with the records");
  const victimRecord = benefit.some((row) => ["I-914", "I-918", "I-360"].includes(row.form_type!));
  if (victimRecord !== truth.overlays.includes("CONFIDENTIAL_1367"))
    fail("CONFIDENTIAL_1367 disagrees with the records");
  const bookings = new Map<string, string[]>();
  for (const row of rowsOf(person, "custody"))
    bookings.set(row.booking_id!, [...(bookings.get(row.booking_id!) ?? []), row.event!]);
  const open = [...bookings.values()].some((events) => !events.includes("book_out"));
  if (open !== truth.overlays.includes("DETAINED")) fail("DETAINED disagrees with the custody records");
  if (truth.overlays.includes("OSUP") && truth.final_order_date === null) fail("OSUP without a final order");

  const rule = truth.final_order_rule;
  const finalDate = truth.final_order_date;
  const on = (row: { event_date?: string }) => row.event_date === finalDate;
  const ruleEvidence: Record<string, () => boolean> = {
    a: () =>
      court.some((row) => row.event_type === "appeal_decided" && row.outcome === "dismissed" && on(row)),
    b: () => decisions.some((row) => row.appeal_waived === "Y" && on(row)),
    c: () =>
      decisions.some(
        (row) =>
          row.outcome === "removal_ordered" &&
          isoDate(appealDeadline(dayOf(row.event_date!)) + 1) === finalDate,
      ),
    d: () => court.some((row) => row.event_type === "appeal_decided" && row.certified === "Y" && on(row)),
    e: () => decisions.some((row) => row.in_absentia === "Y" && on(row)),
    f: () =>
      decisions.some(
        (row) =>
          row.outcome === "vd_with_alternate_order" &&
          isoDate(businessDayOnOrAfter(dayOf(row.deadline!)) + 1) === finalDate,
      ) || court.some((row) => row.event_type === "motion_filed" && on(row)),
  };
  if (rule !== null && !ruleEvidence[rule]!())
    fail(`final order rule ${rule} on ${finalDate} has no supporting record`);
  if (
    truth.gates.includes("IN_ABSENTIA_NOTICE_NOT_SERVED") &&
    !decisions.some((row) => row.in_absentia === "Y" && row.notice_served !== "Y")
  ) {
    fail("notice gate without an in absentia order lacking notice");
  }
  if (truth.state === "REMOVAL_IN_PROGRESS") {
    const documents = rowsOf(person, "travel_document");
    if (!documents.some((row) => row.event_date! > finalDate!))
      fail("removal in progress without a travel document after finality");
  }
  if (truth.state === "PROTECTED_STATUS") {
    const forms: Record<string, () => boolean> = {
      LPR: () =>
        benefit.some((row) => row.form_type === "I-485" && row.event === "approved") ||
        decisions.some(
          (row) =>
            row.outcome === "relief_granted" && ["cancellation", "adjustment"].includes(row.relief_type!),
        ),
      ASYLEE: () => benefit.some((row) => row.form_type === "I-589" && row.event === "approved"),
      TPS: () =>
        benefit.some(
          (row) => row.form_type === "I-821" && row.event === "approved" && row.valid_to! >= TEST_AS_OF,
        ),
      DACA: () =>
        benefit.some(
          (row) => row.form_type === "I-821D" && row.event === "approved" && row.valid_to! >= TEST_AS_OF,
        ),
      U_STATUS: () =>
        benefit.some(
          (row) => row.form_type === "I-918" && row.event === "approved" && row.valid_to! >= TEST_AS_OF,
        ),
      WITHHOLDING: () =>
        decisions.some(
          (row) => row.relief_type === "withholding" && row.withholding_country === truth.protected_country,
        ),
      CAT: () =>
        decisions.some(
          (row) => row.relief_type === "cat" && row.withholding_country === truth.protected_country,
        ),
    };
    if (!forms[truth.detail!]?.()) fail(`protected status ${truth.detail} without a supporting grant`);
  }
  if (truth.state === "BENEFIT_PENDING") {
    const form = { ASYLUM: "I-589", ADJUSTMENT: "I-485", TPS: "I-821", T_VISA: "I-914", VAWA_SIJ: "I-360" }[
      truth.detail!
    ];
    const latest = new Map<string, string>();
    for (const row of benefit.filter((candidate) => candidate.form_type === form))
      latest.set(row.receipt_number!, row.event!);
    if (![...latest.values()].includes("filed")) fail(`pending ${truth.detail} without a pending ${form}`);
  }
  return problems;
}

describe("ground truth", () => {
  const { persons, population } = generatePopulation({ persons: 3000, seed: "truth" });

  it("contains every scenario the population mix must have", () => {
    for (const name of REQUIRED_SCENARIOS) expect(SCENARIO_NAMES).toContain(name);
    const counts = population.summary().scenarios;
    for (const name of SCENARIO_NAMES) expect(counts[name], name).toBeGreaterThan(0);
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(3000);
  });

  it("gives a minority convictions and a mix of states", () => {
    const convicted = persons.filter((person) => rowsOf(person, "conviction").length > 0).length;
    expect(convicted / persons.length).toBeGreaterThan(0.03);
    expect(convicted / persons.length).toBeLessThan(0.15);
    const states = population.summary().states;
    for (const state of Object.keys(states))
      expect(states[state as keyof typeof states], state).toBeGreaterThan(0);
  });

  it("is internally consistent and rests on the person's own records", () => {
    const problems = persons.flatMap(problemsOf);
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it("gates removal under withholding or CAT by the blocker's rule, also before any order names a destination", () => {
    // lifecycle-semantics §8: the grant bars the order when no destination is set; the policy
    // package's gate WITHHOLDING_COUNTRY_DESTINATION applies the same rule (issue 5).
    const protectedPersons = persons.filter((person) => person.truth.blockers.includes("WITHHOLDING_OR_CAT"));
    expect(protectedPersons.length).toBeGreaterThan(5);
    const disagreeing = persons.filter(
      (person) =>
        person.truth.state !== "USC" &&
        person.truth.gates.includes("WITHHOLDING_COUNTRY_DESTINATION") !==
          person.truth.blockers.includes("WITHHOLDING_OR_CAT"),
    );
    expect(disagreeing.map((person) => person.personId)).toEqual([]);
    const withoutOrder = protectedPersons.filter((person) => person.truth.final_order_date === null);
    expect(withoutOrder.length).toBeGreaterThan(0);
    for (const person of withoutOrder)
      expect(person.truth.gates).toContain("WITHHOLDING_COUNTRY_DESTINATION");
  });

  it("detects an inconsistent truth (the checks can fail)", () => {
    const sample = persons.find((person) => person.truth.actionable)!;
    const broken = { ...sample, truth: { ...sample.truth, final_order_date: null } };
    expect(problemsOf(broken).length).toBeGreaterThan(0);
    const citizen = persons.find((person) => person.truth.state === "USC")!;
    expect(problemsOf({ ...citizen, truth: { ...citizen.truth, actionable: true } }).length).toBeGreaterThan(
      0,
    );
  });
});
