import { describe, expect, it } from "vitest";
import { blockerOf, statusAsOf } from "./testing/derive-helpers.ts";
import { benefitRecord, cite, courtRecord, ewiInProceedings } from "./testing/lifecycle-records.ts";

/**
 * A final removal order ends permanent residence granted before it became final (8 CFR 1.2;
 * docs/lifecycle-semantics.md §8): from that day the grant is no current protection and no longer
 * tolls unlawful presence (§9). A grant made on or after that day is one the order never ended.
 */

const filed = benefitRecord("MSC2200000001", "I-485", "filed", "2022-11-01");
const approved = benefitRecord("MSC2200000001", "I-485", "approved", "2023-02-01");
// Decided 2023-09-01; the appeal window's last day (2023-10-01, a Sunday) rolls to Monday 2023-10-02.
const order = courtRecord("C-3", "K-1", "decision", "2023-09-01", { outcome: "removal_ordered" });
const records = [...ewiInProceedings(), filed, approved, order];

describe("an LPR grant made before the order became final", () => {
  it("ends the day before finality: no current protection, and accrual resumes", () => {
    const status = statusAsOf(records, "2024-03-01");
    expect(status.state.primary).toBe("FINAL_ORDER");
    expect(status.state.since).toBe("2023-10-03");
    expect(status.finalOrderExecutable).toBe(true);
    expect(status.facts.protections).toEqual([]);
    const presence = status.facts.unlawfulPresence;
    expect(presence?.tolling).toMatchObject([
      { reason: "adjustment_pending", from: "2022-11-01", to: "2023-01-31", days: 92 },
      { reason: "lawful_status", from: "2023-02-01", to: "2023-10-02", days: 244 },
    ]);
    // 2021-03-01..2024-03-01 is 1097 days, less 92 and 244.
    expect(presence).toMatchObject({ days: 761, bar: "ten_year" });
    // The tolling cites what ended it: the order that became final.
    expect(presence?.tolling[1]?.evidence).toEqual(expect.arrayContaining([cite(approved), cite(order)]));
  });

  it("still holds, and blocks, while the order is open to appeal", () => {
    const status = statusAsOf(records, "2023-09-15");
    expect(status.facts.protections).toMatchObject([
      { type: "LPR", validFrom: "2023-02-01", validTo: "2023-10-02" },
    ]);
    expect(blockerOf(status, "LPR")).toBeDefined();
  });

  it("a grant made on or after the day of finality is not ended: it still blocks (item 29)", () => {
    const later = [
      ...ewiInProceedings(),
      order,
      benefitRecord("MSC2300000002", "I-485", "filed", "2023-10-10"),
      benefitRecord("MSC2300000002", "I-485", "approved", "2023-12-01"),
    ];
    const status = statusAsOf(later, "2024-03-01");
    expect(status.facts.protections).toMatchObject([{ type: "LPR", validFrom: "2023-12-01", validTo: null }]);
    expect(blockerOf(status, "LPR")).toBeDefined();
    expect(status.finalOrderExecutable).toBe(false);
    expect(status.facts.unlawfulPresence?.tolling).toMatchObject([
      { reason: "adjustment_pending", from: "2023-10-10", to: "2023-11-30" },
      { reason: "lawful_status", from: "2023-12-01", to: "2024-03-01" },
    ]);
  });

  it("an order the Board sent back ends nothing: the grant holds on", () => {
    const remanded = [
      ...records,
      courtRecord("C-4", "K-1", "appeal_filed", "2023-09-20"),
      courtRecord("C-5", "K-1", "appeal_decided", "2024-01-10", { outcome: "remanded" }),
    ];
    const status = statusAsOf(remanded, "2024-03-01");
    expect(status.facts.protections).toMatchObject([{ type: "LPR", validTo: null }]);
    expect(status.facts.unlawfulPresence?.tolling).toMatchObject([
      { reason: "adjustment_pending" },
      { reason: "lawful_status", from: "2023-02-01", to: "2024-03-01" },
    ]);
  });
});
