import { describe, expect, it } from "vitest";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { cite, courtRecord, departureRecord, encounterRecord } from "./testing/lifecycle-records.ts";

/**
 * What the Board's decisions do to an IJ order (docs/lifecycle-semantics.md §2 items 4, 6 and 8, §4,
 * §6): a certification holds even an order final when made (8 CFR 1003.6(a)); a dismissal that grants
 * voluntary departure opens a VD period (DOMAIN.md §1.4: BIA "dismissed with VD", "summary affirmance
 * with VD"); a grant of relief by the Board decides the case as an IJ grant would.
 */

const encounter = encounterRecord("E-1", "interior_arrest", "2024-06-01", {
  entry_without_inspection: "Y",
  nationality: "HND",
});
const nta = courtRecord("C-1", "K-1", "nta_filed", "2024-01-10");
const proceedings = [encounter, nta];
const order = (date: string, extra: Record<string, string> = {}) =>
  courtRecord("C-3", "K-1", "decision", date, {
    outcome: "removal_ordered",
    destination_country: "HND",
    ...extra,
  });

describe("a certification to the Board holds an order final when made (8 CFR 1003.6(a))", () => {
  const inAbsentia = order("2026-10-01", { in_absentia: "Y", notice_served: "Y" });
  const certification = courtRecord("C-4", "K-1", "appeal_filed", "2026-10-15", { certified: "Y" });

  it("an in absentia order (rule e) certified to the Board is not executable until the Board decides", () => {
    const records = [...proceedings, inAbsentia, certification];
    // Before the certification the order was final at once.
    expect(summaryOf(statusAsOf(records, "2026-10-10"))).toMatchObject({
      primary: "FINAL_ORDER",
      finalOrderExecutable: true,
    });
    const status = statusAsOf(records, "2026-11-25");
    expect(summaryOf(status)).toMatchObject({
      primary: "BIA_PENDING",
      since: "2026-10-15",
      blockers: ["APPEAL_PENDING"],
      finalOrderExecutable: false,
    });
    expect(status.facts.court?.finality).toBeNull();
    expect(status.facts.court?.appeal).toMatchObject({ timely: true, certified: true, decidedOn: null });
  });

  it("the Board's decision on the certification makes it final on its date (rule d)", () => {
    const decided = courtRecord("C-5", "K-1", "appeal_decided", "2027-01-11", {
      outcome: "dismissed",
      certified: "Y",
    });
    const status = statusAsOf([...proceedings, inAbsentia, certification, decided], "2027-01-11");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2027-01-11" });
    expect(status.facts.court?.finality).toMatchObject({
      rule: "d",
      finalOn: "2027-01-11",
      evidence: [cite(inAbsentia), cite(certification), cite(decided)],
    });
  });

  it("an order with the appeal waived (rule b) certified to the Board is held the same way", () => {
    const waived = order("2026-10-01", { appeal_waived: "Y" });
    const records = [...proceedings, waived, certification];
    expect(summaryOf(statusAsOf(records, "2026-11-25"))).toMatchObject({
      primary: "BIA_PENDING",
      blockers: ["APPEAL_PENDING"],
      finalOrderExecutable: false,
    });
    const decided = courtRecord("C-5", "K-1", "appeal_decided", "2026-12-01", { outcome: "denied" });
    const status = statusAsOf([...records, decided], "2026-12-01");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2026-12-01" });
    expect(status.facts.court?.finality).toMatchObject({ rule: "d", finalOn: "2026-12-01" });
  });

  it("a certification after a plain appeal that held nothing (of an in absentia order, or late) holds the order", () => {
    const plain = courtRecord("C-4", "K-1", "appeal_filed", "2026-10-15");
    const certifiedLater = courtRecord("C-5", "K-1", "appeal_filed", "2026-10-20", { certified: "Y" });
    expect(
      summaryOf(statusAsOf([...proceedings, inAbsentia, plain, certifiedLater], "2026-11-25")),
    ).toMatchObject({
      primary: "BIA_PENDING",
      since: "2026-10-20",
      finalOrderExecutable: false,
    });
    const ordinary = order("2026-06-01");
    const late = courtRecord("C-4", "K-1", "appeal_filed", "2026-08-03");
    expect(summaryOf(statusAsOf([...proceedings, ordinary, late], "2026-11-25")).primary).toBe("FINAL_ORDER");
    expect(
      summaryOf(statusAsOf([...proceedings, ordinary, late, certifiedLater], "2026-11-25")),
    ).toMatchObject({
      primary: "BIA_PENDING",
      finalOrderExecutable: false,
    });
  });

  it("a plain appeal of an in absentia order does not hold it: such orders are challenged by motion", () => {
    const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2026-10-15");
    const status = statusAsOf([...proceedings, inAbsentia, appeal], "2026-11-25");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", finalOrderExecutable: true });
    expect(status.facts.court?.finality).toMatchObject({ rule: "e", finalOn: "2026-10-01" });
  });
});

