import { describe, expect, it } from "vitest";
import { createLifecycleRules } from "./lifecycle-rules.ts";
import { statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { courtRecord, departureRecord, encounterRecord } from "./testing/lifecycle-records.ts";

/**
 * Voluntary departure granted with no recorded deadline (DOMAIN.md §1.4, §1.9; docs/lifecycle-semantics.md
 * §2 item 4): the period assumed is the longest the grant may run. A grant with the appeal waived is
 * pre-conclusion (8 CFR 1240.26(b)(1)(i)(D)), up to 120 days; any other is post-conclusion, up to 60.
 */

const proceedings = [
  encounterRecord("E-1", "interior_arrest", "2021-03-01", {
    entry_without_inspection: "Y",
    nationality: "SLV",
  }),
  courtRecord("C-1", "K-1", "nta_filed", "2023-01-10"),
  courtRecord("C-2", "K-1", "hearing", "2023-06-01"),
];
const grant = (extra: Record<string, string> = {}) =>
  courtRecord("C-3", "K-1", "decision", "2024-01-15", {
    outcome: "vd_with_alternate_order",
    destination_country: "SLV",
    ...extra,
  });

describe("voluntary departure with no recorded deadline", () => {
  it("a pre-conclusion grant (appeal waived) runs 120 days: removal is not due before", () => {
    const records = [...proceedings, grant({ appeal_waived: "Y" })];
    // 60 days on (2024-03-15 and the day after) the period may still run.
    const day61 = statusAsOf(records, "2024-03-16");
    expect(summaryOf(day61)).toMatchObject({
      primary: "VD_PERIOD",
      until: "2024-05-14",
      blockers: ["VD_PERIOD_RUNNING"],
      finalOrderExecutable: false,
    });
    expect(day61.facts.court?.voluntaryDeparture).toMatchObject({
      deadline: "2024-05-14",
      deadlineRecorded: false,
    });
    expect(summaryOf(statusAsOf(records, "2024-05-14")).primary).toBe("VD_PERIOD");
    const after = statusAsOf(records, "2024-05-15");
    expect(summaryOf(after)).toMatchObject({ primary: "FINAL_ORDER", finalOrderExecutable: true });
    expect(after.facts.court?.finality).toMatchObject({ finalOn: "2024-05-15", rule: "f" });
  });

  it("the pre-conclusion period is a rule", () => {
    const rules = createLifecycleRules({ voluntaryDeparturePreConclusionDefaultDays: 90 });
    const records = [...proceedings, grant({ appeal_waived: "Y" })];
    // 90 days on is Sunday 2024-04-14: the period runs through Monday (Monsalvo Velazquez v. Bondi).
    expect(summaryOf(statusAsOf(records, "2024-04-15", { rules })).primary).toBe("VD_PERIOD");
    expect(summaryOf(statusAsOf(records, "2024-04-16", { rules })).primary).toBe("FINAL_ORDER");
  });

  it("a grant without the waiver is post-conclusion: 60 days", () => {
    const records = [...proceedings, grant()];
    expect(summaryOf(statusAsOf(records, "2024-03-15")).primary).toBe("VD_PERIOD");
    expect(summaryOf(statusAsOf(records, "2024-03-16")).primary).toBe("FINAL_ORDER");
  });

  it("a recorded deadline is kept, waived or not", () => {
    const records = [...proceedings, grant({ appeal_waived: "Y", deadline: "2024-02-15" })];
    expect(summaryOf(statusAsOf(records, "2024-02-15")).primary).toBe("VD_PERIOD");
    expect(summaryOf(statusAsOf(records, "2024-02-16")).primary).toBe("FINAL_ORDER");
  });
});

describe("a motion filed after departing under voluntary departure (8 CFR 1240.26(e)(1))", () => {
  const records = [
    ...proceedings,
    grant({ appeal_waived: "Y", deadline: "2024-03-15" }),
    departureRecord("D-1", "2024-02-10", "carrier_manifest"),
    courtRecord("C-4", "K-1", "motion_filed", "2024-02-20"),
  ];

  it("terminates nothing: the grant was complied with, and the alternate order never took effect", () => {
    const status = statusAsOf(records, "2024-04-01");
    expect(summaryOf(status)).toMatchObject({ primary: "DEPARTED", detail: "verified" });
    expect(status.facts.court?.voluntaryDeparture).toMatchObject({
      compliedOn: "2024-02-10",
      terminatedOn: null,
    });
    expect(status.facts.court?.finality).toBeNull();
  });

  it("a motion filed before departing still terminates the grant", () => {
    const before = [
      ...proceedings,
      grant({ appeal_waived: "Y", deadline: "2024-03-15" }),
      courtRecord("C-4", "K-1", "motion_filed", "2024-02-05"),
      departureRecord("D-1", "2024-02-10", "carrier_manifest"),
    ];
    expect(statusAsOf(before, "2024-04-01").facts.court?.voluntaryDeparture).toMatchObject({
      terminatedOn: "2024-02-05",
    });
  });
});

describe("an in absentia flag on a decision that is not a removal order", () => {
  // In absentia orders are removal orders (INA 240(b)(5); DOMAIN.md §1.6(e)): a flag on a VD grant
  // or another outcome changes nothing. Read on some paths and not on others, it shortened the
  // appeal window of a VD grant (APPEAL_WINDOW became IJ_DECIDED) and let a certification replace a
  // timely plain appeal.
  const flagged = (records: ReturnType<typeof courtRecord>[], day: string) =>
    summaryOf(
      statusAsOf(
        records.map((record) =>
          record.recordKey === "C-3" ? { ...record, fields: { ...record.fields, in_absentia: "Y" } } : record,
        ),
        day,
      ),
    );
  const outcomes: Record<string, string>[] = [
    { outcome: "vd_with_alternate_order", destination_country: "SLV" },
    { outcome: "relief_granted", relief_type: "asylum" },
    { outcome: "terminated" },
    { outcome: "dismissed" },
  ];

  it("reads each outcome as it reads it without the flag, through the window and an appeal", () => {
    for (const outcome of outcomes) {
      const decided = courtRecord("C-3", "K-1", "decision", "2024-01-15", outcome);
      const appealed = courtRecord("C-4", "K-1", "appeal_filed", "2024-02-01");
      const certified = courtRecord("C-5", "K-1", "appeal_filed", "2024-02-20", { certified: "Y" });
      for (const records of [
        [...proceedings, decided],
        [...proceedings, decided, appealed],
        [...proceedings, decided, appealed, certified],
      ]) {
        for (const day of ["2024-01-20", "2024-02-10", "2024-03-01", "2024-06-01"]) {
          expect(flagged(records, day), `${outcome.outcome} on ${day}`).toEqual(
            summaryOf(statusAsOf(records, day)),
          );
        }
      }
    }
  });
});
