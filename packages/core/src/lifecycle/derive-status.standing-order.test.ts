import { describe, expect, it } from "vitest";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { courtRecord, ewiInProceedings } from "./testing/lifecycle-records.ts";

/**
 * A later case that ends without deciding removal (terminated or dismissed) does not vacate an earlier
 * case's order (8 CFR 1241.1: the order stays final until the case is reopened). K-1's removal order of
 * 2023-09-01 became final 2023-10-03; a second charging document (K-2, NTA 2024-01-10) was terminated
 * 2024-03-01, final once its appeal window closed (2024-04-01).
 */

const proceedings = ewiInProceedings();
const order = courtRecord("C-3", "K-1", "decision", "2023-09-01", {
  outcome: "removal_ordered",
  destination_country: "SLV",
});
const secondCase = (outcome: string, extra: Record<string, string> = {}) => [
  courtRecord("X-1", "K-2", "nta_filed", "2024-01-10"),
  courtRecord("X-2", "K-2", "decision", "2024-03-01", { outcome, ...extra }),
];

describe("an earlier order that still stands after a later case ends", () => {
  for (const outcome of ["terminated", "dismissed"]) {
    it(`a later case ${outcome} leaves the earlier final order in force`, () => {
      const status = statusAsOf([...proceedings, order, ...secondCase(outcome)], "2024-06-01");
      expect(summaryOf(status)).toMatchObject({
        primary: "FINAL_ORDER",
        since: "2023-10-03",
        blockers: [],
        finalOrderExecutable: true,
      });
      expect(status.facts.court?.caseId).toBe("K-1");
      expect(status.facts.otherCourtCases).toMatchObject([{ caseId: "K-2", reason: "superseded" }]);
    });
  }

  it("while the later termination is open to appeal, the later case drives as before", () => {
    const status = statusAsOf([...proceedings, order, ...secondCase("terminated")], "2024-03-15");
    expect(summaryOf(status)).toMatchObject({ primary: "IJ_DECIDED", detail: "terminated" });
    expect(status.facts.court?.caseId).toBe("K-2");
  });

  it("an earlier case reopened has no order to bring back: the later termination ends the proceedings", () => {
    const reopened = [
      courtRecord("C-4", "K-1", "motion_filed", "2023-11-01"),
      courtRecord("C-5", "K-1", "motion_decided", "2023-12-01", { outcome: "granted" }),
    ];
    const status = statusAsOf(
      [...proceedings, order, ...reopened, ...secondCase("terminated")],
      "2024-06-01",
    );
    expect(summaryOf(status)).toMatchObject({ primary: "EWI_PRESENT", finalOrderExecutable: false });
  });

  it("an earlier order vacated by the Board (remanded) has no order to bring back", () => {
    const remanded = [
      courtRecord("C-4", "K-1", "appeal_filed", "2023-09-20"),
      courtRecord("C-5", "K-1", "appeal_decided", "2023-12-01", { outcome: "remanded" }),
    ];
    const status = statusAsOf(
      [...proceedings, order, ...remanded, ...secondCase("terminated")],
      "2024-06-01",
    );
    expect(summaryOf(status)).toMatchObject({ primary: "EWI_PRESENT", finalOrderExecutable: false });
  });

  it("a grant of relief in the later case still decides: the status it confers", () => {
    const status = statusAsOf(
      [...proceedings, order, ...secondCase("relief_granted", { relief_type: "asylum" })],
      "2024-06-01",
    );
    expect(summaryOf(status)).toMatchObject({
      primary: "PROTECTED_STATUS",
      detail: "ASYLEE",
      finalOrderExecutable: false,
    });
    expect(status.facts.court?.caseId).toBe("K-2");
  });
});
