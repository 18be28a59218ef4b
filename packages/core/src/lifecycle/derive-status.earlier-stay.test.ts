import { describe, expect, it } from "vitest";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { courtRecord, custodyRecord, departureRecord, encounterRecord } from "./testing/lifecycle-records.ts";

/**
 * A removal order of an earlier stay (docs/lifecycle-semantics.md §2, closing): executed or abandoned by
 * the departure that ended that stay, it is history. Reusing it after a re-entry takes DHS reinstatement
 * (INA 241(a)(5), 8 CFR 241.8, with reasonable-fear screening), which the feeds do not carry, so no court
 * event on the old case dated after the re-entry (a motion, a stay, the Board's decision) makes it
 * executable again. K-1's order (2023-09-01) became final 2023-10-03 and was executed 2023-11-01; the
 * person re-entered without inspection on 2024-02-01.
 */

const firstEntry = encounterRecord("E-1", "interior_arrest", "2021-03-01", {
  entry_without_inspection: "Y",
  nationality: "SLV",
});
const proceedings = [
  courtRecord("C-1", "K-1", "nta_filed", "2023-01-10"),
  courtRecord("C-2", "K-1", "hearing", "2023-06-01"),
];
const order = courtRecord("C-3", "K-1", "decision", "2023-09-01", {
  outcome: "removal_ordered",
  destination_country: "SLV",
});
const removal = [
  custodyRecord("B-5", "book_in", "2023-10-10"),
  custodyRecord("B-5", "book_out", "2023-11-01", { reason: "removed" }),
];
const reentry = encounterRecord("E-9", "interior_arrest", "2024-05-01", {
  entry_without_inspection: "Y",
  entry_date: "2024-02-01",
  nationality: "SLV",
});
const removedAndBack = [firstEntry, ...proceedings, order, ...removal, reentry];

/** The state after re-entry: present without inspection, the old order history, nothing actionable. */
function expectHistory(records: Parameters<typeof statusAsOf>[0], asOf = "2024-07-10") {
  const status = statusAsOf(records, asOf);
  expect(summaryOf(status)).toMatchObject({ primary: "EWI_PRESENT", finalOrderExecutable: false });
  expect(status.facts.court).toBeNull();
  expect(status.facts.otherCourtCases).toMatchObject([{ caseId: "K-1", reason: "earlier_stay" }]);
  return status;
}

describe("an order executed in an earlier stay", () => {
  it("is history after the re-entry", () => {
    const status = expectHistory(removedAndBack);
    expect(status.facts.entry).toMatchObject({ stayBegan: "2024-02-01", reentryAfterRemoval: true });
  });

  it("a motion the respondent files on the old case after the re-entry does not revive it", () => {
    const status = expectHistory([
      ...removedAndBack,
      courtRecord("C-20", "K-1", "motion_filed", "2024-07-01"),
    ]);
    // What the old order was stays on record, as history.
    expect(status.facts.entry?.reentryAfterRemoval).toBe(true);
  });

  it("a stay granted and lifted on the old case after the re-entry does not revive it", () => {
    expectHistory([
      ...removedAndBack,
      courtRecord("C-20", "K-1", "stay_granted", "2024-06-01"),
      courtRecord("C-21", "K-1", "stay_lifted", "2024-07-01"),
    ]);
  });

  it("a new case opened after the re-entry drives the state", () => {
    const status = statusAsOf(
      [...removedAndBack, courtRecord("X-1", "K-2", "nta_filed", "2024-06-01")],
      "2024-07-10",
    );
    expect(summaryOf(status)).toMatchObject({ primary: "NTA_ISSUED", finalOrderExecutable: false });
    expect(status.facts.court?.caseId).toBe("K-2");
    expect(status.facts.otherCourtCases).toMatchObject([{ caseId: "K-1", reason: "earlier_stay" }]);
  });
});

describe("an appeal abandoned by departing (8 CFR 1003.4)", () => {
  it("the Board's dismissal dated after the re-entry does not make the order executable", () => {
    const records = [
      firstEntry,
      ...proceedings,
      order,
      courtRecord("C-4", "K-1", "appeal_filed", "2023-09-20"),
      departureRecord("D-1", "2023-11-01", "carrier_manifest"),
      reentry,
      courtRecord("C-5", "K-1", "appeal_decided", "2024-05-15", { outcome: "dismissed" }),
    ];
    const status = expectHistory(records);
    expect(status.facts.entry).toMatchObject({ stayBegan: "2024-02-01", reentryAfterRemoval: false });
  });
});
