import { WITHHELD_MATTER } from "@passage/engine";
import { describe, expect, it } from "vitest";
import { statusLines } from "./status.ts";

type ShownStatus = Parameters<typeof statusLines>[0];

const document = {
  person_id: "P-1",
  actionable: false,
  as_of: "2026-11-24",
  known_at: null,
  state: { primary: "FINAL_ORDER", detail: null, since: null, until: null, description: "Final order" },
  overlays: [],
  blockers: [
    // As the redaction leaves a blocker resting on a flagged record for a reader without the need.
    { code: "withheld-1", binding: "policy", detail: null, ...WITHHELD_MATTER, evidence: [] },
    {
      code: "APPEAL_PENDING",
      binding: "law",
      detail: "BIA appeal filed 2026-01-02",
      description: "d",
      basis: "8 CFR 1003.6",
      evidence: [],
    },
  ],
  gates: { clear: false, results: [] },
  evidence: [],
} as unknown as ShownStatus;

describe("statusLines (passage status, human output)", () => {
  it("shows a withheld blocker's words, never null, and a blocker's detail when it has one", () => {
    const lines = statusLines(document);
    expect(lines).toContain(
      `blocker withheld-1 [policy] ${WITHHELD_MATTER.description} (${WITHHELD_MATTER.basis})`,
    );
    expect(lines).toContain("blocker APPEAL_PENDING [law] BIA appeal filed 2026-01-02 (8 CFR 1003.6)");
    expect(lines.join("\n")).not.toContain("null");
  });
});
