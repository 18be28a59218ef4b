import { describe, expect, it } from "vitest";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  admissionRecord,
  benefitRecord,
  cite,
  citizenshipRecord,
  courtRecord,
  departureRecord,
  encounterRecord,
} from "./testing/lifecycle-records.ts";

/**
 * Unlawful presence (DOMAIN.md §1.2; docs/lifecycle-semantics.md §9) where it depends on what a
 * court or USCIS decided later: a D/S admission accrues only from a removal order that still stands,
 * and an asylum application referred to the court stays pending until the IJ decides it.
 */

describe("D/S: accrual only from a removal order that stands", () => {
  const student = admissionRecord("11111111111", "F1", "2020-01-01", "D/S");
  const order = courtRecord("C-1", "K-1", "decision", "2022-01-10", { outcome: "removal_ordered" });
  const appeal = courtRecord("C-2", "K-1", "appeal_filed", "2022-02-01");

  it("a removal order the board terminated starts no accrual, from the start", () => {
    const terminated = courtRecord("C-3", "K-1", "appeal_decided", "2022-09-01", { outcome: "terminated" });
    const status = statusAsOf([student, order, appeal, terminated], "2024-06-30");
    expect(summaryOf(status).primary).toBe("ADMITTED_DS");
    expect(status.facts.unlawfulPresence).toBeNull();
    // Before the board ruled, the order stood and accrual ran from the day after it.
    expect(
      statusAsOf([student, order, appeal, terminated], "2022-06-30").facts.unlawfulPresence,
    ).toMatchObject({
      basis: "duration_of_status_order",
      accrualStart: "2022-01-11",
      days: 171,
      evidence: [cite(student), cite(order)],
    });
  });

  it("a remanded order is void; a new order on remand starts accrual from its own day", () => {
    const remanded = courtRecord("C-3", "K-1", "appeal_decided", "2022-09-01", { outcome: "remanded" });
    const terminatedOnRemand = courtRecord("C-4", "K-1", "decision", "2023-01-10", { outcome: "terminated" });
    expect(
      statusAsOf([student, order, appeal, remanded, terminatedOnRemand], "2024-06-30").facts.unlawfulPresence,
    ).toBeNull();
    const orderedAgain = courtRecord("C-4", "K-1", "decision", "2023-01-10", { outcome: "removal_ordered" });
    expect(
      statusAsOf([student, order, appeal, remanded, orderedAgain], "2024-06-30").facts.unlawfulPresence,
    ).toMatchObject({
      accrualStart: "2023-01-11",
      days: 537,
      bar: "ten_year",
      evidence: [cite(student), cite(orderedAgain)],
    });
  });

  it("an order reopened by a granted motion starts no accrual", () => {
    const motion = courtRecord("C-2", "K-1", "motion_filed", "2022-02-01");
    const granted = courtRecord("C-3", "K-1", "motion_decided", "2022-03-01", { outcome: "granted" });
    const status = statusAsOf([student, order, motion, granted], "2024-06-30");
    expect(summaryOf(status).primary).toBe("IN_PROCEEDINGS");
    expect(status.facts.unlawfulPresence).toBeNull();
    // A motion denied leaves the order standing.
    const denied = courtRecord("C-3", "K-1", "motion_decided", "2022-03-01", { outcome: "denied" });
    expect(statusAsOf([student, order, motion, denied], "2024-06-30").facts.unlawfulPresence).toMatchObject({
      accrualStart: "2022-01-11",
      days: 902,
    });
  });
});

