import { describe, expect, it } from "vitest";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { cite, courtRecord, departureRecord, encounterRecord } from "./testing/lifecycle-records.ts";

/**
 * Finality of removal orders, all six ways of 8 CFR 1241.1 (docs/lifecycle-semantics.md §4).
 * Every decision here is of 2024-01-15: its appeal window ends 2024-02-14 (a Wednesday).
 */

const encounter = encounterRecord("E-1", "interior_arrest", "2021-03-01", {
  entry_without_inspection: "Y",
  nationality: "GTM",
});
const proceedings = [
  encounter,
  courtRecord("C-1", "K-1", "nta_filed", "2023-01-10"),
  courtRecord("C-2", "K-1", "hearing", "2023-06-01"),
];
const decision = (extra: Record<string, string> = {}) =>
  courtRecord("C-3", "K-1", "decision", "2024-01-15", {
    outcome: "removal_ordered",
    destination_country: "GTM",
    ...extra,
  });
const voluntaryDeparture = (deadline: string) =>
  courtRecord("C-3", "K-1", "decision", "2024-01-15", {
    outcome: "vd_with_alternate_order",
    deadline,
    destination_country: "GTM",
  });

describe("finality (8 CFR 1241.1)", () => {
  it("(a) upon dismissal of the appeal by the BIA", () => {
    const order = decision();
    const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2024-02-01");
    const dismissal = courtRecord("C-5", "K-1", "appeal_decided", "2024-09-01", { outcome: "dismissed" });
    const records = [...proceedings, order, appeal, dismissal];
    expect(summaryOf(statusAsOf(records, "2024-08-31")).primary).toBe("BIA_PENDING");
    const status = statusAsOf(records, "2024-09-02");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      since: "2024-09-01",
      finalOrderExecutable: true,
    });
    expect(status.facts.court?.finality).toEqual({
      finalOn: "2024-09-01",
      rule: "a",
      basis: "8 CFR 1241.1(a)",
      description: "The BIA dismissed the appeal",
      evidence: [cite(order), cite(appeal), cite(dismissal)],
    });
  });

  it("(b) upon waiver of appeal: at once, with no appeal window", () => {
    const order = decision({ appeal_waived: "Y" });
    const status = statusAsOf([...proceedings, order], "2024-01-15");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2024-01-15", blockers: [] });
    expect(status.facts.court?.finality).toMatchObject({
      rule: "b",
      finalOn: "2024-01-15",
      evidence: [cite(order)],
    });
  });

  it("(c) upon expiry of the appeal period with no appeal: the day after the window", () => {
    const order = decision();
    expect(summaryOf(statusAsOf([...proceedings, order], "2024-02-14"))).toMatchObject({
      primary: "APPEAL_WINDOW",
      until: "2024-02-14",
      blockers: ["APPEAL_WINDOW_OPEN"],
    });
    const status = statusAsOf([...proceedings, order], "2024-02-15");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2024-02-15", blockers: [] });
    expect(status.facts.court?.finality).toMatchObject({ rule: "c", finalOn: "2024-02-15" });
  });

  it("(d) upon the decision after certification", () => {
    const order = decision();
    const certification = courtRecord("C-4", "K-1", "appeal_filed", "2024-03-01", { certified: "Y" });
    const decided = courtRecord("C-5", "K-1", "appeal_decided", "2024-05-01", {
      outcome: "denied",
      certified: "Y",
    });
    const status = statusAsOf([...proceedings, order, certification, decided], "2024-05-02");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2024-05-01" });
    expect(status.facts.court?.finality).toMatchObject({
      rule: "d",
      finalOn: "2024-05-01",
      evidence: [cite(order), cite(certification), cite(decided)],
    });
    expect(status.facts.court?.appeal).toMatchObject({ certified: true, timely: true, outcome: "denied" });
  });

  it("(e) immediately for an order entered in absentia", () => {
    const order = decision({ in_absentia: "Y", notice_served: "Y" });
    const status = statusAsOf([...proceedings, order], "2024-01-15");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      since: "2024-01-15",
      blockers: [],
      finalOrderExecutable: true,
    });
    expect(status.facts.court?.finality).toMatchObject({ rule: "e", finalOn: "2024-01-15" });
  });

  it("(f) upon overstay of voluntary departure: the alternate order takes effect the day after the deadline", () => {
    const grant = voluntaryDeparture("2024-03-15");
    expect(summaryOf(statusAsOf([...proceedings, grant], "2024-03-15")).primary).toBe("VD_PERIOD");
    const status = statusAsOf([...proceedings, grant], "2024-03-16");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      since: "2024-03-16",
      finalOrderExecutable: true,
    });
    expect(status.facts.court?.finality).toMatchObject({
      rule: "f",
      finalOn: "2024-03-16",
      evidence: [cite(grant)],
    });
    expect(status.facts.court?.voluntaryDeparture).toMatchObject({
      deadline: "2024-03-15",
      deadlineRecorded: true,
      terminatedOn: null,
      compliedOn: null,
    });
  });

  it("(f) never fires when the person departs (verified) within the VD period", () => {
    const grant = voluntaryDeparture("2024-03-15");
    const exit = departureRecord("D-1", "2024-03-10", "vd_verified");
    const status = statusAsOf([...proceedings, grant, exit], "2024-06-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "DEPARTED",
      detail: "verified",
      blockers: ["DEPARTED"],
    });
    expect(status.facts.court?.finality).toBeNull();
    expect(status.facts.court?.voluntaryDeparture?.compliedOn).toBe("2024-03-10");
  });

  it("(f) at once when a motion filed during the VD period terminates it (the 2008 rule)", () => {
    const grant = voluntaryDeparture("2024-03-15");
    const motion = courtRecord("C-4", "K-1", "motion_filed", "2024-03-01");
    const status = statusAsOf([...proceedings, grant, motion], "2024-03-01");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2024-03-01" });
    expect(status.facts.court?.finality).toMatchObject({ rule: "f", evidence: [cite(grant), cite(motion)] });
    expect(status.facts.court?.voluntaryDeparture?.terminatedOn).toBe("2024-03-01");
    // A motion inside the appeal window: final only once the window has closed.
    const early = courtRecord("C-4", "K-1", "motion_filed", "2024-02-01");
    expect(summaryOf(statusAsOf([...proceedings, grant, early], "2024-02-14")).primary).toBe("APPEAL_WINDOW");
    expect(summaryOf(statusAsOf([...proceedings, grant, early], "2024-02-15")).since).toBe("2024-02-15");
  });

  it("(f) after the BIA dismisses the appeal and reinstates voluntary departure", () => {
    const grant = voluntaryDeparture("2024-03-15");
    const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2024-02-01");
    const dismissal = courtRecord("C-5", "K-1", "appeal_decided", "2024-06-01", {
      outcome: "dismissed",
      deadline: "2024-07-31",
    });
    const records = [...proceedings, grant, appeal, dismissal];
    expect(summaryOf(statusAsOf(records, "2024-05-01")).primary).toBe("BIA_PENDING");
    expect(summaryOf(statusAsOf(records, "2024-06-15"))).toMatchObject({
      primary: "VD_PERIOD",
      since: "2024-06-01",
      until: "2024-07-31",
      blockers: ["VD_PERIOD_RUNNING"],
    });
    const status = statusAsOf(records, "2024-08-01");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2024-08-01" });
    expect(status.facts.court?.finality?.rule).toBe("f");
  });

  it("never before the appeal window ends, except on waiver or in absentia", () => {
    // VD shorter than the appeal window: the alternate order waits for the window to close.
    const shortVoluntaryDeparture = voluntaryDeparture("2024-01-31");
    expect(summaryOf(statusAsOf([...proceedings, shortVoluntaryDeparture], "2024-02-05"))).toMatchObject({
      primary: "APPEAL_WINDOW",
      blockers: ["APPEAL_WINDOW_OPEN"],
    });
    expect(
      statusAsOf([...proceedings, shortVoluntaryDeparture], "2024-02-15").facts.court?.finality,
    ).toMatchObject({
      rule: "f",
      finalOn: "2024-02-15",
    });
    // A BIA dismissal inside the window (a fast summary affirmance): final once the window closes.
    const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2024-01-20");
    const dismissal = courtRecord("C-5", "K-1", "appeal_decided", "2024-02-05", { outcome: "dismissed" });
    const records = [...proceedings, decision(), appeal, dismissal];
    expect(summaryOf(statusAsOf(records, "2024-02-10"))).toMatchObject({
      primary: "APPEAL_WINDOW",
      finalOrderExecutable: false,
    });
    expect(statusAsOf(records, "2024-02-15").facts.court?.finality).toMatchObject({
      rule: "a",
      finalOn: "2024-02-15",
    });
  });

  it("stops being final when a motion to reopen is granted or the BIA remands", () => {
    const order = decision();
    const motion = courtRecord("C-4", "K-1", "motion_filed", "2024-04-01");
    const granted = courtRecord("C-5", "K-1", "motion_decided", "2024-05-01", { outcome: "granted" });
    const reopened = statusAsOf([...proceedings, order, motion, granted], "2024-05-02");
    expect(summaryOf(reopened)).toMatchObject({
      primary: "IN_PROCEEDINGS",
      since: "2024-05-01",
      blockers: [],
    });
    expect(reopened.facts.court).toMatchObject({ reopenedOn: "2024-05-01", finality: null, decision: null });

    const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2024-02-01");
    const remand = courtRecord("C-5", "K-1", "appeal_decided", "2024-06-01", { outcome: "remanded" });
    const remanded = [...proceedings, order, appeal, remand];
    expect(summaryOf(statusAsOf(remanded, "2024-06-02"))).toMatchObject({
      primary: "IN_PROCEEDINGS",
      since: "2024-06-01",
    });
    // A new decision after the remand opens a new appeal window.
    const newOrder = courtRecord("C-6", "K-1", "decision", "2024-09-03", { outcome: "removal_ordered" });
    expect(summaryOf(statusAsOf([...remanded, newOrder], "2024-09-10"))).toMatchObject({
      primary: "APPEAL_WINDOW",
      since: "2024-09-03",
      until: "2024-10-03",
    });
  });
});
