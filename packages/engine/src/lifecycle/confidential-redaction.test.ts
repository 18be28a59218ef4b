import { describe, expect, it } from "vitest";
import { WITHHELD_MATTER, withoutConfidentialMatters } from "./confidential-redaction.ts";

const ASYLUM = { feed: "benefit", recordKey: "EAC1|filed", version: 1 };
const ORDER = { feed: "court", recordKey: "C-1", version: 2 };
const FLAGGED = new Set(["benefit:EAC1|filed"]);

describe("withoutConfidentialMatters", () => {
  it("keeps an explanation's gates and the rules' effect, without a flagged record's citations, the rules resting on one, or the raw facts", () => {
    const rule = (id: string, evidence: object[], contribution: number) => ({
      id,
      description: `rule ${id}`,
      basis: `basis of ${id}`,
      contribution,
      evidence,
    });
    const explanation = {
      tier: 3,
      gates: {
        clear: true,
        results: [{ gate: "NO_EXECUTABLE_ORDER", holds: false, evidence: [ORDER, ASYLUM] }],
      },
      evaluation: {
        decidedBy: { kind: "rule", ruleId: "victim-benefit-grantee" },
        firedRules: [
          rule("victim-benefit-grantee", [ASYLUM], 0),
          rule("final-order", [ORDER], 10),
          rule("pending-claim", [ORDER, ASYLUM], -5),
        ],
      },
      inputs: { caseFacts: { benefits: [{ type: "ASYLUM", evidence: [ASYLUM] }] } },
    };
    const shown = withoutConfidentialMatters(explanation, FLAGGED);
    expect(shown).toEqual({
      tier: 3,
      gates: { clear: true, results: [{ gate: "NO_EXECUTABLE_ORDER", holds: false, evidence: [ORDER] }] },
      evaluation: {
        decidedBy: { kind: "rule", ruleId: "withheld-1" },
        firedRules: [
          { id: "withheld-1", ...WITHHELD_MATTER, contribution: 0, evidence: [] },
          rule("final-order", [ORDER], 10),
          { id: "withheld-2", ...WITHHELD_MATTER, contribution: -5, evidence: [ORDER] },
        ],
      },
      inputs: null,
    });
    expect(JSON.stringify(shown)).not.toMatch(/victim|pending-claim/);
    expect(explanation.inputs).not.toBeNull();
  });

  it("keeps a rule decided on unflagged records as it is", () => {
    const evaluation = {
      decidedBy: { kind: "rule", ruleId: "final-order" },
      firedRules: [{ id: "final-order", description: "d", basis: "b", contribution: 0, evidence: [ORDER] }],
    };
    expect(withoutConfidentialMatters({ evaluation }, FLAGGED)).toEqual({ evaluation });
  });

  it("withholds the detail of a state resting on a flagged record, keeping the primary state", () => {
    const status = {
      state: {
        primary: "BENEFIT_PENDING",
        detail: "ASYLUM",
        description: "Asylum application pending",
        evidence: [ASYLUM],
      },
    };
    expect(withoutConfidentialMatters(status, FLAGGED)).toEqual({
      state: {
        primary: "BENEFIT_PENDING",
        detail: null,
        description: WITHHELD_MATTER.description,
        evidence: [],
      },
    });
  });

  it("drops a status's confidential overlays, the timeline and evidence resting on a flagged record, and the facts", () => {
    const status = {
      state: { primary: "FINAL_ORDER", evidence: [ORDER] },
      overlays: [{ overlay: "CONFIDENTIAL_ASYLUM", evidence: [ASYLUM] }],
      timeline: [
        { event: "asylum filed", evidence: [ASYLUM] },
        { event: "ordered removed", evidence: [ORDER] },
      ],
      evidence: [ORDER, ASYLUM],
      facts: { court: {} },
    };
    expect(withoutConfidentialMatters(status, FLAGGED)).toEqual({
      state: { primary: "FINAL_ORDER", evidence: [ORDER] },
      overlays: [],
      timeline: [{ event: "ordered removed", evidence: [ORDER] }],
      evidence: [ORDER],
      facts: null,
    });
  });
});