describe("asylum: a referred application stays pending until the IJ decides it", () => {
  const entry = encounterRecord("E-1", "interior_arrest", "2020-03-01", {
    entry_without_inspection: "Y",
    entry_date: "2020-01-01",
  });
  const filed = benefitRecord("ZLA0000000001", "I-589", "filed", "2020-06-01");
  const referred = benefitRecord("ZLA0000000001", "I-589", "referred", "2020-09-01");

  it("tolls from the filing through the referral while the court has not decided", () => {
    const status = statusAsOf([entry, filed, referred], "2022-01-01");
    expect(status.facts.unlawfulPresence).toMatchObject({ days: 732 - 580, bar: "none" });
    expect(status.facts.unlawfulPresence?.tolling).toEqual([
      {
        reason: "asylum_pending",
        from: "2020-06-01",
        to: "2022-01-01",
        days: 580,
        evidence: [cite(filed), cite(referred)],
      },
    ]);
  });

  it("ends the day before the IJ's removal order, citing it", () => {
    const order = courtRecord("C-1", "K-1", "decision", "2021-06-01", { outcome: "removal_ordered" });
    const status = statusAsOf([entry, filed, referred, order], "2022-01-01");
    expect(status.facts.unlawfulPresence).toMatchObject({ days: 732 - 365, bar: "ten_year" });
    expect(status.facts.unlawfulPresence?.tolling).toEqual([
      {
        reason: "asylum_pending",
        from: "2020-06-01",
        to: "2021-05-31",
        days: 365,
        evidence: [cite(filed), cite(referred), cite(order)],
      },
    ]);
  });

  it("ends with asylum denied in court or the application withdrawn, not with a hearing or another relief denied", () => {
    const hearing = courtRecord("C-1", "K-1", "hearing", "2020-12-01", { relief_type: "asylum" });
    const otherDenied = courtRecord("C-2", "K-1", "decision", "2021-02-01", {
      outcome: "denied",
      relief_type: "cancellation",
    });
    const asylumDenied = courtRecord("C-3", "K-1", "decision", "2021-06-01", {
      outcome: "denied",
      relief_type: "asylum",
    });
    const tolled = (records: Parameters<typeof statusAsOf>[0]) =>
      statusAsOf(records, "2022-01-01").facts.unlawfulPresence?.tolling[0]?.to;
    expect(tolled([entry, filed, referred, hearing, otherDenied, asylumDenied])).toBe("2021-05-31");
    expect(tolled([entry, filed, referred, hearing, otherDenied])).toBe("2022-01-01");
    const withdrawn = benefitRecord("ZLA0000000001", "I-589", "withdrawn", "2021-03-01");
    expect(tolled([entry, filed, referred, hearing, withdrawn])).toBe("2021-02-28");
  });
});

describe("asylum: an IJ decision appealed in time leaves the application pending before the board", () => {
  const entry = encounterRecord("E-1", "interior_arrest", "2020-03-01", {
    entry_without_inspection: "Y",
    entry_date: "2020-01-01",
  });
  const filed = benefitRecord("ZLA0000000001", "I-589", "filed", "2020-06-01");
  const referred = benefitRecord("ZLA0000000001", "I-589", "referred", "2020-09-01");
  const order = courtRecord("C-1", "K-1", "decision", "2021-06-01", { outcome: "removal_ordered" });
  // 30 days after 1 June 2021 is Thursday 1 July: the last timely day.
  const appeal = courtRecord("C-2", "K-1", "appeal_filed", "2021-07-01");
  const tollingOf = (records: Parameters<typeof statusAsOf>[0]) =>
    statusAsOf(records, "2022-06-30").facts.unlawfulPresence?.tolling.find(
      (interval) => interval.reason === "asylum_pending",
    );

  it("tolls through the pending appeal, citing the order and the appeal", () => {
    expect(tollingOf([entry, filed, referred, order, appeal])).toEqual({
      reason: "asylum_pending",
      from: "2020-06-01",
      to: "2022-06-30",
      days: 760,
      evidence: [cite(filed), cite(referred), cite(order), cite(appeal)],
    });
  });

  it("ends the day before the board dismisses the appeal", () => {
    const dismissed = courtRecord("C-3", "K-1", "appeal_decided", "2022-02-01", { outcome: "dismissed" });
    expect(tollingOf([entry, filed, referred, order, appeal, dismissed])).toMatchObject({
      to: "2022-01-31",
      evidence: [cite(filed), cite(referred), cite(order), cite(appeal), cite(dismissed)],
    });
  });

  it("after a remand stays pending until the IJ decides again", () => {
    const remanded = courtRecord("C-3", "K-1", "appeal_decided", "2022-02-01", { outcome: "remanded" });
    expect(tollingOf([entry, filed, referred, order, appeal, remanded])?.to).toBe("2022-06-30");
    const orderedAgain = courtRecord("C-4", "K-1", "decision", "2022-05-02", { outcome: "removal_ordered" });
    expect(tollingOf([entry, filed, referred, order, appeal, remanded, orderedAgain])?.to).toBe("2022-05-01");
  });

  it("an appeal filed late, or on another case, does not keep it pending", () => {
    const late = courtRecord("C-2", "K-1", "appeal_filed", "2021-07-02");
    expect(tollingOf([entry, filed, referred, order, late])?.to).toBe("2021-05-31");
    const otherCase = courtRecord("C-2", "K-2", "appeal_filed", "2021-06-15");
    expect(tollingOf([entry, filed, referred, order, otherCase])?.to).toBe("2021-05-31");
  });

  it("a withdrawal while the appeal is pending ends it", () => {
    const withdrawn = benefitRecord("ZLA0000000001", "I-589", "withdrawn", "2021-10-01");
    expect(tollingOf([entry, filed, referred, order, appeal, withdrawn])?.to).toBe("2021-09-30");
  });
});

