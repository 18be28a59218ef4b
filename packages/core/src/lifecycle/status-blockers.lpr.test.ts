import { describe, expect, it } from "vitest";
import { blockerOf, statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  benefitRecord,
  cite,
  courtRecord,
  encounterRecord,
  travelDocumentRecord,
} from "./testing/lifecycle-records.ts";

/**
 * LPR and a final order (DOMAIN.md §1.9: "removable only via proceedings … status persists until
 * final order"). The order ends permanent residence granted before it became final; a grant made
 * after that is permanent residence the order never ended, and blocks its execution. The removal
 * order of 2024-01-15 became final on 2024-02-15 (the appeal window closed on 2024-02-14).
 */

const encounter = encounterRecord("E-1", "interior_arrest", "2021-03-01", {
  entry_without_inspection: "Y",
  nationality: "GTM",
});
const order = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
  outcome: "removal_ordered",
  destination_country: "GTM",
});
const finalOrder = [
  encounter,
  courtRecord("C-1", "K-1", "nta_filed", "2023-01-10"),
  courtRecord("C-2", "K-1", "hearing", "2023-06-01"),
  order,
];
const filed = benefitRecord("MSC0000000001", "I-485", "filed", "2024-03-01");

describe("LPR blocker against a final order", () => {
  it("a grant after the order became final blocks, citing the grant and the order", () => {
    const approved = benefitRecord("MSC0000000001", "I-485", "approved", "2024-06-01");
    const status = statusAsOf([...finalOrder, filed, approved], "2024-07-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: ["LPR"],
      finalOrderExecutable: false,
    });
    const blocker = blockerOf(status, "LPR");
    expect(blocker.evidence).toEqual(expect.arrayContaining([cite(approved), cite(order)]));
    expect(blocker.detail).toContain("2024-02-15");
  });

  it("a grant after finality also blocks a removal in progress", () => {
    const approved = benefitRecord("MSC0000000001", "I-485", "approved", "2024-06-01");
    const document = travelDocumentRecord("TD-1", "requested", "2024-03-01", { country: "GTM" });
    const status = statusAsOf([...finalOrder, document, filed, approved], "2024-07-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "REMOVAL_IN_PROGRESS",
      blockers: ["LPR"],
      finalOrderExecutable: false,
    });
  });

  it("a grant the order itself ended (made before it became final) does not block", () => {
    const before = benefitRecord("MSC0000000002", "I-485", "approved", "2020-05-01");
    const status = statusAsOf([...finalOrder, before], "2024-07-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: [],
      finalOrderExecutable: true,
    });
  });
});
