import { describe, expect, it } from "vitest";
import { createLifecycleRules } from "./lifecycle-rules.ts";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  admissionRecord,
  benefitRecord,
  cite,
  courtRecord,
  departureRecord,
  encounterRecord,
} from "./testing/lifecycle-records.ts";

/**
 * Overstay and unlawful presence (DOMAIN.md §1.2; docs/lifecycle-semantics.md §2, §9): exact day
 * arithmetic, in-country against out-of-country, D/S, extensions, tolling and the bars.
 */

const visitor = admissionRecord("AB123456789", "B2", "2023-03-01", "2023-08-31");

describe("overstay", () => {
  it("in-country: days from admit-until to the as-of date", () => {
    const status = statusAsOf([visitor], "2024-01-15");
    expect(summaryOf(status).primary).toBe("OVERSTAY_SUSPECTED");
    expect(status.facts.overstay).toMatchObject({ kind: "in_country", days: 137, departureDate: null });
    expect(status.facts.unlawfulPresence).toMatchObject({
      basis: "authorised_stay_ended",
      accrualStart: "2023-09-01",
      accrualEnd: "2024-01-15",
      days: 137,
      bar: "none",
      barAttached: false,
    });
  });

  it("out-of-country: days from admit-until to the departure, and the bar attaches on departure", () => {
    const exit = departureRecord("D-1", "2023-12-01", "carrier_manifest");
    const status = statusAsOf([visitor, exit], "2024-01-15");
    expect(summaryOf(status)).toMatchObject({ primary: "DEPARTED", detail: "verified" });
    expect(status.facts.overstay).toEqual({
      kind: "out_of_country",
      days: 92,
      authorisedUntil: "2023-08-31",
      departureDate: "2023-12-01",
      evidence: [cite(visitor), cite(exit)],
    });
    expect(status.facts.unlawfulPresence).toMatchObject({ days: 92, bar: "none", barAttached: true });
    const later = departureRecord("D-1", "2024-06-01", "carrier_manifest");
    const threeYears = statusAsOf([visitor, later], "2024-07-01");
    expect(threeYears.facts.overstay?.days).toBe(275);
    expect(threeYears.facts.unlawfulPresence).toMatchObject({
      days: 275,
      bar: "three_year",
      barAttached: true,
    });
  });

  it("a claimed departure alone is no out-of-country overstay: the stay goes on until a government record corroborates it", () => {
    const claim = departureRecord("D-1", "2023-12-01", "self_report");
    const claimed = statusAsOf([visitor, claim], "2024-01-15");
    expect(summaryOf(claimed)).toMatchObject({ primary: "DEPARTED", detail: "claimed" });
    expect(claimed.facts.overstay).toEqual({
      kind: "departure_claimed",
      days: 137,
      authorisedUntil: "2023-08-31",
      departureDate: "2023-12-01",
      evidence: [cite(visitor), cite(claim)],
    });
    // The same count as unlawful presence, which runs to the as-of date.
    expect(claimed.facts.unlawfulPresence).toMatchObject({ accrualEnd: "2024-01-15", days: 137 });
    // A claim of leaving on time is no proof of it either, once the period is over.
    const onTime = departureRecord("D-1", "2023-08-30", "self_report");
    expect(statusAsOf([visitor, onTime], "2024-01-15").facts.overstay).toMatchObject({
      kind: "departure_claimed",
      days: 137,
    });
    expect(statusAsOf([visitor, onTime], "2023-08-31").facts.overstay).toBeNull();
    // Corroborated by a manifest within 30 days: out of the country, dated by the manifest.
    const manifest = departureRecord("D-2", "2023-12-05", "carrier_manifest");
    expect(statusAsOf([visitor, claim, manifest], "2024-01-15").facts.overstay).toMatchObject({
      kind: "out_of_country",
      days: 96,
      departureDate: "2023-12-05",
    });
  });

  it("no overstay when the departure is within the authorised period", () => {
    const exit = departureRecord("D-1", "2023-08-31", "carrier_manifest");
    const status = statusAsOf([visitor, exit], "2024-01-15");
    expect(status.facts.overstay).toBeNull();
    expect(status.facts.unlawfulPresence).toBeNull();
  });

  it("D/S never overstays by date; unlawful presence starts only the day after an IJ removal order", () => {
    const student = admissionRecord("F1000000001", "F1", "2010-08-20", "D/S");
    const decades = statusAsOf([student], "2040-01-01");
    expect(summaryOf(decades).primary).toBe("ADMITTED_DS");
    expect(decades.facts.overstay).toBeNull();
    expect(decades.facts.unlawfulPresence).toBeNull();
    const order = courtRecord("C-1", "K-1", "decision", "2024-05-01", { outcome: "removal_ordered" });
    const ordered = statusAsOf([student, order], "2024-12-31");
    expect(ordered.facts.unlawfulPresence).toMatchObject({
      basis: "duration_of_status_order",
      accrualStart: "2024-05-02",
      days: 244,
      evidence: [cite(student), cite(order)],
    });
  });

  it("D/S classes the rules turn into fixed periods overstay after the period and its grace", () => {
    const student = admissionRecord("F1000000001", "F1", "2020-08-20", "D/S");
    const rules = createLifecycleRules({ durationOfStatusFixedPeriodDays: { F1: 1461 } });
    // 1461 days counting the admission day end on 2024-08-19; the F-1 grace adds 60 days.
    expect(statusAsOf([student], "2024-10-18", { rules }).state.primary).toBe("ADMITTED_FIXED");
    expect(statusAsOf([student], "2024-10-18", { rules }).facts.admission?.authorisedUntil).toBe(
      "2024-10-18",
    );
    expect(statusAsOf([student], "2024-10-19", { rules }).facts.overstay?.days).toBe(1);
  });

  it("an approved extension moves admit-until; a VWP entrant's filing is never timely", () => {
    const filed = benefitRecord("IOE0000000001", "I-539", "filed", "2023-08-01");
    const approved = benefitRecord("IOE0000000001", "I-539", "approved", "2023-10-01", {
      valid_to: "2024-02-29",
    });
    expect(summaryOf(statusAsOf([visitor, filed, approved], "2024-01-15"))).toMatchObject({
      primary: "ADMITTED_FIXED",
      until: "2024-02-29",
    });
    expect(statusAsOf([visitor, filed, approved], "2024-03-10").facts.overstay?.days).toBe(10);
    const waiver = admissionRecord("WT000000001", "WT", "2023-06-01", "2023-08-29");
    expect(summaryOf(statusAsOf([waiver, filed], "2023-09-15")).primary).toBe("OVERSTAY_SUSPECTED");
  });

  it("a parole whose date has passed is an overstay (parole ended)", () => {
    const parole = admissionRecord("P0000000001", "DT", "2022-05-01", "2024-04-30");
    const status = statusAsOf([parole], "2024-05-10");
    expect(summaryOf(status)).toMatchObject({ primary: "OVERSTAY_SUSPECTED", since: "2024-05-01" });
    expect(status.facts.unlawfulPresence).toMatchObject({ basis: "parole_ended", days: 10 });
  });
});