describe("an approved change of status with no end date makes the stay D/S", () => {
  const visitor = admissionRecord("11111111111", "B2", "2020-01-01", "2020-06-30");
  const filed = benefitRecord("EAC0000000001", "I-539", "filed", "2020-05-01");
  const approved = benefitRecord("EAC0000000001", "I-539", "approved", "2020-09-01");

  it("no overstay and no unlawful presence once approved; the admission fact cites the I-539", () => {
    expect(summaryOf(statusAsOf([visitor, filed, approved], "2020-08-01")).primary).toBe("EOS_COS_PENDING");
    const status = statusAsOf([visitor, filed, approved], "2021-09-01");
    expect(summaryOf(status)).toMatchObject({ primary: "ADMITTED_DS", until: null });
    expect(status.state.evidence).toEqual(expect.arrayContaining([cite(visitor), cite(approved)]));
    expect(status.facts.overstay).toBeNull();
    expect(status.facts.unlawfulPresence).toBeNull();
    expect(status.facts.admission).toMatchObject({
      durationOfStatus: true,
      authorisedUntil: null,
      evidence: [cite(visitor), cite(approved), cite(filed)],
    });
  });

  it("accrues only from a removal order, citing the admission, the I-539 and the order", () => {
    const order = courtRecord("C-1", "K-1", "decision", "2021-03-01", { outcome: "removal_ordered" });
    expect(statusAsOf([visitor, filed, approved, order], "2021-09-01").facts.unlawfulPresence).toMatchObject({
      basis: "duration_of_status_order",
      accrualStart: "2021-03-02",
      days: 184,
      bar: "three_year",
      evidence: [cite(visitor), cite(approved), cite(filed), cite(order)],
    });
  });

  it("a later approval with an end date makes the stay fixed again", () => {
    const refiled = benefitRecord("EAC0000000002", "I-539", "filed", "2021-01-01");
    const dated = benefitRecord("EAC0000000002", "I-539", "approved", "2021-02-01", {
      valid_to: "2021-06-30",
    });
    const status = statusAsOf([visitor, filed, approved, refiled, dated], "2021-09-01");
    expect(summaryOf(status).primary).toBe("OVERSTAY_SUSPECTED");
    expect(status.facts.overstay).toMatchObject({ kind: "in_country", days: 63 });
  });
});

