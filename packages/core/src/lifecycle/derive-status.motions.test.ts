import { describe, expect, it } from "vitest";
import { blockerOf, statusAsOf, summaryOf } from "./testing/derive-helpers.ts";
import { cite, courtRecord, ewiInProceedings } from "./testing/lifecycle-records.ts";

/**
 * Motions to reopen an in absentia order (DOMAIN.md §1.4, §1.9; docs/lifecycle-semantics.md §5):
 * filing stays removal "until the IJ rules" on it, so a stay holds while any motion is undecided.
 * The feed carries no motion id: rulings are matched to filings by count.
 */

const proceedings = ewiInProceedings();
const absentia = courtRecord("C-3", "K-1", "decision", "2024-01-15", {
  outcome: "removal_ordered",
  in_absentia: "Y",
  notice_served: "Y",
  destination_country: "SLV",
});
const ordered = [...proceedings, absentia];
const first = courtRecord("M-1", "K-1", "motion_filed", "2024-02-01");
const denied = (id: string, date: string) =>
  courtRecord(id, "K-1", "motion_decided", date, { outcome: "denied" });

describe("motions to reopen an in absentia order", () => {
  it("a second motion keeps its stay when the first is denied", () => {
    const second = courtRecord("M-2", "K-1", "motion_filed", "2024-03-01");
    const status = statusAsOf([...ordered, first, second, denied("M-3", "2024-04-01")], "2024-04-02");
    expect(summaryOf(status)).toMatchObject({
      primary: "FINAL_ORDER",
      blockers: ["MTR_IN_ABSENTIA_PENDING"],
      finalOrderExecutable: false,
    });
    expect(blockerOf(status, "MTR_IN_ABSENTIA_PENDING").evidence).toEqual([cite(absentia), cite(second)]);
    expect(status.facts.court?.motion).toMatchObject({
      filedOn: "2024-03-01",
      decidedOn: null,
      staysRemoval: true,
    });
    // Once the IJ has ruled on both, nothing stays removal.
    const both = statusAsOf(
      [...ordered, first, second, denied("M-3", "2024-04-01"), denied("M-4", "2024-05-01")],
      "2024-05-02",
    );
    expect(summaryOf(both)).toMatchObject({ blockers: [], finalOrderExecutable: true });
    expect(both.facts.court?.motion).toMatchObject({ decidedOn: "2024-05-01", staysRemoval: false });
  });

  it("a motion filed on the day the first is denied is read as still pending", () => {
    const sameDay = courtRecord("M-2", "K-1", "motion_filed", "2024-05-01");
    const status = statusAsOf([...ordered, first, denied("M-3", "2024-05-01"), sameDay], "2024-05-02");
    expect(summaryOf(status)).toMatchObject({
      blockers: ["MTR_IN_ABSENTIA_PENDING"],
      finalOrderExecutable: false,
    });
  });

  it("a ruling with no filing before it does not decide a motion filed later", () => {
    const later = courtRecord("M-2", "K-1", "motion_filed", "2024-04-01");
    const status = statusAsOf([...ordered, denied("M-3", "2024-03-01"), later], "2024-04-02");
    expect(summaryOf(status).blockers).toEqual(["MTR_IN_ABSENTIA_PENDING"]);
  });

  it("a single motion filed and ruled on the same day stays nothing", () => {
    const sameDay = courtRecord("M-2", "K-1", "motion_filed", "2024-04-01");
    const status = statusAsOf([...ordered, sameDay, denied("M-3", "2024-04-01")], "2024-04-02");
    expect(summaryOf(status)).toMatchObject({ blockers: [], finalOrderExecutable: true });
  });

  it("a granted motion reopens the case even while another is undecided", () => {
    const second = courtRecord("M-2", "K-1", "motion_filed", "2024-03-01");
    const granted = courtRecord("M-3", "K-1", "motion_decided", "2024-04-01", { outcome: "granted" });
    expect(summaryOf(statusAsOf([...ordered, first, second, granted], "2024-04-02"))).toMatchObject({
      primary: "IN_PROCEEDINGS",
      finalOrderExecutable: false,
    });
  });
});
