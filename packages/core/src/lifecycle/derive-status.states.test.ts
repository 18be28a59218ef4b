import { describe, expect, it } from "vitest";
import { blockerOf, statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  admissionRecord,
  benefitRecord,
  cite,
  citizenshipRecord,
  courtRecord,
  custodyRecord,
  departureRecord,
  encounterRecord,
  recordOf,
  travelDocumentRecord,
} from "./testing/lifecycle-records.ts";

/**
 * Golden scenarios: one per row of DOMAIN.md §1.1 (every primary state and every overlay), each
 * with its exact state, overlays, blockers and evidence (docs/lifecycle-semantics.md §2, §7).
 */

const visitor = admissionRecord("AB123456789", "B2", "2024-01-10", "2024-07-09", { nationality: "MEX" });
const nta = courtRecord("C-1", "K-1", "nta_filed", "2024-02-01");
const hearing = courtRecord("C-2", "K-1", "hearing", "2024-04-01");
const removalOrder = courtRecord("C-3", "K-1", "decision", "2024-10-29", {
  outcome: "removal_ordered",
  destination_country: "MEX",
});
const inProceedings = [visitor, nta, hearing];
const finalOrderRecords = [...inProceedings, removalOrder];

describe("primary states (DOMAIN.md §1.1)", () => {
  it("NO_ENTRY_RECORDED: a visa alone records no entry, and no citizenship fact is inferred", () => {
    const visa = recordOf("visa", {
      visa_id: "V-1",
      visa_class: "B1/B2",
      issue_date: "2023-05-01",
      expiry_date: "2033-04-30",
      nationality: "IND",
    });
    const status = statusAsOf([visa], "2024-06-01");
    expect(summaryOf(status)).toEqual({
      primary: "NO_ENTRY_RECORDED",
      detail: null,
      since: null,
      until: null,
      overlays: [],
      blockers: [],
      policyConsiderations: [],
      finalOrderExecutable: false,
    });
    expect(status.state.evidence).toEqual([]);
    expect(status.facts.citizenship).toBeNull();
    expect(status.facts.entry).toBeNull();
    expect(status.gateInputs.nationalities).toEqual([{ country: "IND", evidence: [cite(visa)] }]);
  });

  it("ADMITTED_FIXED: admitted until a date that has not passed", () => {
    const status = statusAsOf([visitor], "2024-03-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "ADMITTED_FIXED",
      since: "2024-01-10",
      until: "2024-07-09",
      blockers: [],
    });
    expect(status.state.evidence).toEqual([cite(visitor)]);
    expect(status.facts.overstay).toBeNull();
    expect(status.facts.unlawfulPresence).toBeNull();
    // The day the state will change with no new record: the first day past admit-until.
    expect(status.nextChangeOn).toBe("2024-07-10");
  });

  it("ADMITTED_DS: a duration-of-status admission has no end date", () => {
    const student = admissionRecord("F1000000001", "F1", "2020-08-15", "D/S");
    const status = statusAsOf([student], "2025-06-01");
    expect(summaryOf(status)).toMatchObject({ primary: "ADMITTED_DS", since: "2020-08-15", until: null });
    expect(status.facts.admission).toMatchObject({
      durationOfStatus: true,
      authorisedUntil: null,
      admitUntilRecorded: "D/S",
    });
    expect(status.state.evidence).toEqual([cite(student)]);
  });

  it("PAROLED: parole (INA 212(d)(5)) recorded as class PAROLE", () => {
    const parole = admissionRecord("P0000000001", "PAROLE", "2023-05-01", "2025-04-30");
    const status = statusAsOf([parole], "2024-01-01");
    expect(summaryOf(status)).toMatchObject({ primary: "PAROLED", since: "2023-05-01", until: "2025-04-30" });
    expect(status.facts.entry).toMatchObject({ kind: "parole", stayBegan: "2023-05-01" });
  });

  it("EWI_PRESENT: entry without inspection, dated by the encounter's entry date", () => {
    const encounter = encounterRecord("E-1", "interior_arrest", "2022-03-01", {
      entry_without_inspection: "Y",
      entry_date: "2019-06-15",
    });
    const status = statusAsOf([encounter], "2024-01-01");
    expect(summaryOf(status)).toMatchObject({ primary: "EWI_PRESENT", since: "2019-06-15", blockers: [] });
    expect(status.state.evidence).toEqual([cite(encounter)]);
    expect(status.facts.unlawfulPresence).toMatchObject({
      basis: "entry_without_inspection",
      accrualStart: "2019-06-15",
      accrualEnd: "2024-01-01",
      days: 1662,
      bar: "ten_year",
      barAttached: false,
    });
  });

  it("EOS_COS_PENDING: an extension filed before admit-until keeps the person out of overstay", () => {
    const extension = benefitRecord("IOE0000000001", "I-539", "filed", "2024-07-01");
    const status = statusAsOf([visitor, extension], "2024-09-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "EOS_COS_PENDING",
      since: "2024-07-01",
      blockers: [],
    });
    expect(status.state.evidence).toEqual([cite(visitor), cite(extension)]);
    expect(status.facts.overstay).toBeNull();
    expect(status.facts.unlawfulPresence).toMatchObject({ days: 0, accrualStart: "2024-07-10" });
    expect(status.facts.unlawfulPresence?.tolling).toEqual([
      {
        reason: "extension_pending",
        from: "2024-07-10",
        to: "2024-09-01",
        days: 54,
        evidence: [cite(extension)],
      },
    ]);
  });

  it("OVERSTAY_SUSPECTED: no departure or status after admit-until, with exact days", () => {
    const status = statusAsOf([visitor], "2024-09-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "OVERSTAY_SUSPECTED",
      since: "2024-07-10",
      blockers: [],
    });
    expect(status.facts.overstay).toEqual({
      kind: "in_country",
      days: 54,
      authorisedUntil: "2024-07-09",
      departureDate: null,
      evidence: [cite(visitor)],
    });
  });

  it("BENEFIT_PENDING(ASYLUM): a pending I-589, confidential under 8 CFR 208.6", () => {
    const encounter = encounterRecord("E-2", "border_apprehension", "2022-11-20", {
      entry_without_inspection: "Y",
    });
    const asylum = benefitRecord("ZLA0000000001", "I-589", "filed", "2023-02-01");
    const status = statusAsOf([encounter, asylum], "2023-06-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "BENEFIT_PENDING",
      detail: "ASYLUM",
      since: "2023-02-01",
      overlays: ["CONFIDENTIAL_ASYLUM"],
      blockers: [],
    });
    expect(status.state.evidence).toEqual([cite(asylum)]);
    expect(status.overlays[0]?.evidence).toEqual([cite(asylum)]);
  });

  it("PROTECTED_STATUS(TPS): a current grant, which also blocks removal", () => {
    const tps = benefitRecord("EAC0000000001", "I-821", "approved", "2022-12-15", {
      valid_from: "2023-01-01",
      valid_to: "2024-12-31",
    });
    const status = statusAsOf([tps], "2024-06-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "PROTECTED_STATUS",
      detail: "TPS",
      since: "2023-01-01",
      until: "2024-12-31",
      blockers: ["TPS"],
    });
    expect(blockerOf(status, "TPS").evidence).toEqual([cite(tps)]);
    // Expired: no longer protects.
    expect(summaryOf(statusAsOf([tps], "2025-01-01"))).toMatchObject({
      primary: "NO_ENTRY_RECORDED",
      blockers: [],
    });
  });

  it("NTA_ISSUED, then IN_PROCEEDINGS once a hearing is held, then admin closure", () => {
    expect(summaryOf(statusAsOf([visitor, nta], "2024-03-01"))).toMatchObject({
      primary: "NTA_ISSUED",
      since: "2024-02-01",
    });
    const status = statusAsOf(inProceedings, "2024-05-01");
    expect(summaryOf(status)).toMatchObject({ primary: "IN_PROCEEDINGS", detail: null, since: "2024-04-01" });
    expect(status.state.evidence).toEqual([cite(nta), cite(hearing)]);
    const closure = courtRecord("C-4", "K-1", "decision", "2024-06-01", { outcome: "admin_closed" });
    expect(summaryOf(statusAsOf([...inProceedings, closure], "2024-07-01"))).toMatchObject({
      primary: "IN_PROCEEDINGS",
      detail: "admin_closed",
      since: "2024-06-01",
    });
  });

  it("IJ_DECIDED(terminated) while open to appeal; afterwards the case no longer drives the state", () => {
    const termination = courtRecord("C-5", "K-1", "decision", "2024-06-03", { outcome: "terminated" });
    const during = statusAsOf([...inProceedings, termination], "2024-06-20");
    expect(summaryOf(during)).toMatchObject({
      primary: "IJ_DECIDED",
      detail: "terminated",
      since: "2024-06-03",
      until: "2024-07-03",
      blockers: [],
    });
    expect(during.state.evidence).toEqual([cite(termination)]);
    expect(summaryOf(statusAsOf([...inProceedings, termination], "2024-07-04"))).toMatchObject({
      primary: "ADMITTED_FIXED",
    });
  });

  it("APPEAL_WINDOW: within 30 days of a removal order (rolled to the day after Thanksgiving)", () => {
    const status = statusAsOf(finalOrderRecords, "2024-11-15");
    expect(summaryOf(status)).toEqual({
      primary: "APPEAL_WINDOW",
      detail: null,
      since: "2024-10-29",
      until: "2024-11-29",
      overlays: [],
      blockers: ["APPEAL_WINDOW_OPEN"],
      policyConsiderations: [],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "APPEAL_WINDOW_OPEN").evidence).toEqual([cite(removalOrder)]);
    expect(status.facts.court?.decision?.appealDeadline).toBe("2024-11-29");
    expect(status.nextChangeOn).toBe("2024-11-30");
    expect(statusAsOf(finalOrderRecords, "2024-12-02").nextChangeOn).toBeNull();
  });

  it("BIA_PENDING: a timely appeal stays the order", () => {
    const appeal = courtRecord("C-6", "K-1", "appeal_filed", "2024-11-20");
    const status = statusAsOf([...finalOrderRecords, appeal], "2025-02-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "BIA_PENDING",
      since: "2024-11-20",
      blockers: ["APPEAL_PENDING"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "APPEAL_PENDING").evidence).toEqual([cite(removalOrder), cite(appeal)]);
  });

  it("FINAL_ORDER: the day after the appeal window with no appeal (8 CFR 1241.1(c))", () => {
    const status = statusAsOf(finalOrderRecords, "2024-12-02");
    expect(summaryOf(status)).toEqual({
      primary: "FINAL_ORDER",
      detail: null,
      since: "2024-11-30",
      until: null,
      overlays: [],
      blockers: [],
      policyConsiderations: [],
      finalOrderExecutable: true,
    });
    expect(status.state.evidence).toEqual([cite(removalOrder)]);
    expect(status.facts.court?.finality).toMatchObject({
      finalOn: "2024-11-30",
      rule: "c",
      basis: "8 CFR 1241.1(c)",
    });
    expect(status.timeline.map((entry) => entry.event)).toEqual([
      "admission",
      "court_nta_filed",
      "court_hearing",
      "court_decision",
      "order_final",
    ]);
  });

  it("VD_PERIOD: voluntary departure with an alternate order, until its deadline", () => {
    const grant = courtRecord("C-7", "K-1", "decision", "2024-03-01", {
      outcome: "vd_with_alternate_order",
      deadline: "2024-04-30",
    });
    const status = statusAsOf([visitor, nta, grant], "2024-03-20");
    expect(summaryOf(status)).toMatchObject({
      primary: "VD_PERIOD",
      since: "2024-03-01",
      until: "2024-04-30",
      // The appeal window is open too, but the VD period is the state and its blocker (§8).
      blockers: ["VD_PERIOD_RUNNING"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "VD_PERIOD_RUNNING").evidence).toEqual([cite(grant)]);
    expect(summaryOf(statusAsOf([visitor, nta, grant], "2024-05-01"))).toMatchObject({
      primary: "FINAL_ORDER",
      since: "2024-05-01",
      blockers: [],
    });
  });

  it("REMOVAL_IN_PROGRESS: a final order and a travel document requested after finality", () => {
    const requested = travelDocumentRecord("TD-1", "requested", "2024-12-10");
    const status = statusAsOf([...finalOrderRecords, requested], "2024-12-15");
    expect(summaryOf(status)).toMatchObject({
      primary: "REMOVAL_IN_PROGRESS",
      since: "2024-12-10",
      blockers: [],
      finalOrderExecutable: true,
    });
    expect(status.state.evidence).toEqual([cite(removalOrder), cite(requested)]);
    const refused = travelDocumentRecord("TD-1", "refused", "2024-12-20");
    expect(summaryOf(statusAsOf([...finalOrderRecords, requested, refused], "2024-12-21")).primary).toBe(
      "FINAL_ORDER",
    );
  });

  it("DEPARTED(verified): a carrier manifest ends the stay and blocks enforcement", () => {
    const exit = departureRecord("D-1", "2024-06-30", "carrier_manifest");
    const status = statusAsOf([visitor, exit], "2024-08-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "DEPARTED",
      detail: "verified",
      since: "2024-06-30",
      blockers: ["DEPARTED"],
    });
    expect(blockerOf(status, "DEPARTED").evidence).toEqual([cite(exit)]);
    expect(status.facts.overstay).toBeNull();
  });

  it("DEPARTED(claimed): a self-report alone stays claimed, cited, and leaves the final order executable", () => {
    const claim = departureRecord("D-2", "2024-12-05", "self_report");
    const status = statusAsOf([...finalOrderRecords, claim], "2024-12-10");
    expect(summaryOf(status)).toMatchObject({
      primary: "DEPARTED",
      detail: "claimed",
      blockers: [],
      finalOrderExecutable: true,
    });
    expect(status.state.evidence).toEqual([cite(claim)]);
    expect(status.gateInputs.claimedDeparturePending).toEqual({
      claimedOn: "2024-12-05",
      evidence: [cite(claim)],
      stateWithoutClaim: "FINAL_ORDER",
      evidenceWithoutClaim: [cite(finalOrderRecords.at(-1)!)],
    });
    // A claim over a case with no final order makes none executable.
    const noOrder = statusAsOf([finalOrderRecords[0]!, claim], "2024-12-10");
    expect(noOrder.state).toMatchObject({ primary: "DEPARTED", detail: "claimed" });
    expect(noOrder.finalOrderExecutable).toBe(false);
    expect(noOrder.gateInputs.claimedDeparturePending?.stateWithoutClaim).not.toBe("FINAL_ORDER");
    // Corroborated within the window by a land-exchange exit record: verified.
    const exit = departureRecord("D-3", "2024-12-12", "land_exchange");
    const corroborated = statusAsOf([...finalOrderRecords, claim, exit], "2024-12-20");
    expect(summaryOf(corroborated)).toMatchObject({
      primary: "DEPARTED",
      detail: "verified",
      blockers: ["DEPARTED"],
    });
    expect(corroborated.facts.departure).toMatchObject({
      tier: "verified",
      date: "2024-12-12",
      record: cite(exit),
      claim: cite(claim),
      corroboratedBy: cite(exit),
    });
    expect(corroborated.gateInputs.claimedDeparturePending).toBeNull();
    expect(corroborated.finalOrderExecutable).toBe(false);
  });

  it("DEPARTED: of several claims, the one a verified departure corroborates is reported, not the earliest", () => {
    const early = departureRecord("D-4", "2024-11-01", "self_report");
    const late = departureRecord("D-5", "2024-12-01", "self_report");
    // 39 days after the first claim (outside the 30-day window), 9 days after the second.
    const manifest = departureRecord("D-6", "2024-12-10", "carrier_manifest");
    const status = statusAsOf([...finalOrderRecords, early, late, manifest], "2024-12-20");
    expect(status.facts.departure).toMatchObject({
      tier: "verified",
      date: "2024-12-10",
      record: cite(manifest),
      claim: cite(late),
      corroboratedBy: cite(manifest),
    });
    // No claim corroborated: the earliest is reported, corroborated by nothing.
    const uncorroborated = statusAsOf([...finalOrderRecords, early, manifest], "2024-12-20");
    expect(uncorroborated.facts.departure).toMatchObject({ claim: cite(early), corroboratedBy: null });
  });

  it("USC: a citizenship record is terminal for enforcement, whatever the other records say", () => {
    const certificate = citizenshipRecord("N-1", "naturalized", "2025-01-15");
    const status = statusAsOf([...finalOrderRecords, certificate], "2025-02-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "USC",
      since: "2025-01-15",
      blockers: ["USC"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "USC").evidence).toEqual([cite(certificate)]);
    expect(status.facts.citizenship).toEqual({
      basis: "naturalized",
      effectiveDate: "2025-01-15",
      evidence: [cite(certificate)],
    });
    // Naturalisation ends permanent residence: a citizen's only blocker is USC.
    const residence = benefitRecord("MSC0000000001", "I-485", "approved", "2018-01-10");
    const oath = benefitRecord("NBC0000000001", "N-400", "approved", "2025-01-10");
    const citizen = statusAsOf([visitor, residence, oath], "2025-02-01");
    expect(summaryOf(citizen)).toMatchObject({ primary: "USC", since: "2025-01-10", blockers: ["USC"] });
    expect(blockerOf(citizen, "USC").evidence).toEqual([cite(oath)]);
    expect(citizen.facts.protections.map((protection) => protection.type)).toEqual(["LPR"]);
  });
});

