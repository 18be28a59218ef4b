import { isPassageError } from "@passage/core";
import { describe, expect, it } from "vitest";
import type { ConvictionFacts } from "../case-facts.ts";
import { TWO_POLICY_POPULATION } from "../fixtures/two-policy-population.ts";
import { evaluatePolicy } from "../policy/evaluate-policy.ts";
import { loadPolicyOrThrow } from "../policy/load-policy.ts";
import type { PolicyProblem } from "../policy-errors.ts";
import { CONDITION_LIMITS } from "./condition-limits.ts";

const HEADER = `id: limits
version: "1"
description: Conditions at and past the limits
effective:
  from: 2024-01-01
tiers:
  - tier: 1
    label: First
  - tier: 2
    label: Not a priority
    kind: not_priority
default_tier: 2
rules:
`;

/** A policy of tier rules, one per condition, named r0, r1, ... (rule i starts on line 14 + 5i). */
function policyText(...conditions: string[]): string {
  return (
    HEADER +
    conditions
      .map(
        (condition, index) =>
          `  - id: r${index}\n    description: d\n    basis: b\n    condition: '${condition}'\n    tier: 1\n`,
      )
      .join("")
  );
}

function problemsOf(text: string): PolicyProblem[] {
  try {
    loadPolicyOrThrow(text, "limits.yaml");
  } catch (error) {
    if (isPassageError(error) && error.code === "PASSAGE_ERR_POLICY_INVALID") {
      return (error.details as { problems: PolicyProblem[] }).problems;
    }
    throw error;
  }
  throw new Error("the policy loaded");
}

/** `depth` nested all() over [0..9]: 10^depth steps. */
function nestedAll(depth: number): string {
  let condition = "order_final";
  for (let level = depth; level >= 1; level--) {
    condition = `[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].all(v${level}, ${condition})`;
  }
  return condition;
}

/** A case with `count` standing convictions. */
function caseWithConvictions(count: number) {
  const base = TWO_POLICY_POPULATION[0]!.caseFacts;
  const conviction: ConvictionFacts = {
    offenseCode: "THEFT",
    offenseLevel: "misdemeanor",
    aggravatedFelony: false,
    date: "2019-04-01",
    sentenceDays: 30,
    disposition: "convicted",
    evidence: [{ feed: "conviction", recordKey: "D-1", version: 1 }],
  };
  return { ...base, convictions: Array.from({ length: count }, () => conviction) };
}

describe("condition limits when a policy loads", () => {
  it("refuses macros nested past the limit, naming the file, line and rule", () => {
    const problems = problemsOf(policyText("order_final", nestedAll(9)));
    expect(problems).toEqual([
      expect.objectContaining({ file: "limits.yaml", ruleId: "r1", field: "rules[1].condition", line: 22 }),
    ]);
    expect(problems[0]!.message).toMatch(/macros are nested more than 3 deep/);
    expect(() =>
      loadPolicyOrThrow(policyText(nestedAll(CONDITION_LIMITS.maxMacroDepth)), "ok.yaml"),
    ).not.toThrow();
  });

  it("counts map and filter as macros, and not a macro over another's result", () => {
    const nestedMaps = "[1, 2].map(a, [1, 2].map(b, [1, 2].map(c, [1, 2].map(d, d)))).size() > 0";
    expect(problemsOf(policyText(nestedMaps))[0]!.message).toMatch(/nested more than 3 deep/);
    const chained =
      "convictions.filter(c, c.severity > 2).map(c, c.days_since).filter(d, d < 90).map(d, d).size() > 0";
    expect(() => loadPolicyOrThrow(policyText(chained), "ok.yaml")).not.toThrow();
  });

  it("refuses a list literal, a condition and an expression nesting past their limits", () => {
    const elements = Array.from({ length: CONDITION_LIMITS.maxListLiteralElements + 1 }, (_, index) => index);
    const [list, long, deep] = problemsOf(
      policyText(
        `conviction_count in [${elements.join(", ")}]`,
        `conviction_count >= 0${" && conviction_count >= 0".repeat(200)}`,
        `conviction_count${" + 1".repeat(CONDITION_LIMITS.maxExpressionDepth)} > 0`,
      ),
    );
    expect(list).toMatchObject({ ruleId: "r0", line: 17 });
    expect(list!.message).toMatch(/the list has 257 elements; the limit is 256/);
    expect(long).toMatchObject({ ruleId: "r1", line: 22 });
    expect(long!.message).toMatch(/characters long; the limit is 4096/);
    expect(deep).toMatchObject({ ruleId: "r2", line: 27 });
    expect(deep!.message).toMatch(/nested more than 64 levels deep/);
  });
});