describe("unlawful presence in one continuous stay (INA 212(a)(9)(B)(i))", () => {
  const unlawfulEntry = encounterRecord("E-1", "interior_arrest", "2019-11-01", {
    entry_without_inspection: "Y",
    entry_date: "2010-01-01",
  });
  const parole = admissionRecord("P0000000001", "PAROLE", "2020-01-01", "2021-01-01");

  it("sums every entry's unlawful days: from an unlawful entry, not while paroled in place, again once the parole ended", () => {
    const status = statusAsOf([unlawfulEntry, parole], "2021-06-01");
    expect(summaryOf(status).primary).toBe("OVERSTAY_SUSPECTED");
    expect(status.facts.unlawfulPresence).toEqual({
      basis: "entry_without_inspection",
      accrualStart: "2010-01-01",
      accrualEnd: "2021-06-01",
      // 2010-2019 (3,652 days), then 2021-01-02 to 2021-06-01 (151 days).
      days: 3652 + 151,
      tolling: [
        {
          reason: "authorised_stay",
          from: "2020-01-01",
          to: "2021-01-01",
          days: 367,
          evidence: [cite(parole)],
        },
      ],
      bar: "ten_year",
      barAttached: false,
      evidence: [cite(parole), cite(unlawfulEntry)],
    });
  });

  it("counts nothing from before a verified departure: re-entry begins a new stay", () => {
    const exit = departureRecord("D-1", "2015-01-01", "carrier_manifest");
    expect(statusAsOf([unlawfulEntry, exit, parole], "2021-06-01").facts.unlawfulPresence).toMatchObject({
      basis: "parole_ended",
      accrualStart: "2021-01-02",
      days: 151,
      tolling: [],
      bar: "none",
    });
  });

  it("a claimed departure neither ends the accrual nor attaches the bar until a government record corroborates it", () => {
    const entry = encounterRecord("E-1", "interior_arrest", "2020-03-01", {
      entry_without_inspection: "Y",
      entry_date: "2020-01-01",
    });
    const claim = departureRecord("D-1", "2021-06-29", "self_report");
    const claimed = statusAsOf([entry, claim], "2022-01-01");
    expect(summaryOf(claimed)).toMatchObject({ primary: "DEPARTED", detail: "claimed" });
    expect(claimed.facts.unlawfulPresence).toMatchObject({
      accrualEnd: "2022-01-01",
      days: 732,
      bar: "ten_year",
      barAttached: false,
      evidence: [cite(entry)],
    });
    const exit = departureRecord("D-2", "2021-07-02", "carrier_manifest");
    const verified = statusAsOf([entry, claim, exit], "2022-01-01");
    expect(summaryOf(verified)).toMatchObject({ primary: "DEPARTED", detail: "verified" });
    expect(verified.facts.unlawfulPresence).toMatchObject({
      accrualEnd: "2021-07-02",
      days: 549,
      barAttached: true,
      evidence: [cite(exit), cite(entry)],
    });
  });
});