describe("a citizen accrues no unlawful presence (INA 212(a)(9)(B) applies to aliens)", () => {
  const entry = encounterRecord("E-1", "interior_arrest", "2012-01-01", { entry_without_inspection: "Y" });

  it("derived citizenship: none once it holds; before it, the count as it then stood", () => {
    const derived = citizenshipRecord("CERT-1", "derived", "2014-06-01");
    const status = statusAsOf([entry, derived], "2026-11-01");
    expect(summaryOf(status).primary).toBe("USC");
    expect(status.facts.unlawfulPresence).toBeNull();
    expect(statusAsOf([entry, derived], "2014-05-31").facts.unlawfulPresence).toMatchObject({
      accrualStart: "2012-01-01",
      days: 882,
    });
  });

  it("a citizen at birth, or one naturalised, has none", () => {
    const atBirth = citizenshipRecord("CERT-1", "birth_abroad", "2020-03-01");
    expect(statusAsOf([entry, atBirth], "2016-01-01").facts.unlawfulPresence).toBeNull();
    const filed = benefitRecord("NBC0000000001", "N-400", "filed", "2017-06-01");
    const naturalised = benefitRecord("NBC0000000001", "N-400", "approved", "2018-01-10");
    const status = statusAsOf([entry, filed, naturalised], "2026-11-01");
    expect(summaryOf(status).primary).toBe("USC");
    expect(status.facts.unlawfulPresence).toBeNull();
  });
});

describe("a defensive asylum application is decided in court", () => {
  const entry = encounterRecord("E-1", "interior_arrest", "2022-01-01", { entry_without_inspection: "Y" });
  const nta = courtRecord("C-1", "K-1", "nta_filed", "2022-02-20");
  const filed = benefitRecord("ZLA0000000001", "I-589", "filed", "2022-03-01");
  const order = courtRecord("C-2", "K-1", "decision", "2023-01-10", {
    outcome: "removal_ordered",
    appeal_waived: "Y",
  });
  const removed = departureRecord("D-1", "2023-12-01", "removal_executed");

  it("filed after the NTA, with no referral: pending until the IJ's order, as a referred one", () => {
    const presence = statusAsOf([entry, nta, filed, order, removed], "2024-01-01").facts.unlawfulPresence;
    expect(presence?.tolling).toMatchObject([
      { reason: "asylum_pending", from: "2022-03-01", to: "2023-01-09" },
    ]);
    expect(presence).toMatchObject({ days: 385, bar: "ten_year", barAttached: true });
    // Exactly what the same records give with a referral.
    const referred = benefitRecord("ZLA0000000001", "I-589", "referred", "2022-04-01");
    const withReferral = statusAsOf([entry, nta, filed, referred, order, removed], "2024-01-01");
    expect(withReferral.facts.unlawfulPresence).toMatchObject({
      days: presence?.days,
      bar: presence?.bar,
      tolling: [{ from: "2022-03-01", to: "2023-01-09" }],
    });
  });
});

describe("the 3-year bar attaches only on a voluntary departure before proceedings began", () => {
  const entry = encounterRecord("E-1", "interior_arrest", "2022-01-01", { entry_without_inspection: "Y" });
  const nta = courtRecord("C-1", "K-1", "nta_filed", "2022-04-01");
  const order = courtRecord("C-2", "K-1", "decision", "2022-05-01", {
    outcome: "removal_ordered",
    appeal_waived: "Y",
  });

  it("not after a removal, nor after a departure once proceedings had begun", () => {
    const removed = departureRecord("D-1", "2022-08-01", "removal_executed");
    expect(statusAsOf([entry, nta, order, removed], "2022-09-01").facts.unlawfulPresence).toMatchObject({
      days: 213,
      bar: "three_year",
      barAttached: false,
    });
    const left = departureRecord("D-1", "2022-08-01", "carrier_manifest");
    expect(statusAsOf([entry, nta, left], "2022-09-01").facts.unlawfulPresence).toMatchObject({
      bar: "three_year",
      barAttached: false,
    });
  });

  it("on a departure before proceedings; the 10-year bar on any departure or removal", () => {
    const left = departureRecord("D-1", "2022-08-01", "carrier_manifest");
    const lateNta = courtRecord("C-1", "K-1", "nta_filed", "2022-08-02");
    expect(statusAsOf([entry, lateNta, left], "2022-09-01").facts.unlawfulPresence).toMatchObject({
      bar: "three_year",
      barAttached: true,
    });
    const removedLater = departureRecord("D-1", "2023-02-01", "removal_executed");
    expect(statusAsOf([entry, nta, order, removedLater], "2023-03-01").facts.unlawfulPresence).toMatchObject({
      bar: "ten_year",
      barAttached: true,
    });
  });
});