describe("overlays (DOMAIN.md §1.1)", () => {
  it("STAY: a court stay of a final order blocks execution", () => {
    const stay = courtRecord("C-8", "K-1", "stay_granted", "2024-12-05", { deadline: "2025-03-01" });
    const status = statusAsOf([...finalOrderRecords, stay], "2024-12-10");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      overlays: ["STAY"],
      blockers: ["STAY_GRANTED"],
      finalOrderExecutable: false,
    });
    expect(status.overlays[0]).toMatchObject({
      since: "2024-12-05",
      until: "2025-03-01",
      evidence: [cite(stay)],
    });
    expect(blockerOf(status, "STAY_GRANTED").evidence).toEqual([cite(stay)]);
  });

  it("DETAINED: booked in with no later book-out (a transfer is not a release)", () => {
    const bookIn = custodyRecord("BK-1", "book_in", "2024-05-01");
    const transferOut = custodyRecord("BK-1", "book_out", "2024-05-10", { reason: "transferred" });
    const status = statusAsOf([...inProceedings, bookIn, transferOut], "2024-06-01");
    expect(summaryOf(status).overlays).toEqual(["DETAINED"]);
    expect(status.overlays[0]).toMatchObject({
      since: "2024-05-01",
      evidence: [cite(bookIn), cite(transferOut)],
    });
    expect(status.facts.custody).toMatchObject({
      detained: true,
      since: "2024-05-01",
      facilityCode: "FAC-01",
    });
    const released = custodyRecord("BK-1", "book_out", "2024-05-10", { reason: "bond" });
    expect(summaryOf(statusAsOf([...inProceedings, bookIn, released], "2024-06-01")).overlays).toEqual([]);
  });

  it("OSUP: released on an order of supervision after a final order", () => {
    const bookIn = custodyRecord("BK-2", "book_in", "2024-12-01");
    const release = custodyRecord("BK-2", "book_out", "2025-03-01", { reason: "osup" });
    const status = statusAsOf([...finalOrderRecords, bookIn, release], "2025-04-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      overlays: ["OSUP"],
      finalOrderExecutable: true,
    });
    expect(status.overlays[0]?.evidence).toEqual([cite(release)]);
  });

  it("a book-out for removal is an executed removal: DEPARTED(verified) though no departure record arrived", () => {
    const bookIn = custodyRecord("BK-3", "book_in", "2024-12-01");
    const removed = custodyRecord("BK-3", "book_out", "2025-01-15", { reason: "removed" });
    const status = statusAsOf([...finalOrderRecords, bookIn, removed], "2025-02-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "DEPARTED",
      detail: "verified",
      overlays: [],
      blockers: ["DEPARTED"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "DEPARTED").evidence).toEqual([cite(removed)]);
    // Released on bond instead: still a final order, and still in the country.
    const released = custodyRecord("BK-3", "book_out", "2025-01-15", { reason: "bond" });
    expect(summaryOf(statusAsOf([...finalOrderRecords, bookIn, released], "2025-02-01")).primary).toBe(
      "FINAL_ORDER",
    );
  });

  it("CONFIDENTIAL_1367 with a pending U visa: victim protection blocks (policy-dependent, held by default)", () => {
    const uVisa = benefitRecord("EAC0000000002", "I-918", "filed", "2025-01-05");
    const status = statusAsOf([...finalOrderRecords, uVisa], "2025-02-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      overlays: ["CONFIDENTIAL_1367"],
      blockers: ["VICTIM_PROTECTION"],
      policyConsiderations: [],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "VICTIM_PROTECTION")).toMatchObject({
      binding: "policy",
      evidence: [cite(uVisa)],
    });
    expect(status.overlays[0]?.evidence).toEqual([cite(uVisa)]);
  });

  it("CONFIDENTIAL_ASYLUM from a court withholding claim", () => {
    const claim = courtRecord("C-9", "K-1", "hearing", "2024-05-01", { relief_type: "withholding" });
    const status = statusAsOf([...inProceedings, claim], "2024-06-01");
    expect(summaryOf(status).overlays).toEqual(["CONFIDENTIAL_ASYLUM"]);
    expect(status.overlays[0]?.evidence).toEqual([cite(claim)]);
  });

  it("USC_CLAIM_OPEN: an open citizenship claim (from redress) blocks like citizenship", () => {
    const claims = [{ claimId: "RD-1", openedOn: "2024-12-01" }];
    const status = statusAsOf(finalOrderRecords, "2024-12-10", { claims });
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      overlays: ["USC_CLAIM_OPEN"],
      blockers: ["USC"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "USC")).toMatchObject({ claimIds: ["RD-1"], evidence: [] });
    const closed = [{ claimId: "RD-1", openedOn: "2024-12-01", closedOn: "2024-12-08" }];
    expect(
      summaryOf(statusAsOf(finalOrderRecords, "2024-12-10", { claims: closed })).finalOrderExecutable,
    ).toBe(true);
  });
});