describe("the evaluation budget", () => {
  it("stops a rule that runs past it on a large case, as a rule error, and evaluates the others", () => {
    const policy = loadPolicyOrThrow(
      policyText(
        "convictions.exists(a, convictions.exists(b, convictions.exists(c, c.date < a.date)))",
        "convictions.all(a, convictions.all(b, convictions.all(c, c.sentence_days > 0))) || true",
        "conviction_count > 100",
      ),
      "budget.yaml",
    );
    const evaluation = evaluatePolicy(policy, caseWithConvictions(300));
    expect(evaluation.ruleErrors).toEqual([
      {
        id: "r0",
        message: expect.stringMatching(/more than 1000000 steps on this case/),
        budgetExceeded: true,
      },
      {
        id: "r1",
        message: expect.stringMatching(/more than 1000000 steps on this case/),
        budgetExceeded: true,
      },
    ]);
    expect(evaluation.decidedBy).toEqual({ kind: "rule", ruleId: "r2" });
  });

  it("lets the same rules run on a case of ordinary size", () => {
    const policy = loadPolicyOrThrow(
      policyText(
        "convictions.exists(a, convictions.exists(b, convictions.exists(c, c.date < a.date)))",
        "convictions.all(a, convictions.all(b, convictions.all(c, c.sentence_days > 0))) || true",
      ),
      "budget.yaml",
    );
    const evaluation = evaluatePolicy(policy, caseWithConvictions(20));
    expect(evaluation.ruleErrors).toEqual([]);
    expect(evaluation.decidedBy).toEqual({ kind: "rule", ruleId: "r1" });
  });

  it("bounds what map() builds and the strings a condition concatenates", () => {
    const policy = loadPolicyOrThrow(
      policyText(
        "convictions.map(a, convictions.map(b, convictions)).size() > 0",
        "convictions.map(a, convictions.map(b, a.date + b.date + a.date + b.date + a.date + b.date)).size() > 0",
      ),
      "budget.yaml",
    );
    const evaluation = evaluatePolicy(policy, caseWithConvictions(300));
    expect(evaluation.ruleErrors.map((error) => error.id)).toEqual(["r0", "r1"]);
  });

  it("gives all the rules of a policy one budget per case: many rules within their own cannot each spend it", () => {
    // Each rule takes some 500,000 steps on this case, within its own budget; 60 of them would
    // take 30 million, some 100 ms to a second per case (the reviewer's 85 such rules held a
    // server for a minute over 190 cases).
    const heavy = "convictions.all(a, convictions.all(b, b.sentence_days > 0 && a.sentence_days > 0))";
    const policy = loadPolicyOrThrow(policyText(...Array.from({ length: 60 }, () => heavy)), "many.yaml");
    const facts = caseWithConvictions(300);
    const evaluation = evaluatePolicy(policy, facts);
    expect(evaluation.decidedBy).toEqual({ kind: "rule", ruleId: "r0" });
    expect(evaluation.ruleErrors.length).toBeGreaterThan(50);
    expect(evaluation.ruleErrors.at(-1)).toEqual({
      id: "r59",
      message: expect.stringMatching(/conditions together took more than 2000000 steps on this case/),
      budgetExceeded: true,
    });
    // The budget is the case's: the next case starts with all of it, and a lone rule keeps its own.
    expect(evaluatePolicy(policy, facts).ruleErrors).toEqual(evaluation.ruleErrors);
    expect(evaluatePolicy(loadPolicyOrThrow(policyText(heavy), "one.yaml"), facts).ruleErrors).toEqual([]);
  });

  it("refuses a policy of more rules than the limit when it loads", () => {
    const problems = problemsOf(
      policyText(...Array.from({ length: CONDITION_LIMITS.maxRules + 1 }, () => "order_final")),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: "limits.yaml",
        field: "rules",
        line: 14,
        message: `the policy has ${CONDITION_LIMITS.maxRules + 1} rules; the limit is ${CONDITION_LIMITS.maxRules}`,
      }),
    ]);
    expect(() =>
      loadPolicyOrThrow(
        policyText(...Array.from({ length: CONDITION_LIMITS.maxRules }, () => "order_final")),
        "ok.yaml",
      ),
    ).not.toThrow();
  });

  it("refuses a policy whose conditions are longer in all than the limit before compiling any", () => {
    // 85 conditions of 2,800 characters took 750 ms to compile, in one synchronous step.
    // Each condition also fails to compile (an unknown variable): refused before compiling, the
    // policy reports the length alone, not 85 compile errors.
    const list = `[${Array.from({ length: 200 }, (_, index) => index).join(", ")}]`;
    const condition = `${list}.all(x, ${list}.all(y, x + y >= 0 && has_order && no_such_fact))`;
    const problems = problemsOf(policyText(...Array.from({ length: 85 }, () => condition)));
    expect(problems).toEqual([
      expect.objectContaining({
        field: "rules",
        message: `the conditions have ${85 * condition.length} characters in all; the limit is 16384`,
      }),
    ]);
  });
});
