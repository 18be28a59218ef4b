import type { LinkageDecisionRow } from "@passage/store";
import { describe, expect, it } from "vitest";
import { pairOverrideOf } from "./linkage-views.ts";

const decision = (decisionId: string, kind: "must_link" | "cannot_link"): LinkageDecisionRow => ({
  decisionId,
  leftRecord: "court:C1",
  rightRecord: "visa:V1",
  decision: kind,
  source: "unlink",
  reviewId: null,
  decidedBy: "user:steward",
  reason: "checked",
  decidedAt: "2026-11-24T00:00:00Z",
  outdated: false,
  placedRecord: null,
});

describe("what overrides a pair's band in its explanation", () => {
  it("says a cannot-link holds apart a pair in the auto_link band", () => {
    expect(
      pairOverrideOf("auto_link", [decision("3", "must_link"), decision("7", "cannot_link")], ["P-1", "P-2"]),
    ).toEqual({
      outcome: "held_apart",
      decisionId: "7",
      note: "held apart: cannot-link decision 7 (unlink, by user:steward) overrides band auto_link",
    });
  });

  it("says a must-link joins a pair its band would not link", () => {
    expect(pairOverrideOf("review", [decision("4", "must_link")], ["P-1", "P-1"])?.outcome).toBe("joined");
  });

  it("says an auto_link pair is held apart in different persons without a decision on it", () => {
    expect(pairOverrideOf("auto_link", [], ["P-1", "P-2"])).toMatchObject({
      outcome: "held_apart",
      decisionId: null,
    });
  });

  it("says nothing where the band says what happened", () => {
    expect(pairOverrideOf("auto_link", [decision("4", "must_link")], ["P-1", "P-1"])).toBeNull();
    expect(pairOverrideOf("no_link", [decision("5", "cannot_link")], ["P-1", "P-2"])).toBeNull();
    expect(pairOverrideOf("auto_link", [], ["P-1", "P-1"])).toBeNull();
  });
});
