import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryCaseFacts } from "../testing/arbitrary-cases.ts";
import { evaluatePolicy } from "./evaluate-policy.ts";
import { loadPolicyOrThrow } from "./load-policy.ts";

const HEADER = `id: age-test
version: "1"
description: Age and the score
effective:
  from: 2020-01-01
tiers:
  - tier: 1
    label: First
  - tier: 2
    label: Second
  - tier: 3
    label: Deferred
    kind: deferred
default_tier: 2
`;

const AGE_RULE = `  - id: young-adult
    description: Between 18 and 40
    basis: test
    condition: age_years >= 18 && age_years < 40
    factor: mitigating
    weight: 10
`;

const CONVICTION_RULE = `  - id: convicted
    description: Any standing conviction
    basis: test
    condition: conviction_count > 0
    factor: aggravating
    weight: 4
`;

/** Tier rules that read the score, some in the direction that turns a mitigating factor into priority. */
const TIER_RULES = [
  "    condition: score <= -10\n    tier: 1",
  "    condition: score >= 0\n    tier: 3",
  "    condition: score >= 4\n    tier: 1",
  "    condition: score < 0 && conviction_count > 0\n    tier: 1",
];

const policyOf = (withAge: boolean, tierRule: string) =>
  loadPolicyOrThrow(
    `${HEADER}rules:\n${withAge ? AGE_RULE : ""}${CONVICTION_RULE}  - id: by-score\n    description: By the score\n    basis: test\n${tierRule}\n`,
    "age-test.yaml",
  );

describe("evaluatePolicy: age is never aggravating", () => {
  it("never places a case more urgently for its age than the same policy without the age factor", () => {
    const pairs = TIER_RULES.map(
      (tierRule) => [policyOf(true, tierRule), policyOf(false, tierRule)] as const,
    );
    fc.assert(
      fc.property(arbitraryCaseFacts("p"), fc.integer({ min: 0, max: pairs.length - 1 }), (facts, pick) => {
        const [withAge, withoutAge] = pairs[pick]!;
        expect(evaluatePolicy(withAge, facts).tier).toBeGreaterThanOrEqual(
          evaluatePolicy(withoutAge, facts).tier,
        );
      }),
      { numRuns: 400 },
    );
  });

  it("holds back a mitigating age factor that a tier rule would turn into priority, and says so", () => {
    const facts = {
      ...fc.sample(arbitraryCaseFacts("p"), { numRuns: 1, seed: 7 })[0]!,
      asOf: "2026-11-24",
      convictions: [],
      dateOfBirth: { date: "2000-01-01", evidence: [] },
    };
    const laundered = evaluatePolicy(policyOf(true, TIER_RULES[0]!), facts);
    expect(laundered).toMatchObject({
      tier: 2,
      decidedBy: { kind: "default" },
      mitigationOnlyHeldBack: true,
    });
    expect(laundered.score).toBe(-10);
    // A rule deferring high scores would make a low one urgent: held back too.
    expect(evaluatePolicy(policyOf(true, TIER_RULES[1]!), facts)).toMatchObject({
      tier: 3,
      mitigationOnlyHeldBack: true,
    });
    // Mitigation that lowers the priority stands: the score falls below the urgent rule's bar.
    const mitigated = evaluatePolicy(policyOf(true, "    condition: score >= -5\n    tier: 1"), facts);
    expect(mitigated).toMatchObject({ tier: 2, decidedBy: { kind: "default" } });
    expect(mitigated.mitigationOnlyHeldBack).toBeUndefined();
  });
});

describe("evaluatePolicy: the score is always a finite number", () => {
  it("does not count a weight that would make the score non-finite, and names it as a rule error", () => {
    const loaded = loadPolicyOrThrow(
      `${HEADER}rules:\n${CONVICTION_RULE}${CONVICTION_RULE.replace("id: convicted", "id: convicted-again")}  - id: by-score\n    description: By the score\n    basis: test\n    condition: score > 10.0\n    tier: 1\n`,
      "inf.yaml",
    );
    // The load refuses such weights; a policy built past it (or an older stored one) still
    // never yields Infinity or NaN, which no worklist could store.
    const huge = {
      ...loaded,
      weightRules: loaded.weightRules.map((rule) => ({
        ...rule,
        effect: { kind: "weight" as const, factor: "aggravating" as const, weight: 1.7e308 },
      })),
    };
    const facts = {
      ...fc.sample(arbitraryCaseFacts("p"), { numRuns: 1, seed: 7 })[0]!,
      convictions: [
        {
          offenseCode: "OTHER",
          offenseLevel: "felony" as const,
          aggravatedFelony: false,
          disposition: "convicted" as const,
          date: "2020-01-01",
          sentenceDays: null,
          evidence: [],
        },
      ],
    };
    const evaluation = evaluatePolicy(huge, facts);
    expect(evaluation.score).toBe(1.7e308);
    expect(evaluation.firedRules.map((rule) => rule.id)).toEqual(["convicted", "by-score"]);
    expect(evaluation.ruleErrors).toEqual([
      {
        id: "convicted-again",
        message: expect.stringMatching(/would make the score Infinity, not a finite number/),
      },
    ]);
  });
});
