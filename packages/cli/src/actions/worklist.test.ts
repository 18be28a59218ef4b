import type { LabelledWorklistEntry, ShownExplanation } from "@passage/engine";
import { describe, expect, it } from "vitest";
import { WORKLIST_CSV_HEADER, worklistCsv, worklistLineOf, worklistTextLine } from "./worklist.ts";

const explanation = {
  evaluation: { decidedBy: { kind: "default" }, firedRules: [{ id: "final-order" }] },
} as unknown as ShownExplanation;

/** P-PLAIN: the policy's tier 4, overridden by a supervisor to tier 1. */
const overridden: LabelledWorklistEntry = {
  personId: "P-PLAIN",
  tier: 4,
  tierLabel: "Other removable",
  tierKind: "priority",
  score: -1.5,
  orderFinalDate: "2025-03-01",
  asOf: "2026-01-01",
  policyId: "posture-2025",
  policyVersion: "1.0.0",
  policyDigest: "d".repeat(64),
  evaluatedAt: "2026-01-01T00:00:00.000Z",
  effectiveTier: 1,
  effectiveTierLabel: "Public safety and national security",
  override: {
    sequence: "1",
    personId: "P-PLAIN",
    policyDigest: "d".repeat(64),
    originalTier: 4,
    tier: 1,
    reason: '=HYPERLINK("http://x.example","open")',
    overriddenBy: "user:sup",
    overriddenAt: "2026-01-02T00:00:00.000Z",
  },
  explanation,
};

describe("passage worklist output", () => {
  it("shows an overridden case in its tier with that tier's label, the policy's tier and label beside it", () => {
    const line = worklistLineOf(overridden);
    expect(line).toMatchObject({
      tier: 1,
      tier_label: "Public safety and national security",
      policy_tier: 4,
      policy_tier_label: "Other removable",
    });
    expect(worklistTextLine(line)).toBe(
      "P-PLAIN  tier 1 Public safety and national security  final 2025-03-01  default tier" +
        ' [override of tier 4 Other removable by user:sup: =HYPERLINK("http://x.example","open")]',
    );
    const [header, row] = worklistCsv([line]).trimEnd().split("\n");
    expect(header).toBe(WORKLIST_CSV_HEADER);
    expect(row).toMatch(/^P-PLAIN,1,Public safety and national security,4,/);
    expect(row).toMatch(/,Other removable$/);
  });

  it("neutralises a formula in the CSV's text cells, and leaves a negative score a number", () => {
    const row = worklistCsv([worklistLineOf(overridden)])
      .trimEnd()
      .split("\n")[1];
    expect(row).toBe(
      `P-PLAIN,1,Public safety and national security,4,"'=HYPERLINK(""http://x.example"",""open"")",` +
        "2025-03-01,-1.5,posture-2025,1.0.0,final-order,Other removable",
    );
  });
});
