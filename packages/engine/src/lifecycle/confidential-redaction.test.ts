import { describe, expect, it } from "vitest";
import { WITHHELD_BINDING, WITHHELD_MATTER, withoutConfidentialMatters } from "./confidential-redaction.ts";

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
        since: null,
        until: null,
        description: WITHHELD_MATTER.description,
        evidence: [],
      },
    });
  });

  it("withholds the dates of a state resting on a flagged record, and the next change date, keeping the primary state", () => {
    const status = {
      state: {
        primary: "PROTECTED_STATUS",
        detail: "ASYLEE",
        since: "2019-03-04",
        until: null,
        description: "Asylum granted",
        evidence: [ASYLUM],
      },
      next_change_on: "2031-03-04",
    };
    const shown = withoutConfidentialMatters(status, FLAGGED);
    expect(shown).toEqual({
      state: {
        primary: "PROTECTED_STATUS",
        detail: null,
        since: null,
        until: null,
        description: WITHHELD_MATTER.description,
        evidence: [],
      },
      next_change_on: null,
    });
    expect(JSON.stringify(shown)).not.toMatch(/2019-03-04|2031-03-04/);
  });

  it("keeps the dates of a state resting on unflagged records", () => {
    const status = { state: { primary: "FINAL_ORDER", since: "2020-01-01", until: null, evidence: [ORDER] } };
    expect(withoutConfidentialMatters(status, FLAGGED)).toEqual(status);
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

  it("withholds the facts, the inputs and the next change date alike on a case without a flagged record", () => {
    const status = (evidence: object[]) => ({
      state: { primary: "FINAL_ORDER", since: "2020-01-01", evidence: [ORDER] },
      next_change_on: "2031-03-04",
      facts: { benefits: [{ type: "ASYLUM", evidence }] },
      timeline: [{ event: "benefit filed", evidence }],
    });
    const flaggedCase = withoutConfidentialMatters(status([ASYLUM]), FLAGGED);
    const plainCase = withoutConfidentialMatters(status([ORDER]), new Set<string>());
    // Withheld on the flagged case only, they would name it as one.
    expect(plainCase).toMatchObject({ facts: null, next_change_on: null });
    expect(flaggedCase).toMatchObject({ facts: null, next_change_on: null });
    expect(Object.keys(plainCase).sort()).toEqual(Object.keys(flaggedCase).sort());
    expect(withoutConfidentialMatters({ inputs: { caseFacts: {} } }, new Set<string>())).toEqual({
      inputs: null,
    });
    expect(flaggedCase.timeline).toEqual([]);
  });

  it("keeps a confidentiality overlay resting on records the reader may see, drops one citing none", () => {
    const asylumOverlay = {
      overlay: "CONFIDENTIAL_ASYLUM",
      since: "2019-01-01",
      until: null,
      evidence: [ASYLUM],
    };
    const uncited = { overlay: "CONFIDENTIAL_1367", since: "2019-01-01", until: null, evidence: [] };
    // A reader with the asylum need may see the asylum record: none of the case's records is flagged to them.
    expect(withoutConfidentialMatters({ overlays: [asylumOverlay, uncited] }, new Set<string>())).toEqual({
      overlays: [asylumOverlay],
    });
    expect(withoutConfidentialMatters({ overlays: [asylumOverlay] }, FLAGGED)).toEqual({ overlays: [] });
  });

  it("withholds blockers, policy considerations and gates that rest on a flagged record and name its matter", () => {
    const blocker = (code: string, binding: string, evidence: object[]) => ({
      code,
      binding,
      basis: `basis of ${code}`,
      description: `description of ${code}`,
      detail: `detail of ${code}`,
      evidence,
      claimIds: [],
    });
    const status = {
      blockers: [blocker("ASYLEE", "law", [ASYLUM]), blocker("APPEAL_PENDING", "law", [ORDER])],
      policy_considerations: [blocker("VICTIM_PROTECTION", "policy", [ASYLUM, ORDER])],
      gates: {
        clear: false,
        results: [
          {
            gate: "ASYLEE",
            holds: true,
            description: "Asylum granted",
            basis: "INA 208",
            evidence: [ASYLUM],
          },
          { gate: "APPEAL_PENDING", holds: true, evidence: [ORDER] },
          { gate: "NO_EXECUTABLE_ORDER", holds: true, evidence: [ASYLUM, ORDER] },
          // Listed for every case; left out once a gate is withheld, as its absence would name it.
          { gate: "VICTIM_PROTECTION", holds: false, description: "T/U/VAWA/SIJ", evidence: [] },
        ],
      },
    };
    const withheld = (code: string, binding: string, evidence: object[]) => ({
      code,
      binding,
      ...WITHHELD_MATTER,
      detail: null,
      evidence,
      claimIds: [],
    });
    const shown = withoutConfidentialMatters(status, FLAGGED);
    expect(shown).toEqual({
      blockers: [withheld("withheld-1", "withheld", []), blocker("APPEAL_PENDING", "law", [ORDER])],
      policy_considerations: [withheld("withheld-2", "withheld", [ORDER])],
      gates: {
        clear: false,
        results: [
          { gate: "withheld-1", holds: true, ...WITHHELD_MATTER, evidence: [] },
          { gate: "APPEAL_PENDING", holds: true, evidence: [ORDER] },
          { gate: "NO_EXECUTABLE_ORDER", holds: true, evidence: [ORDER] },
        ],
      },
    });
    expect(JSON.stringify(shown)).not.toMatch(/ASYLEE|VICTIM|T\/U|asylum|INA 208/i);
  });

  it("shows every withheld blocker and policy consideration with one binding, whatever it rests on", () => {
    // ASYLEE binds by law, VICTIM_PROTECTION by policy: a withheld marker keeping its binding
    // told a victim-protection matter from an asylum one.
    const asylee = { blockers: [{ code: "ASYLEE", binding: "law", evidence: [ASYLUM] }] };
    const victim = { blockers: [{ code: "VICTIM_PROTECTION", binding: "policy", evidence: [ASYLUM] }] };
    const considered = {
      policy_considerations: [{ code: "VICTIM_PROTECTION", binding: "policy", evidence: [ASYLUM] }],
    };
    const shownAsylee = withoutConfidentialMatters(asylee, FLAGGED).blockers[0];
    expect(shownAsylee).toEqual(withoutConfidentialMatters(victim, FLAGGED).blockers[0]);
    expect(shownAsylee).toEqual(withoutConfidentialMatters(considered, FLAGGED).policy_considerations[0]);
    expect(shownAsylee?.binding).toBe(WITHHELD_BINDING);
    // A blocker resting on unflagged records keeps its own binding.
    const kept = { blockers: [{ code: "APPEAL_PENDING", binding: "law", evidence: [ORDER] }] };
    expect(withoutConfidentialMatters(kept, FLAGGED)).toEqual(kept);
  });

  it("renames a withheld gate in a person view's holding list and gate evaluation alike", () => {
    const view = {
      blockers: [{ code: "ASYLEE", binding: "law", evidence: [ASYLUM] }],
      gates: {
        asOf: "2026-11-23",
        holding: ["ASYLEE", "NO_EXECUTABLE_ORDER"],
        evaluation: {
          clear: false,
          results: [
            { gate: "ASYLEE", holds: true, evidence: [ASYLUM] },
            { gate: "NO_EXECUTABLE_ORDER", holds: true, evidence: [ORDER] },
          ],
        },
      },
    };
    const shown = withoutConfidentialMatters(view, FLAGGED);
    expect(shown.gates).toEqual({
      asOf: "2026-11-23",
      holding: ["withheld-1", "NO_EXECUTABLE_ORDER"],
      evaluation: {
        clear: false,
        results: [
          { gate: "withheld-1", holds: true, evidence: [] },
          { gate: "NO_EXECUTABLE_ORDER", holds: true, evidence: [ORDER] },
        ],
      },
    });
    expect(JSON.stringify(shown)).not.toContain("ASYLEE");
  });
});