describe("a Board dismissal that grants voluntary departure (DOMAIN.md §1.4: dismissed with VD)", () => {
  const removal = order("2026-01-12");
  const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2026-02-02");
  const dismissal = courtRecord("C-5", "K-1", "appeal_decided", "2026-11-02", {
    outcome: "dismissed",
    deadline: "2026-12-31",
  });
  const records = [...proceedings, removal, appeal, dismissal];

  it("removal is not due during the period the Board set", () => {
    const status = statusAsOf(records, "2026-11-25");
    expect(summaryOf(status)).toMatchObject({
      primary: "VD_PERIOD",
      since: "2026-11-02",
      until: "2026-12-31",
      blockers: ["VD_PERIOD_RUNNING"],
      finalOrderExecutable: false,
    });
    expect(status.nextChangeOn).toBe("2027-01-01");
    expect(status.facts.court?.voluntaryDeparture).toMatchObject({
      deadline: "2026-12-31",
      deadlineRecorded: true,
      terminatedOn: null,
      compliedOn: null,
    });
    expect(status.facts.court?.finality).toBeNull();
    expect(status.blockers.find((blocker) => blocker.code === "VD_PERIOD_RUNNING")?.detail).toBe(
      "Voluntary departure granted by the Board 2026-11-02, due by 2026-12-31",
    );
    expect(summaryOf(statusAsOf(records, "2026-12-31")).primary).toBe("VD_PERIOD");
  });

  it("the removal order, now the alternate order, is final the day after the deadline (rule f)", () => {
    const status = statusAsOf(records, "2027-01-01");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      since: "2027-01-01",
      finalOrderExecutable: true,
    });
    expect(status.facts.court?.finality).toMatchObject({
      rule: "f",
      evidence: [cite(removal), cite(appeal), cite(dismissal)],
    });
  });

  it("a verified departure within the period complies with it: the alternate order never takes effect", () => {
    const exit = departureRecord("D-1", "2026-12-20", "vd_verified");
    const status = statusAsOf([...records, exit], "2027-02-01");
    expect(summaryOf(status)).toMatchObject({ primary: "DEPARTED", detail: "verified" });
    expect(status.facts.court?.finality).toBeNull();
    expect(status.facts.court?.voluntaryDeparture?.compliedOn).toBe("2026-12-20");
  });

  it("a motion filed during the period terminates it: the alternate order is final at once", () => {
    const motion = courtRecord("C-6", "K-1", "motion_filed", "2026-11-20");
    const status = statusAsOf([...records, motion], "2026-11-25");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2026-11-20" });
    expect(status.facts.court?.finality?.rule).toBe("f");
  });

  it("a dismissal with no deadline leaves the order final on its date (rule a)", () => {
    const plain = courtRecord("C-5", "K-1", "appeal_decided", "2026-11-02", { outcome: "dismissed" });
    const status = statusAsOf([...proceedings, removal, appeal, plain], "2026-11-25");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2026-11-02" });
    expect(status.facts.court?.finality?.rule).toBe("a");
    expect(status.facts.court?.voluntaryDeparture).toBeNull();
  });
});

describe("a grant of relief by the Board (appeal_decided relief_granted)", () => {
  const removal = order("2026-01-12");
  const appeal = courtRecord("C-4", "K-1", "appeal_filed", "2026-02-02");
  const grant = (extra: Record<string, string>) =>
    courtRecord("C-5", "K-1", "appeal_decided", "2026-11-02", { outcome: "relief_granted", ...extra });

  it("asylum granted by the Board: ASYLEE, no removal order left", () => {
    const board = grant({ relief_type: "asylum" });
    const status = statusAsOf([...proceedings, removal, appeal, board], "2026-11-25");
    expect(summaryOf(status)).toMatchObject({
      primary: "PROTECTED_STATUS",
      detail: "ASYLEE",
      since: "2026-11-02",
      blockers: ["ASYLEE"],
      finalOrderExecutable: false,
    });
    expect(status.facts.court?.finality).toBeNull();
    expect(status.facts.court?.appeal).toMatchObject({ decidedOn: "2026-11-02", outcome: "relief_granted" });
    expect(status.nextChangeOn).toBeNull();
  });

  it("withholding granted by the Board protects against the country it names", () => {
    const board = grant({ relief_type: "withholding", withholding_country: "HND" });
    const status = statusAsOf([...proceedings, removal, appeal, board], "2026-11-25");
    expect(summaryOf(status)).toMatchObject({ primary: "PROTECTED_STATUS", detail: "WITHHOLDING" });
  });

  it("relief the feed does not name stays IJ_DECIDED relief_granted, as an IJ grant would", () => {
    const board = grant({});
    const status = statusAsOf([...proceedings, removal, appeal, board], "2026-11-25");
    expect(summaryOf(status)).toMatchObject({
      primary: "IJ_DECIDED",
      detail: "relief_granted",
      since: "2026-11-02",
      finalOrderExecutable: false,
    });
  });
});
