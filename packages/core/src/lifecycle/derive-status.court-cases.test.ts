import { describe, expect, it } from "vitest";
import { createLifecycleRules } from "./lifecycle-rules.ts";
import { blockerOf, statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { cite, courtRecord, ewiInProceedings } from "./testing/lifecycle-records.ts";

/**
 * Which of a person's court cases drives the state (docs/lifecycle-semantics.md §2, closing; DOMAIN.md
 * §1.4: bond and custody hearings are separate matters, and EOIR opens a new case per charging
 * document or case type). The removal order of K-1 (2024-01-15) became final on 2024-02-15.
 */

const proceedings = ewiInProceedings();
const encounter = proceedings[0]!;
const order = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
  outcome: "removal_ordered",
  destination_country: "SLV",
});
const finalOrder = [...proceedings, order];
const custodyReview = courtRecord("Y-1", "B-9", "hearing", "2024-05-01", { case_type: "CDR" });

describe("the court case that drives the state", () => {
  it("a later custody review (CDR) does not hide a final order", () => {
    const status = statusAsOf([...finalOrder, custodyReview], "2024-05-02");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      since: "2024-02-15",
      blockers: [],
      finalOrderExecutable: true,
    });
    expect(status.facts.court?.caseId).toBe("K-1");
    expect(status.facts.otherCourtCases).toMatchObject([{ caseId: "B-9", caseType: "CDR" }]);
  });

  it("a custody review alone starts no proceedings", () => {
    expect(summaryOf(statusAsOf([encounter, custodyReview], "2024-05-02")).primary).toBe("EWI_PRESENT");
  });

  it("the custody case types are a rule", () => {
    const rules = createLifecycleRules({ custodyCaseTypes: [] });
    expect(summaryOf(statusAsOf([...finalOrder, custodyReview], "2024-05-02", { rules })).primary).toBe(
      "IN_PROCEEDINGS",
    );
  });

  it("a new removal case (a new NTA) still drives the state", () => {
    const newNta = courtRecord("X-1", "K-2", "nta_filed", "2024-05-01");
    const status = statusAsOf([...finalOrder, newNta], "2024-05-02");
    expect(summaryOf(status)).toMatchObject({ primary: "NTA_ISSUED", finalOrderExecutable: false });
    expect(status.facts.court?.caseId).toBe("K-2");
  });

  it("a later case's final order does not set aside an appeal pending in an earlier removal case", () => {
    const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2024-02-01");
    const later = [
      courtRecord("X-1", "K-2", "nta_filed", "2024-03-01"),
      courtRecord("X-2", "K-2", "decision", "2024-04-01", {
        outcome: "removal_ordered",
        in_absentia: "Y",
        notice_served: "Y",
        destination_country: "SLV",
      }),
    ];
    const status = statusAsOf([...finalOrder, appeal, ...later], "2024-04-02");
    expect(summaryOf(status)).toMatchObject({
      primary: "BIA_PENDING",
      blockers: ["APPEAL_PENDING"],
      finalOrderExecutable: false,
    });
    expect(status.facts.court?.caseId).toBe("K-1");
    // Once the board has dismissed the appeal, the later case drives again.
    const dismissed = courtRecord("C-5", "K-1", "appeal_decided", "2024-06-01", { outcome: "dismissed" });
    const decided = statusAsOf([...finalOrder, appeal, ...later, dismissed], "2024-06-02");
    expect(summaryOf(decided)).toMatchObject({ primary: "FINAL_ORDER", finalOrderExecutable: true });
  });

  it("a later case's final order does not set aside an in absentia motion pending in an earlier case", () => {
    const absentia = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
      outcome: "removal_ordered",
      in_absentia: "Y",
      notice_served: "Y",
      destination_country: "SLV",
    });
    const motion = courtRecord("M-1", "K-1", "motion_filed", "2024-02-01");
    const waived = courtRecord("X-2", "K-2", "decision", "2024-04-01", {
      outcome: "removal_ordered",
      appeal_waived: "Y",
      destination_country: "SLV",
    });
    const status = statusAsOf([...proceedings, absentia, motion, waived], "2024-04-02");
    expect(summaryOf(status)).toMatchObject({
      blockers: ["MTR_IN_ABSENTIA_PENDING"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "MTR_IN_ABSENTIA_PENDING").evidence).toEqual([cite(absentia), cite(motion)]);
  });
});
