import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ConvictionFacts } from "../case-facts.ts";
import { TWO_POLICY_POPULATION } from "../fixtures/two-policy-population.ts";
import { type ActionableCase, admitCase } from "../gates/actionable-case.ts";
import { addCasesYielding, createDryRun, dryRun } from "./dry-run.ts";
import { evaluatePolicy } from "./evaluate-policy.ts";
import { loadPolicyOrThrow } from "./load-policy.ts";

const POSTURE = loadPolicyOrThrow(
  readFileSync(new URL("../../policies/posture-2025.yaml", import.meta.url), "utf8"),
  "posture-2025.yaml",
);

const THROWING = loadPolicyOrThrow(
  `id: throwing
version: "1"
description: Rules that raise errors on some cases
effective:
  from: 2020-01-01
tiers:
  - tier: 1
    label: A
  - tier: 2
    label: B
default_tier: 2
rules:
  - id: per-conviction
    description: divides by the number of convictions
    basis: test
    condition: 100 / conviction_count > 10
    tier: 1
  - id: heavy
    description: every pair of convictions, three deep
    basis: test
    condition: convictions.all(a, convictions.all(b, convictions.all(c, c.sentence_days > 0)))
    tier: 1
`,
  "throwing.yaml",
);

function admitted(): ActionableCase[] {
  return TWO_POLICY_POPULATION.map((person) => admitCase(person.gateInput, person.caseFacts))
    .filter((admission) => admission.actionable)
    .map((admission) => (admission as { case: ActionableCase }).case);
}

describe("dryRun", () => {
  it("counts, per rule, the cases it raised an error on and those where it ran out of budget", () => {
    const cases = admitted();
    // The cases without a standing conviction (conviction_count 0), as the policy evaluates them.
    const withoutConvictions = cases.filter((actionable) =>
      evaluatePolicy(THROWING, actionable.facts).ruleErrors.some((error) => error.id === "per-conviction"),
    );
    expect(withoutConvictions.length).toBeGreaterThan(0);
    // One case with 300 convictions: three nested macros over them exceed the budget.
    const large = cases.find((actionable) => actionable.facts.convictions.length > 0)!;
    const conviction: ConvictionFacts = large.facts.convictions[0]!;
    const person = TWO_POLICY_POPULATION.find((entry) => entry.caseFacts.personId === large.personId)!;
    const admission = admitCase(person.gateInput, {
      ...person.caseFacts,
      convictions: Array.from({ length: 300 }, () => conviction),
    });
    if (!admission.actionable) throw new Error("the large case is not actionable");
    const population = [...cases.filter((actionable) => actionable !== large), admission.case];

    const result = dryRun(POSTURE, THROWING, population);
    expect(result.ruleErrors).toEqual([
      {
        policy: "to",
        ruleId: "heavy",
        cases: 1,
        budgetExceeded: 1,
        message: expect.stringMatching(/steps on this case/),
      },
      {
        policy: "to",
        ruleId: "per-conviction",
        cases: withoutConvictions.length,
        budgetExceeded: 0,
        message: expect.stringMatching(/division by zero/),
      },
    ]);
    // A policy that raises nothing reports nothing.
    expect(dryRun(POSTURE, POSTURE, cases).ruleErrors).toEqual([]);
  });

  it("lets the event loop run between slices of a long dry run", async () => {
    const cases = admitted().slice(0, 20);
    const run = createDryRun(POSTURE, THROWING);
    let turns = 0;
    let done = false;
    const turn = () => {
      turns++;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    // A slice of 0 ms ends after every case, so the loop turns once a case at least: no clock
    // reading in the assertion (it related turns to elapsed time and failed on a loaded machine).
    await addCasesYielding(run, cases, 0);
    done = true;
    expect(cases.length).toBeGreaterThan(2);
    expect(run.result().cases).toBe(cases.length);
    expect(turns).toBeGreaterThanOrEqual(cases.length - 1);
  });
});
