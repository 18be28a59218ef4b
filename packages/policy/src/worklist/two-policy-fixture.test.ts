import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TWO_POLICY_POPULATION } from "../fixtures/two-policy-population.ts";
import { type ActionableCase, admitCase } from "../gates/actionable-case.ts";
import { diffPolicies } from "../policy/diff-policies.ts";
import { dryRun } from "../policy/dry-run.ts";
import { loadPolicyOrThrow } from "../policy/load-policy.ts";
import { buildWorklist } from "./build-worklist.ts";
import { explainCase, replayExplanation } from "./case-explanation.ts";

const load = (name: string) =>
  loadPolicyOrThrow(
    readFileSync(new URL(`../../policies/${name}.yaml`, import.meta.url), "utf8"),
    `${name}.yaml`,
  );
const POLICIES = { "mayorkas-2021": load("mayorkas-2021"), "posture-2025": load("posture-2025") };

describe("the two example policies on one population", () => {
  it("has at least 20 persons on the worklists and some gated ones", () => {
    const actionable = TWO_POLICY_POPULATION.filter((person) => person.expected["mayorkas-2021"] !== null);
    expect(actionable.length).toBeGreaterThanOrEqual(20);
    expect(TWO_POLICY_POPULATION.length).toBeGreaterThan(actionable.length);
  });

  for (const [name, policy] of Object.entries(POLICIES) as [
    keyof typeof POLICIES,
    (typeof POLICIES)[keyof typeof POLICIES],
  ][]) {
    it(`gives exactly the expected tier under ${name}`, () => {
      const worklist = buildWorklist(TWO_POLICY_POPULATION, policy);
      const actual = Object.fromEntries([
        ...worklist.entries.map((entry) => [entry.personId, entry.tier]),
        ...worklist.gated.map((gated) => [gated.personId, null]),
      ]);
      const expected = Object.fromEntries(
        TWO_POLICY_POPULATION.map((person) => [person.caseFacts.personId, person.expected[name]]),
      );
      expect(actual).toEqual(expected);
    });

    it(`sorts the ${name} worklist by tier then oldest final order, and explains every entry`, () => {
      const { entries } = buildWorklist(TWO_POLICY_POPULATION, policy);
      for (let index = 1; index < entries.length; index++) {
        const before = entries[index - 1]!;
        const after = entries[index]!;
        expect(before.tier <= after.tier).toBe(true);
        if (before.tier === after.tier)
          expect((before.orderFinalDate ?? "~") <= (after.orderFinalDate ?? "~")).toBe(true);
      }
      for (const entry of entries) {
        const explanation = entry.explanation;
        expect(explanation.gates.results.length).toBeGreaterThan(10);
        expect(explanation.policy).toEqual({
          id: policy.definition.id,
          version: policy.definition.version,
          digest: policy.digest,
        });
        const decided = entry.evaluation.firedRules.filter((rule) => rule.decided);
        if (entry.evaluation.decidedBy.kind === "rule") {
          expect(decided.map((rule) => rule.id)).toEqual([entry.evaluation.decidedBy.ruleId]);
        } else {
          expect(decided).toEqual([]);
          expect(entry.tier).toBe(policy.definition.defaultTier);
        }
        for (const fired of entry.evaluation.firedRules) {
          expect(fired.description.length).toBeGreaterThan(0);
          expect(fired.basis.length).toBeGreaterThan(0);
        }
      }
    });
  }

  it("cites the records a fired rule read", () => {
    const p03 = TWO_POLICY_POPULATION.find((person) => person.caseFacts.personId === "P03")!;
    const explanation = explainCase(p03.gateInput, p03.caseFacts, POLICIES["mayorkas-2021"]);
    const fired = Object.fromEntries(explanation.evaluation!.firedRules.map((rule) => [rule.id, rule]));
    expect(Object.keys(fired)).toEqual([
      "aggravated-felony",
      "serious-recent-offense",
      "long-sentence",
      "public-safety",
    ]);
    expect(fired["aggravated-felony"]!.evidence).toEqual([
      { feed: "conviction", recordKey: "D-P03-1", version: 1 },
    ]);
    expect(fired["aggravated-felony"]!.contribution).toBe(3);
    // The public-safety tier rule reads the score, so it cites the records behind the factors.
    expect(fired["public-safety"]!.evidence).toEqual([
      { feed: "conviction", recordKey: "D-P03-1", version: 1 },
    ]);
    expect(explanation.evaluation!.score).toBe(8);
  });

  it("deprioritizes a claimed departure under posture-2025, citing the self-report, and gates none", () => {
    const p22 = TWO_POLICY_POPULATION.find((person) => person.caseFacts.personId === "P22")!;
    const explanation = explainCase(p22.gateInput, p22.caseFacts, POLICIES["posture-2025"]);
    expect(explanation.gates.clear).toBe(true);
    expect(explanation.evaluation!.decidedBy).toEqual({ kind: "rule", ruleId: "claimed-departure" });
    const fired = explanation.evaluation!.firedRules.find((rule) => rule.id === "claimed-departure")!;
    expect(fired.evidence).toEqual([{ feed: "departure", recordKey: "DEP-P22", version: 1 }]);
    expect(POLICIES["posture-2025"].tierByNumber.get(6)!.label).toBe(
      "Self-reported departure awaiting corroboration",
    );
    const earlier = explainCase(p22.gateInput, p22.caseFacts, POLICIES["mayorkas-2021"]);
    expect(earlier.evaluation!.firedRules.map((rule) => rule.id)).toEqual([]);
  });

  it("produces different worklists, and the dry run says which cases move", () => {
    const cases = TWO_POLICY_POPULATION.map((person) => admitCase(person.gateInput, person.caseFacts))
      .filter((admission) => admission.actionable)
      .map((admission) => (admission as { case: ActionableCase }).case);
    const result = dryRun(POLICIES["mayorkas-2021"], POLICIES["posture-2025"], cases);
    const expectedChanges = TWO_POLICY_POPULATION.filter(
      (person) =>
        person.expected["mayorkas-2021"] !== null &&
        person.expected["mayorkas-2021"] !== person.expected["posture-2025"],
    ).map((person) => person.caseFacts.personId);
    expect(result.changes.map((change) => change.personId)).toEqual(expectedChanges.sort());
    expect(result.changed + result.unchanged).toBe(cases.length);
    expect(result.changed).toBeGreaterThan(10);
    const p05 = result.changes.find((change) => change.personId === "P05")!;
    expect(p05.from).toEqual({ tier: 4, label: "Not a priority", decidedBy: "default tier" });
    expect(p05.to).toEqual({
      tier: 1,
      label: "Public safety and national security",
      decidedBy: "rule laken-riley-offense",
    });
  });

  it("diffs the two policies", () => {
    const diff = diffPolicies(POLICIES["mayorkas-2021"], POLICIES["posture-2025"]);
    expect(diff.identical).toBe(false);
    expect(diff.changes.map((change) => change.field)).toEqual([
      "id",
      "version",
      "description",
      "effective.from",
      "effective.to",
    ]);
    expect(diff.rules.added.map((rule) => rule.id)).toContain("laken-riley-offense");
    expect(diff.rules.removed.map((rule) => rule.id)).toContain("public-safety");
    expect(diff.rules.changed.map((change) => change.id)).toEqual([
      "aggravated-felony",
      "national-security",
      "deferred-action",
    ]);
    expect(diff.tiers.changed.map((change) => change.tier)).toEqual([1, 2, 3, 4, 5]);
    expect(diffPolicies(POLICIES["posture-2025"], load("posture-2025")).identical).toBe(true);
  });

  it("replays a stored explanation exactly, and refuses another policy", () => {
    for (const person of TWO_POLICY_POPULATION) {
      const stored = JSON.parse(
        JSON.stringify(explainCase(person.gateInput, person.caseFacts, POLICIES["posture-2025"])),
      );
      const replay = replayExplanation(stored, POLICIES["posture-2025"]);
      expect(replay.differences).toEqual([]);
      expect(replay.identical).toBe(true);
      expect(() => replayExplanation(stored, POLICIES["mayorkas-2021"])).toThrow(
        /made with policy posture-2025/,
      );
    }
  });

  it("replays an explanation stored before the gate input gained its newer identity lists", () => {
    for (const person of TWO_POLICY_POPULATION) {
      const stored = JSON.parse(
        JSON.stringify(explainCase(person.gateInput, person.caseFacts, POLICIES["posture-2025"])),
      );
      // As stored before 25 Nov 2026: no unlinkedRecords, no outdatedMustLinks.
      delete stored.inputs.gateInput.identity.unlinkedRecords;
      delete stored.inputs.gateInput.identity.outdatedMustLinks;
      const replay = replayExplanation(stored, POLICIES["posture-2025"]);
      expect(replay.differences).toEqual([]);
      expect(replay.identical).toBe(true);
    }
  });
});
