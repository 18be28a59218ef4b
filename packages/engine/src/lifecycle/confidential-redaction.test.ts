import { describe, expect, it } from "vitest";
import { withoutConfidentialMatters } from "./confidential-redaction.ts";

const ASYLUM = { feed: "benefit", recordKey: "EAC1|filed", version: 1 };
const ORDER = { feed: "court", recordKey: "C-1", version: 2 };
const FLAGGED = new Set(["benefit:EAC1|filed"]);

describe("withoutConfidentialMatters", () => {
  it("keeps an explanation's gates and rules, without a flagged record's citations or the raw facts", () => {
    const explanation = {
      tier: 3,
      gates: {
        clear: true,
        results: [{ gate: "NO_EXECUTABLE_ORDER", holds: false, evidence: [ORDER, ASYLUM] }],
      },
      evaluation: { firedRules: [{ id: "pending-claim", evidence: [ASYLUM] }] },
      inputs: { caseFacts: { benefits: [{ type: "ASYLUM", evidence: [ASYLUM] }] } },
    };
    expect(withoutConfidentialMatters(explanation, FLAGGED)).toEqual({
      tier: 3,
      gates: { clear: true, results: [{ gate: "NO_EXECUTABLE_ORDER", holds: false, evidence: [ORDER] }] },
      evaluation: { firedRules: [{ id: "pending-claim", evidence: [] }] },
      inputs: null,
    });
    expect(explanation.inputs).not.toBeNull();
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
