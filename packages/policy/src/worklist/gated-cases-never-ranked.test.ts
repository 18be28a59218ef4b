import { isPassageError } from "@passage/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { CaseFacts } from "../case-facts.ts";
import type { GateInput } from "../gate-input.ts";
import { type ActionableCase, admitCase } from "../gates/actionable-case.ts";
import { evaluateGates } from "../gates/evaluate-gates.ts";
import { dryRun } from "../policy/dry-run.ts";
import { loadPolicyOrThrow } from "../policy/load-policy.ts";
import type { Policy } from "../policy/policy-definition.ts";
import { arbitraryCandidates, arbitraryCaseFacts, arbitraryGateInput } from "../testing/arbitrary-cases.ts";
import { arbitraryCondition } from "../testing/arbitrary-condition.ts";
import { buildWorklist } from "./build-worklist.ts";
import { rankCases } from "./rank-cases.ts";

const soak = process.env.PASSAGE_SOAK === "1";

/** Conditions a hostile author might try: reading gates, blockers or identity. None exist to a rule. */
const HOSTILE_CONDITIONS = [
  "gates.clear",
  '"STAY_GRANTED" in blockers',
  "identity.reviewBandLinks.size() == 0",
  "!holds",
  'primary_state == "FINAL_ORDER"',
  "withholding_countries.size() > 0",
  "true",
];

const arbitraryPolicyText: fc.Arbitrary<string> = fc
  .record({
    tierNumbers: fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
    kinds: fc.array(fc.constantFrom("priority", "not_priority", "deferred"), { minLength: 5, maxLength: 5 }),
    defaultIndex: fc.nat(),
    rules: fc.array(
      fc.record({
        kind: fc.constantFrom("tier", "weight"),
        tierIndex: fc.nat(),
        weight: fc.integer({ min: 1, max: 10 }),
        factor: fc.constantFrom("aggravating", "mitigating"),
        condition: fc.oneof(
          { weight: 6, arbitrary: arbitraryCondition() },
          { weight: 2, arbitrary: arbitraryCondition({ score: true }) },
          { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_CONDITIONS) },
          { weight: 1, arbitrary: fc.string() },
        ),
      }),
      { maxLength: 8 },
    ),
  })
  .map(({ tierNumbers, kinds, defaultIndex, rules }) =>
    stringify({
      id: "fuzz",
      version: "1",
      description: "random policy",
      effective: { from: "2020-01-01" },
      tiers: tierNumbers.map((tier, index) => ({ tier, label: `Tier ${tier}`, kind: kinds[index] })),
      default_tier: tierNumbers[defaultIndex % tierNumbers.length],
      rules: rules.map((rule, index) => ({
        id: `rule-${index}`,
        description: "random rule",
        basis: "none",
        condition: rule.condition,
        ...(rule.kind === "tier"
          ? { tier: tierNumbers[rule.tierIndex % tierNumbers.length] }
          : { weight: rule.weight, factor: rule.factor }),
      })),
    }),
  );

function tryLoad(text: string): Policy | undefined {
  try {
    return loadPolicyOrThrow(text, "fuzz.yaml");
  } catch (error) {
    if (isPassageError(error) && error.code === "PASSAGE_ERR_POLICY_INVALID") return undefined;
    throw error;
  }
}

describe("no policy, however written, puts a gated case on a worklist", () => {
  it("keeps exactly the gate-clear cases, each once, for random policies and populations", () => {
    let loaded = 0;
    fc.assert(
      fc.property(arbitraryPolicyText, arbitraryCandidates(12), (text, candidates) => {
        const policy = tryLoad(text);
        if (policy === undefined) return;
        loaded++;
        const clear = candidates
          .filter((candidate) => evaluateGates(candidate.gateInput).results.every((result) => !result.holds))
          .map((candidate) => candidate.gateInput.personId)
          .sort();
        const worklist = buildWorklist(candidates, policy);
        expect(worklist.entries.map((entry) => entry.personId).sort()).toEqual(clear);
        expect(worklist.entries.length + worklist.gated.length).toBe(candidates.length);
        for (const gated of worklist.gated) {
          expect(gated.gates.results.some((result) => result.holds)).toBe(true);
          expect(gated.evaluation).toBeNull();
        }
        for (const entry of worklist.entries) expect(policy.tierByNumber.has(entry.tier)).toBe(true);
      }),
      { numRuns: soak ? 5_000 : 150 },
    );
    expect(loaded).toBeGreaterThan(0);
  });

  it("refuses hostile conditions that try to read gates at load time", () => {
    for (const condition of HOSTILE_CONDITIONS.slice(0, -1)) {
      const text = stringify({
        id: "hostile",
        version: "1",
        description: "tries to read gates",
        effective: { from: "2020-01-01" },
        tiers: [{ tier: 1, label: "One" }],
        default_tier: 1,
        rules: [{ id: "r", description: "d", basis: "b", condition, tier: 1 }],
      });
      expect(tryLoad(text), condition).toBeUndefined();
    }
  });

  it("refuses to rank or dry-run a case that did not come through the gates", () => {
    const [candidate] = fc.sample(
      fc.record({ gateInput: arbitraryGateInput("forged"), caseFacts: arbitraryCaseFacts("forged") }),
      { numRuns: 1, seed: 3 },
    ) as { gateInput: GateInput; caseFacts: CaseFacts }[];
    const policy = loadPolicyOrThrow(
      stringify({
        id: "p",
        version: "1",
        description: "d",
        effective: { from: "2020-01-01" },
        tiers: [{ tier: 1, label: "One" }],
        default_tier: 1,
        rules: [],
      }),
      "p.yaml",
    );
    const forged = {
      personId: "forged",
      facts: candidate!.caseFacts,
      gates: { personId: "forged", asOf: "2025-06-01", clear: true, results: [] },
    } as unknown as ActionableCase;
    expect(() => rankCases([forged], policy)).toThrow(/not admitted through evaluateGates/);
    expect(() => dryRun(policy, policy, [forged])).toThrow(/not admitted through evaluateGates/);
    const gatedInput: GateInput = {
      ...candidate!.gateInput,
      blockers: [{ code: "STAY_GRANTED", binding: "law", evidence: [] }],
    };
    expect(admitCase(gatedInput, candidate!.caseFacts).actionable).toBe(false);
  });
});
