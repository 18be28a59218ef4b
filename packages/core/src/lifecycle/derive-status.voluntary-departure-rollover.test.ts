import { describe, expect, it } from "vitest";
import { createLifecycleRules } from "./lifecycle-rules.ts";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { courtRecord, departureRecord, encounterRecord } from "./testing/lifecycle-records.ts";

/**
 * A voluntary departure deadline that falls on a Saturday, Sunday or legal holiday extends to the next
 * business day (Monsalvo Velazquez v. Bondi, 604 U.S. ___ (2025): INA 240B, 8 U.S.C. 1229c, counts its
 * periods in "days" under the rule of 8 CFR 1001.1(h)). The grant of 2021-10-12 runs 60 days to
 * Saturday 2021-12-11, so through Monday 2021-12-13.
 */

const proceedings = [
  encounterRecord("E-1", "interior_arrest", "2019-03-01", {
    entry_without_inspection: "Y",
    nationality: "SLV",
  }),
  courtRecord("C-1", "K-1", "nta_filed", "2020-01-10"),
  courtRecord("C-2", "K-1", "hearing", "2020-06-01"),
];
const grant = (extra: Record<string, string> = {}) =>
  courtRecord("C-3", "K-1", "decision", "2021-10-12", {
    outcome: "vd_with_alternate_order",
    destination_country: "SLV",
    ...extra,
  });
const withDeadline = [...proceedings, grant({ deadline: "2021-12-11" })];

describe("a voluntary departure deadline on a weekend or legal holiday", () => {
  it("a recorded Saturday deadline runs through Monday: removal is not due over the weekend", () => {
    for (const asOf of ["2021-12-11", "2021-12-12", "2021-12-13"]) {
      const status = statusAsOf(withDeadline, asOf);
      expect(summaryOf(status), asOf).toMatchObject({
        primary: "VD_PERIOD",
        until: "2021-12-13",
        blockers: ["VD_PERIOD_RUNNING"],
        finalOrderExecutable: false,
      });
      expect(status.facts.court?.voluntaryDeparture).toMatchObject({
        deadline: "2021-12-13",
        deadlineRecorded: true,
      });
    }
    expect(statusAsOf(withDeadline, "2021-12-12").nextChangeOn).toBe("2021-12-14");
    const after = statusAsOf(withDeadline, "2021-12-14");
    expect(summaryOf(after)).toMatchObject({
      primary: "FINAL_ORDER",
      since: "2021-12-14",
      finalOrderExecutable: true,
    });
    expect(after.facts.court?.finality).toMatchObject({ finalOn: "2021-12-14", rule: "f" });
  });

  it("the assumed 60-day period ending on a Saturday runs through Monday", () => {
    const records = [...proceedings, grant()];
    expect(summaryOf(statusAsOf(records, "2021-12-13"))).toMatchObject({
      primary: "VD_PERIOD",
      until: "2021-12-13",
      finalOrderExecutable: false,
    });
    expect(statusAsOf(records, "2021-12-13").facts.court?.voluntaryDeparture).toMatchObject({
      deadline: "2021-12-13",
      deadlineRecorded: false,
    });
    expect(summaryOf(statusAsOf(records, "2021-12-14")).primary).toBe("FINAL_ORDER");
  });

  it("a deadline on a day the rules close (extraClosedDates) runs to the next business day", () => {
    const rules = createLifecycleRules({ extraClosedDates: ["2021-12-13"] });
    expect(summaryOf(statusAsOf(withDeadline, "2021-12-14", { rules })).primary).toBe("VD_PERIOD");
    expect(summaryOf(statusAsOf(withDeadline, "2021-12-15", { rules })).primary).toBe("FINAL_ORDER");
  });

  it("the Board's deadline on Independence Day (Monday 2022-07-04) runs through Tuesday", () => {
    const records = [
      ...withDeadline,
      courtRecord("C-4", "K-1", "appeal_filed", "2021-11-01"),
      courtRecord("C-5", "K-1", "appeal_decided", "2022-05-05", {
        outcome: "dismissed",
        deadline: "2022-07-04",
      }),
    ];
    const lastDay = statusAsOf(records, "2022-07-05");
    expect(summaryOf(lastDay)).toMatchObject({
      primary: "VD_PERIOD",
      until: "2022-07-05",
      blockers: ["VD_PERIOD_RUNNING"],
      finalOrderExecutable: false,
    });
    expect(lastDay.facts.court?.appeal?.reinstatedVoluntaryDepartureUntil).toBe("2022-07-05");
    const after = statusAsOf(records, "2022-07-06");
    expect(summaryOf(after)).toMatchObject({ primary: "FINAL_ORDER", finalOrderExecutable: true });
    expect(after.facts.court?.finality).toMatchObject({ finalOn: "2022-07-06", rule: "f" });
  });

  it("a motion filed on the Monday is filed within the period and terminates it (8 CFR 1240.26(e)(1))", () => {
    const records = [...withDeadline, courtRecord("C-4", "K-1", "motion_filed", "2021-12-13")];
    const status = statusAsOf(records, "2021-12-20");
    expect(summaryOf(status)).toMatchObject({ primary: "FINAL_ORDER", since: "2021-12-13" });
    expect(status.facts.court?.voluntaryDeparture).toMatchObject({ terminatedOn: "2021-12-13" });
    expect(status.facts.court?.finality).toMatchObject({ finalOn: "2021-12-13", rule: "f" });
  });

  it("a verified departure on the Monday complies with the grant: the alternate order never takes effect", () => {
    const records = [...withDeadline, departureRecord("D-1", "2021-12-13", "carrier_manifest")];
    const status = statusAsOf(records, "2022-01-10");
    expect(summaryOf(status)).toMatchObject({
      primary: "DEPARTED",
      detail: "verified",
      finalOrderExecutable: false,
    });
    expect(status.facts.court?.finality ?? null).toBeNull();
  });
});
