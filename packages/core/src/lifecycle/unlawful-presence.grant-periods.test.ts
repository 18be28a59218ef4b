import { describe, expect, it } from "vitest";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  admissionRecord,
  benefitRecord,
  courtRecord,
  departureRecord,
  encounterRecord,
} from "./testing/lifecycle-records.ts";

/**
 * A grant tolls unlawful presence for the period it was in force, however it ended later
 * (docs/lifecycle-semantics.md §8, §9): a withdrawal, termination or revocation ends it on its day,
 * not retroactively, and so does a reopening of the court decision that granted it.
 */

const ewi = (date: string) =>
  encounterRecord("E-1", "interior_arrest", date, { entry_without_inspection: "Y" });

describe("a grant later ended tolls the time it held", () => {
  const tps = [
    ewi("2014-01-01"),
    benefitRecord("EAC1400000001", "I-821", "filed", "2014-02-01"),
    benefitRecord("EAC1400000001", "I-821", "approved", "2014-03-01", { valid_to: "2016-09-09" }),
    benefitRecord("EAC1400000001", "I-821", "withdrawn", "2016-10-01"),
    departureRecord("D-1", "2016-12-01", "carrier_manifest"),
  ];

  it("TPS withdrawn after its validity: tolled from the approval to valid_to", () => {
    const presence = statusAsOf(tps, "2017-01-01").facts.unlawfulPresence;
    expect(presence).toMatchObject({ days: 59 + 83, bar: "none", barAttached: true });
    expect(presence?.tolling).toMatchObject([{ reason: "tps", from: "2014-03-01", to: "2016-09-09" }]);
    // The same count as of a day before the withdrawal, when the approval was the receipt's latest.
    expect(statusAsOf(tps.slice(0, 3), "2016-09-30").facts.unlawfulPresence).toMatchObject({
      days: 59 + 21,
    });
  });

  it("a withdrawal before valid_to ends the tolling the day before it", () => {
    const early = benefitRecord("EAC1400000001", "I-821", "withdrawn", "2015-03-01");
    const presence = statusAsOf([...tps.slice(0, 3), early, tps[4]!], "2017-01-01").facts.unlawfulPresence;
    expect(presence?.tolling).toMatchObject([{ reason: "tps", from: "2014-03-01", to: "2015-02-28" }]);
    // 2014-01-01..2014-02-28 (59) and 2015-03-01..2016-12-01 (642).
    expect(presence?.days).toBe(59 + 642);
  });

  it.each([
    ["I-589", "terminated", "asylum_pending", "lawful_status"],
    ["I-485", "revoked", "adjustment_pending", "lawful_status"],
    ["I-821D", "terminated", null, "deferred_action"],
  ])("%s approved, then %s: tolled while it held", (form, ending, pendingReason, grantReason) => {
    const records = [
      ewi("2015-01-01"),
      benefitRecord("EAC1500000001", form, "filed", "2015-03-01"),
      benefitRecord("EAC1500000001", form, "approved", "2015-06-01"),
      benefitRecord("EAC1500000001", form, ending, "2017-06-01"),
      departureRecord("D-1", "2017-09-01", "carrier_manifest"),
    ];
    const presence = statusAsOf(records, "2017-10-01").facts.unlawfulPresence;
    const pending = pendingReason === null ? [] : [{ reason: pendingReason, from: "2015-03-01" }];
    expect(presence?.tolling).toMatchObject([
      ...pending,
      { reason: grantReason, from: "2015-06-01", to: "2017-05-31" },
    ]);
    // 2015-01-01..2015-02-28 (59), the pending months unless they toll (92), and 2017-06-01..2017-09-01 (93).
    expect(presence).toMatchObject({
      days: 59 + (pendingReason === null ? 92 : 0) + 93,
      bar: pendingReason === null ? "three_year" : "none",
      barAttached: true,
    });
  });

  it.each([
    ["asylum", "lawful_status"],
    ["cancellation", "lawful_status"],
  ])(
    "an IJ %s grant later reopened tolls from the decision to the day before the reopening",
    (relief, reason) => {
      const records = [
        ewi("2018-01-01"),
        courtRecord("C-1", "K-1", "nta_filed", "2018-03-01"),
        courtRecord("C-2", "K-1", "decision", "2018-07-01", {
          outcome: "relief_granted",
          relief_type: relief,
        }),
        courtRecord("C-3", "K-1", "motion_filed", "2019-06-01"),
        courtRecord("C-4", "K-1", "motion_decided", "2019-07-01", { outcome: "granted" }),
      ];
      const status = statusAsOf(records, "2019-12-31");
      expect(summaryOf(status).primary).toBe("IN_PROCEEDINGS");
      expect(status.facts.unlawfulPresence?.tolling).toMatchObject([
        { reason, from: "2018-07-01", to: "2019-06-30" },
      ]);
      // 2018-01-01..2018-06-30 (181) and 2019-07-01..2019-12-31 (184).
      expect(status.facts.unlawfulPresence).toMatchObject({ days: 181 + 184, bar: "ten_year" });
    },
  );

  it("an approved I-539 later revoked extended the stay to the day before the revocation", () => {
    const records = [
      admissionRecord("22222222222", "B2", "2020-01-01", "2020-06-30"),
      benefitRecord("EAC2000000001", "I-539", "filed", "2020-06-01"),
      benefitRecord("EAC2000000001", "I-539", "approved", "2020-07-15", { valid_to: "2020-12-31" }),
      benefitRecord("EAC2000000001", "I-539", "revoked", "2020-10-01"),
    ];
    const status = statusAsOf(records, "2021-03-01");
    expect(summaryOf(status).primary).toBe("OVERSTAY_SUSPECTED");
    expect(status.facts.admission).toMatchObject({ authorisedUntil: "2020-09-30" });
    expect(status.facts.unlawfulPresence).toMatchObject({
      accrualStart: "2020-10-01",
      days: 152,
      bar: "none",
    });
  });
});
