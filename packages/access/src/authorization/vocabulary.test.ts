import { describe, expect, it } from "vitest";
import { ACTION_EFFECTS, ACTIONS, isWriteAction, WRITE_ACTIONS } from "./vocabulary.ts";

describe("the effect of every action", () => {
  it("classifies every action as a read or a write, and nothing else", () => {
    expect(Object.keys(ACTION_EFFECTS).sort()).toEqual(Object.keys(ACTIONS).sort());
    for (const [action, effect] of Object.entries(ACTION_EFFECTS)) {
      expect(["read", "write"], action).toContain(effect);
    }
  });

  it("names as writes exactly the actions whose callers change state (audited as they start)", () => {
    // Changing this list is deliberate: a write left out here would be audited only after it commits.
    expect([...WRITE_ACTIONS].sort()).toEqual(
      [
        "audit.checkpoint",
        "case.assign",
        "feed.ingest",
        "link.decide",
        "plan.freeze",
        "plan.write",
        "policy.write",
        "projection.rebuild",
        "record.write",
        "redress.decide",
        "redress.file",
        "travel_document.request",
        "travel_document.review",
        "user.write",
        "worklist.override",
      ].sort(),
    );
    expect(isWriteAction("record.write")).toBe(true);
    expect(isWriteAction("person.read")).toBe(false);
  });
});