describe("unlawful presence tolling (INA 212(a)(9)(B)(iii), (iv))", () => {
  it("subtracts minority and a pending asylum application, each citing its record", () => {
    const entry = encounterRecord("E-1", "interior_arrest", "2021-09-01", {
      entry_without_inspection: "Y",
      entry_date: "2018-01-01",
      date_of_birth: "2001-06-01",
    });
    const filed = benefitRecord("ZLA0000000001", "I-589", "filed", "2020-01-01");
    const denied = benefitRecord("ZLA0000000001", "I-589", "denied", "2021-01-01");
    const status = statusAsOf([entry, filed, denied], "2022-01-01");
    expect(status.facts.unlawfulPresence).toMatchObject({
      accrualStart: "2018-01-01",
      accrualEnd: "2022-01-01",
      days: 1462 - 516 - 366,
      bar: "ten_year",
    });
    expect(status.facts.unlawfulPresence?.tolling).toEqual([
      { reason: "under_18", from: "2018-01-01", to: "2019-05-31", days: 516, evidence: [cite(entry)] },
      {
        reason: "asylum_pending",
        from: "2020-01-01",
        to: "2020-12-31",
        days: 366,
        evidence: [cite(denied), cite(filed)],
      },
    ]);
  });

  it("counts an application as pending until its decision (a referral only moves it to the court)", () => {
    const entry = encounterRecord("E-1", "interior_arrest", "2021-09-01", {
      entry_without_inspection: "Y",
      entry_date: "2021-01-01",
    });
    const filed = benefitRecord("ZLA0000000001", "I-589", "filed", "2021-03-01");
    const referred = benefitRecord("ZLA0000000001", "I-589", "referred", "2021-06-01");
    const denied = benefitRecord("ZLA0000000001", "I-589", "denied", "2022-01-01");
    const status = statusAsOf([entry, filed, referred, denied], "2022-06-01");
    expect(status.facts.unlawfulPresence?.tolling).toEqual([
      {
        reason: "asylum_pending",
        from: "2021-03-01",
        to: "2021-12-31",
        days: 306,
        evidence: [cite(denied), cite(filed), cite(referred)],
      },
    ]);
  });

  it("accrues nothing before 1 April 1997", () => {
    const entry = encounterRecord("E-1", "interior_arrest", "1999-01-01", {
      entry_without_inspection: "Y",
      entry_date: "1995-06-01",
    });
    expect(statusAsOf([entry], "1998-01-01").facts.unlawfulPresence).toMatchObject({
      accrualStart: "1997-04-01",
      days: 276,
    });
  });

  it("tolls a timely extension for at most 120 days", () => {
    const filed = benefitRecord("IOE0000000001", "I-539", "filed", "2023-08-15");
    const status = statusAsOf([visitor, filed], "2024-03-01");
    expect(summaryOf(status).primary).toBe("EOS_COS_PENDING");
    expect(status.facts.unlawfulPresence).toMatchObject({ days: 183 - 120 });
    expect(status.facts.unlawfulPresence?.tolling).toEqual([
      {
        reason: "extension_pending",
        from: "2023-09-01",
        to: "2023-12-29",
        days: 120,
        evidence: [cite(filed)],
      },
    ]);
  });

  it("stops accruing while adjustment is pending and once it is granted", () => {
    const filed = benefitRecord("MSC0000000001", "I-485", "filed", "2024-01-01");
    const approved = benefitRecord("MSC0000000001", "I-485", "approved", "2024-06-01");
    const status = statusAsOf([visitor, filed, approved], "2025-01-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "PROTECTED_STATUS",
      detail: "LPR",
      blockers: ["LPR"],
    });
    expect(status.facts.unlawfulPresence?.days).toBe(122);
    expect(status.facts.unlawfulPresence?.tolling.map(({ reason, days }) => ({ reason, days }))).toEqual([
      { reason: "adjustment_pending", days: 152 },
      { reason: "lawful_status", days: 215 },
    ]);
  });

  it("reads a placeholder date of birth as the rules say", () => {
    const entry = encounterRecord("E-1", "interior_arrest", "2020-01-01", {
      entry_without_inspection: "Y",
      entry_date: "2018-06-01",
      date_of_birth: "2001-01-01",
    });
    const days = (treatment: "as_recorded" | "end_of_year" | "ignore") =>
      statusAsOf([entry], "2020-06-01", {
        rules: createLifecycleRules({ placeholderBirthDateTreatment: treatment }),
      }).facts.unlawfulPresence?.days;
    expect(days("end_of_year")).toBe(732 - 578);
    expect(days("as_recorded")).toBe(732 - 214);
    expect(days("ignore")).toBe(732);
  });
});
