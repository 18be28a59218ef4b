import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ListedWorklistEntry, WorklistExplanation } from "../../api/worklist-api.ts";
import { ExplanationView } from "../person/priority-panel.tsx";
import { worklistRowOf } from "./use-worklist-pages.ts";
import { casesCount, WorklistTierCell } from "./worklist-table.tsx";

/** A case the policy puts in tier 4, overridden by a supervisor to tier 1, as GET /worklist sends it. */
const OVERRIDDEN: ListedWorklistEntry = {
  personId: "P-PLAIN",
  tier: 4,
  tierLabel: "Other removable",
  tierKind: "priority",
  score: 0,
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
    reason: "witness in a prosecution",
    overriddenBy: "user:sup",
    overriddenAt: "2026-01-02T00:00:00.000Z",
  },
};

const text = (html: string) => html.replace(/<[^>]+>/g, "").replaceAll("&#x27;", "'");

describe("an overridden case in the worklist table and the priority panel", () => {
  it("is shown in the tier in force under that tier's label, the policy's tier and label beside it", () => {
    const row = worklistRowOf(OVERRIDDEN);
    expect(row).toMatchObject({
      tier: 1,
      tierLabel: "Public safety and national security",
      policyTier: 4,
      policyTierLabel: "Other removable",
      overridden: true,
    });
    expect(text(renderToStaticMarkup(createElement(WorklistTierCell, { entry: row })))).toBe(
      "▲Tier 1 · Public safety and national security•overridden from tier 4 · Other removable",
    );
  });

  it("heads the explanation with the tier in force and its label, then the policy's", () => {
    const explained = {
      entry: OVERRIDDEN,
      explanation: {
        personId: "P-PLAIN",
        asOf: "2026-01-01",
        actionable: true,
        gates: { clear: true, results: [] },
        policy: { id: "posture-2025", version: "1.0.0", digest: "d".repeat(64) },
        evaluation: {
          tier: 4,
          tierLabel: "Other removable",
          score: 0,
          decidedBy: { kind: "default" },
          firedRules: [],
          ruleErrors: [],
        },
        tier: 4,
      },
      replay: { identical: true, differences: [] },
      overrides: [OVERRIDDEN.override!],
    } satisfies WorklistExplanation;
    const heading = text(renderToStaticMarkup(createElement(ExplanationView, { explained }))).split(
      "The tier was",
    )[0]!;
    expect(heading).toMatch(/^▲Tier 1 Public safety and national security · score 0\.0 · policy/);
    expect(heading).toMatch(/the policy gives tier 4 · Other removable/);
  });

  it("says a withheld reason is withheld from every case for this reader, not that the case has a confidential matter", () => {
    const withheld = { ...OVERRIDDEN.override!, reason: null };
    const explained = {
      entry: { ...OVERRIDDEN, override: withheld },
      explanation: {
        personId: "P-PLAIN",
        asOf: "2026-01-01",
        actionable: true,
        gates: { clear: true, results: [] },
        policy: { id: "posture-2025", version: "1.0.0", digest: "d".repeat(64) },
        evaluation: null,
        tier: 4,
      },
      replay: { identical: true, differences: [] },
      overrides: [withheld],
    } satisfies WorklistExplanation;
    const shown = text(renderToStaticMarkup(createElement(ExplanationView, { explained })));
    expect(shown).toContain(
      "Tier 4 → 1 by user:sup on 2026-01-02T00:00:00.000Z: reason withheld: override reasons are shown only to readers who may see asylum and 1367 matters",
    );
    expect(shown).not.toMatch(/the case has a confidential matter/);
  });
});

describe("casesCount", () => {
  it("says one case in the singular, any other count in the plural", () => {
    expect(casesCount(1)).toBe("1 case");
    expect(casesCount(0)).toBe("0 cases");
    expect(casesCount(2500)).toBe("2,500 cases");
  });
});
