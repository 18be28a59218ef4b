import { describe, expect, it } from "vitest";
import { createLifecycleRules } from "./lifecycle-rules.ts";
import { blockerOf, statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import {
  benefitRecord,
  cite,
  citizenshipRecord,
  courtRecord,
  encounterRecord,
} from "./testing/lifecycle-records.ts";

/**
 * Golden scenarios: one per row of DOMAIN.md §1.9, each blocker with its basis and the exact
 * records it rests on (docs/lifecycle-semantics.md §8). The base person entered without
 * inspection; a removal order of 2024-01-15 became final on 2024-02-15 (window ends 2024-02-14).
 */

const encounter = encounterRecord("E-1", "interior_arrest", "2021-03-01", {
  entry_without_inspection: "Y",
  nationality: "SLV",
});
const nta = courtRecord("C-1", "K-1", "nta_filed", "2023-01-10");
const hearing = courtRecord("C-2", "K-1", "hearing", "2023-06-01");
const order = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
  outcome: "removal_ordered",
  destination_country: "SLV",
});
const proceedings = [encounter, nta, hearing];
const finalOrder = [...proceedings, order];

describe("enforcement blockers (DOMAIN.md §1.9)", () => {
  it("baseline: the final order is executable with no blocker", () => {
    expect(summaryOf(statusAsOf(finalOrder, "2024-03-01"))).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: [],
      finalOrderExecutable: true,
    });
  });

  it("USC: derived citizenship (INA 320) blocks, citing the certificate", () => {
    const certificate = citizenshipRecord("CERT-1", "derived", "1999-01-01");
    const status = statusAsOf([...finalOrder, certificate], "2024-03-01");
    expect(blockerOf(status, "USC")).toMatchObject({
      binding: "law",
      basis: "INA 301, 320, 321, 337; GAO-21-487",
      evidence: [cite(certificate)],
    });
    expect(status.finalOrderExecutable).toBe(false);
  });

  it("no record of citizenship is never evidence of non-citizenship", () => {
    const status = statusAsOf(finalOrder, "2024-03-01");
    expect(status.facts.citizenship).toBeNull();
    expect(JSON.stringify(status)).not.toMatch(
      /non.?citizen|not.?a.?citizen|"citizen"\s*:\s*false|isCitizen/i,
    );
  });

  it("LPR: holds through proceedings, until a final order", () => {
    const adjustment = benefitRecord("MSC0000000001", "I-485", "approved", "2020-05-01");
    const during = statusAsOf([...proceedings, adjustment], "2023-07-01");
    expect(summaryOf(during)).toMatchObject({ primary: "IN_PROCEEDINGS", blockers: ["LPR"] });
    expect(blockerOf(during, "LPR").evidence).toEqual([cite(adjustment)]);
    const after = statusAsOf([...finalOrder, adjustment], "2024-03-01");
    expect(summaryOf(after)).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: [],
      finalOrderExecutable: true,
    });
  });

  it("APPEAL_WINDOW_OPEN, then APPEAL_PENDING on a timely appeal", () => {
    const window = statusAsOf(finalOrder, "2024-02-14");
    expect(blockerOf(window, "APPEAL_WINDOW_OPEN").evidence).toEqual([cite(order)]);
    const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2024-02-14");
    const pending = statusAsOf([...finalOrder, appeal], "2024-03-01");
    expect(summaryOf(pending)).toMatchObject({ primary: "BIA_PENDING", blockers: ["APPEAL_PENDING"] });
    expect(blockerOf(pending, "APPEAL_PENDING").evidence).toEqual([cite(order), cite(appeal)]);
    // A day late: not timely, so the order became final under (c).
    const late = courtRecord("C-4", "K-1", "appeal_filed", "2024-02-15");
    expect(summaryOf(statusAsOf([...finalOrder, late], "2024-03-01"))).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: [],
    });
  });

  it("APPEAL_PENDING for a certification, which is not bound by the 30 days", () => {
    const certification = courtRecord("C-4", "K-1", "appeal_filed", "2024-04-01", { certified: "Y" });
    const status = statusAsOf([...finalOrder, certification], "2024-05-01");
    expect(summaryOf(status)).toMatchObject({ primary: "BIA_PENDING", blockers: ["APPEAL_PENDING"] });
    expect(blockerOf(status, "APPEAL_PENDING").detail).toBe("Certification filed 2024-04-01, undecided");
  });

  it("MTR_IN_ABSENTIA_PENDING: a motion to reopen an in absentia order stays removal until decided", () => {
    const absentia = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
      outcome: "removal_ordered",
      in_absentia: "Y",
      notice_served: "N",
      destination_country: "SLV",
    });
    const motion = courtRecord("C-5", "K-1", "motion_filed", "2024-02-20");
    const status = statusAsOf([...proceedings, absentia, motion], "2024-03-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: ["MTR_IN_ABSENTIA_PENDING"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "MTR_IN_ABSENTIA_PENDING").evidence).toEqual([cite(absentia), cite(motion)]);
    expect(status.gateInputs.inAbsentiaOrder).toEqual({
      decidedOn: "2024-01-15",
      noticeServed: "N",
      evidence: [cite(absentia)],
    });
    const denied = courtRecord("C-6", "K-1", "motion_decided", "2024-04-01", { outcome: "denied" });
    expect(summaryOf(statusAsOf([...proceedings, absentia, motion, denied], "2024-04-02"))).toMatchObject({
      blockers: [],
      finalOrderExecutable: true,
    });
    // A motion on an order entered in the respondent's presence does not stay removal.
    expect(summaryOf(statusAsOf([...finalOrder, motion], "2024-03-01")).blockers).toEqual([]);
  });

  it("STAY_GRANTED by DHS (I-246), within its validity", () => {
    const dhsStay = benefitRecord("DHS0000000001", "I-246", "approved", "2024-02-20", {
      valid_from: "2024-02-20",
      valid_to: "2024-08-20",
    });
    const status = statusAsOf([...finalOrder, dhsStay], "2024-03-01");
    expect(blockerOf(status, "STAY_GRANTED").evidence).toEqual([cite(dhsStay)]);
    expect(status.finalOrderExecutable).toBe(false);
    expect(summaryOf(statusAsOf([...finalOrder, dhsStay], "2024-08-21")).blockers).toEqual([]);
  });

  it("STAY_GRANTED by the court until it is lifted", () => {
    const stay = courtRecord("C-7", "K-1", "stay_granted", "2024-02-20");
    const lifted = courtRecord("C-8", "K-1", "stay_lifted", "2024-03-10");
    // As of 2024-03-09 the lifting has not happened yet, so it is not evidence.
    expect(
      blockerOf(statusAsOf([...finalOrder, stay, lifted], "2024-03-09"), "STAY_GRANTED").evidence,
    ).toEqual([cite(stay)]);
    expect(summaryOf(statusAsOf([...finalOrder, stay, lifted], "2024-03-10")).finalOrderExecutable).toBe(
      true,
    );
  });

  it("STAY_GRANTED: a stay granted on the day another is lifted is still in effect", () => {
    const first = courtRecord("C-7", "K-1", "stay_granted", "2024-02-20");
    const lifted = courtRecord("C-8", "K-1", "stay_lifted", "2024-03-10");
    const second = courtRecord("C-9", "K-1", "stay_granted", "2024-03-10", { deadline: "2024-12-31" });
    // Whatever order the records arrive in, the lift is the first stay's.
    for (const records of [
      [...finalOrder, first, lifted, second],
      [...finalOrder, second, lifted, first],
    ]) {
      const status = statusAsOf(records, "2024-04-01");
      expect(blockerOf(status, "STAY_GRANTED").evidence).toEqual([cite(second)]);
      expect(status.finalOrderExecutable).toBe(false);
    }
    expect(summaryOf(statusAsOf([...finalOrder, first, lifted, second], "2025-01-01")).blockers).toEqual([]);
  });

  it("STAY_GRANTED: a stay granted and lifted the same day, with no other to lift, is lifted", () => {
    const stay = courtRecord("C-7", "K-1", "stay_granted", "2024-03-10");
    const lifted = courtRecord("C-8", "K-1", "stay_lifted", "2024-03-10");
    const status = statusAsOf([...finalOrder, stay, lifted], "2024-04-01");
    expect(summaryOf(status).blockers).toEqual([]);
    expect(status.finalOrderExecutable).toBe(true);
  });

  it("VD_PERIOD_RUNNING until the voluntary departure deadline", () => {
    const grant = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
      outcome: "vd_with_alternate_order",
      deadline: "2024-03-15",
    });
    const status = statusAsOf([...proceedings, grant], "2024-03-01");
    expect(blockerOf(status, "VD_PERIOD_RUNNING")).toMatchObject({
      evidence: [cite(grant)],
      detail: "Voluntary departure granted 2024-01-15, due by 2024-03-15",
    });
  });

  it("TPS prima facie: a pending I-821 blocks unless the rules say otherwise", () => {
    const application = benefitRecord("EAC0000000003", "I-821", "filed", "2024-02-20");
    const status = statusAsOf([...finalOrder, application], "2024-03-01");
    expect(blockerOf(status, "TPS").evidence).toEqual([cite(application)]);
    expect(status.finalOrderExecutable).toBe(false);
    const rules = createLifecycleRules({ pendingTpsIsPrimaFacie: false });
    expect(summaryOf(statusAsOf([...finalOrder, application], "2024-03-01", { rules })).blockers).toEqual([]);
  });

  it("ASYLEE: asylum granted by the court becomes the status once the appeal window has passed", () => {
    const relief = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
      outcome: "relief_granted",
      relief_type: "asylum",
    });
    const within = statusAsOf([...proceedings, relief], "2024-02-01");
    expect(summaryOf(within)).toMatchObject({
      primary: "IJ_DECIDED",
      detail: "relief_granted",
      blockers: ["ASYLEE"],
    });
    const status = statusAsOf([...proceedings, relief], "2024-03-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "PROTECTED_STATUS",
      detail: "ASYLEE",
      since: "2024-01-15",
      overlays: ["CONFIDENTIAL_ASYLUM"],
      blockers: ["ASYLEE"],
    });
    expect(blockerOf(status, "ASYLEE").evidence).toEqual([cite(relief)]);
  });

  it("WITHHOLDING_OR_CAT: no removal to the protected country (nor when the order names none)", () => {
    const withheld = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
      outcome: "removal_ordered",
      withholding_country: "SLV",
      relief_type: "withholding",
    });
    const status = statusAsOf([...proceedings, withheld], "2024-03-01");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", finalOrderExecutable: false });
    expect(blockerOf(status, "WITHHOLDING_OR_CAT").evidence).toEqual([cite(withheld)]);
    expect(status.gateInputs.withholdingCountries).toEqual([
      { country: "SLV", protection: "WITHHOLDING", evidence: [cite(withheld)] },
    ]);
    const cat = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
      outcome: "removal_ordered",
      withholding_country: "SLV",
      relief_type: "cat",
      destination_country: "SLV",
    });
    expect(blockerOf(statusAsOf([...proceedings, cat], "2024-03-01"), "WITHHOLDING_OR_CAT").detail).toBe(
      "Removal withheld from 2024-01-15 (SLV)",
    );
  });

  it("VICTIM_PROTECTION (policy-dependent, held by default) for a granted T visa, which is also the protected status", () => {
    const tVisa = benefitRecord("VSC0000000001", "I-914", "approved", "2023-05-01", {
      valid_to: "2027-04-30",
    });
    const status = statusAsOf([encounter, tVisa], "2024-03-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "PROTECTED_STATUS",
      detail: "T_STATUS",
      overlays: ["CONFIDENTIAL_1367"],
      blockers: ["VICTIM_PROTECTION"],
      policyConsiderations: [],
    });
    expect(blockerOf(status, "VICTIM_PROTECTION")).toMatchObject({
      binding: "policy",
      basis: "8 U.S.C. 1367; ICE Directive 11005.3 (2021), 11005.4 (2025)",
      evidence: [cite(tVisa)],
    });
  });

  it("VICTIM_PROTECTION: a pending U visa blocks a final order unless the rules leave it to the policy", () => {
    const uVisa = benefitRecord("EAC0000000002", "I-918", "filed", "2024-02-01");
    expect(summaryOf(statusAsOf([...finalOrder, uVisa], "2024-03-01"))).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: ["VICTIM_PROTECTION"],
      policyConsiderations: [],
      finalOrderExecutable: false,
    });
    const leftToPolicy = createLifecycleRules({ policyDependentBlockersHold: ["DEFERRED_ACTION"] });
    expect(
      summaryOf(statusAsOf([...finalOrder, uVisa], "2024-03-01", { rules: leftToPolicy })),
    ).toMatchObject({
      blockers: [],
      policyConsiderations: ["VICTIM_PROTECTION"],
      finalOrderExecutable: true,
    });
  });

  it("DEFERRED_ACTION (policy-dependent, held by default): current DACA blocks a final order until it ends", () => {
    const daca = benefitRecord("IOE0000000009", "I-821D", "approved", "2023-01-01", {
      valid_to: "2025-01-01",
    });
    const status = statusAsOf([...finalOrder, daca], "2024-03-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: ["DEFERRED_ACTION"],
      policyConsiderations: [],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "DEFERRED_ACTION")).toMatchObject({ binding: "policy", evidence: [cite(daca)] });
    expect(summaryOf(statusAsOf([...finalOrder, daca], "2025-01-02"))).toMatchObject({
      blockers: [],
      finalOrderExecutable: true,
    });
    const leftToPolicy = createLifecycleRules({ policyDependentBlockersHold: [] });
    expect(summaryOf(statusAsOf([...finalOrder, daca], "2024-03-01", { rules: leftToPolicy }))).toMatchObject(
      {
        blockers: [],
        policyConsiderations: ["DEFERRED_ACTION"],
        finalOrderExecutable: true,
      },
    );
  });

  it("ORDER_NOT_FINAL: an appeal decided with no recorded outcome leaves the order undecided", () => {
    const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2024-02-10");
    const decided = courtRecord("C-5", "K-1", "appeal_decided", "2024-06-01");
    const status = statusAsOf([...finalOrder, appeal, decided], "2024-07-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "IJ_DECIDED",
      detail: "removal_ordered",
      blockers: ["ORDER_NOT_FINAL"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "ORDER_NOT_FINAL").evidence).toEqual([cite(order), cite(appeal), cite(decided)]);
  });

  it("THIRD_COUNTRY_DESTINATION: removal to a country no record gives as a nationality", () => {
    const thirdCountry = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
      outcome: "removal_ordered",
      destination_country: "HND",
    });
    const records = [...proceedings, thirdCountry];
    const status = statusAsOf(records, "2024-03-01");
    expect(summaryOf(status)).toMatchObject({
      blockers: ["THIRD_COUNTRY_DESTINATION"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "THIRD_COUNTRY_DESTINATION").evidence).toEqual([cite(thirdCountry)]);
    // A later court event for the same destination records the notice and fear process.
    const notice = courtRecord("C-9", "K-1", "hearing", "2024-03-10", { destination_country: "HND" });
    expect(summaryOf(statusAsOf([...records, notice], "2024-03-11")).finalOrderExecutable).toBe(true);
    const rules = createLifecycleRules({ thirdCountryDestinationBlocks: false });
    expect(summaryOf(statusAsOf(records, "2024-03-01", { rules })).blockers).toEqual([]);
  });
});
