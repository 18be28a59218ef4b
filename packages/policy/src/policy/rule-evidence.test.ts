import { readFileSync } from "node:fs";
import type { RecordCitation } from "@passage/core";
import { describe, expect, it } from "vitest";
import type { CaseFacts, ConvictionFacts } from "../case-facts.ts";
import { TWO_POLICY_POPULATION } from "../fixtures/two-policy-population.ts";
import { CASE_EXPLANATION_SCHEMA, explainCase, replayExplanation } from "../worklist/case-explanation.ts";
import { evaluatePolicy } from "./evaluate-policy.ts";
import { loadPolicyOrThrow } from "./load-policy.ts";

const POSTURE = loadPolicyOrThrow(
  readFileSync(new URL("../../policies/posture-2025.yaml", import.meta.url), "utf8"),
  "posture-2025.yaml",
);

const cite = (recordKey: string): RecordCitation => ({ feed: "conviction", recordKey, version: 1 });

function conviction(offenseCode: string, aggravatedFelony: boolean, key: string): ConvictionFacts {
  return {
    offenseCode,
    offenseLevel: "felony",
    aggravatedFelony,
    disposition: "convicted",
    date: "2019-05-01",
    sentenceDays: 365,
    evidence: [cite(key)],
  };
}

const BASE: CaseFacts = {
  personId: "p-evidence",
  asOf: "2026-01-15",
  order: {
    type: "removal",
    date: "2020-01-01",
    final: true,
    finalDate: "2020-02-01",
    inAbsentia: false,
    evidence: [{ feed: "court", recordKey: "order-1", version: 1 }],
  },
  voluntaryDeparture: null,
  convictions: [
    conviction("OTHER", false, "other"),
    conviction("SEX_ASSAULT", true, "sex-assault"),
    conviction("DRUG_POSSESSION", false, "drug-possession"),
  ],
  entry: null,
  encounters: [],
  dateOfBirth: null,
  benefits: [],
  stays: [],
  policyBlockers: [],
  nationalSecurityConcern: null,
};

const keysOf = (evaluation: ReturnType<typeof evaluatePolicy>) =>
  Object.fromEntries(
    evaluation.firedRules.map((rule) => [rule.id, rule.evidence.map((citation) => citation.recordKey)]),
  );

const HEADER = `id: evidence-test
version: "1"
description: Which records a rule cites
effective:
  from: 2020-01-01
tiers:
  - tier: 1
    label: First
  - tier: 2
    label: Second
default_tier: 2
rules:
`;

const policyOf = (...rules: string[]) =>
  loadPolicyOrThrow(
    HEADER +
      rules.map((rule, index) => `  - id: r${index}\n    description: d\n    basis: b\n${rule}\n`).join(""),
    "evidence-test.yaml",
  );

describe("a fired rule cites the records it needs", () => {
  it("cites, of a list, the records that satisfy the rule (the review's three convictions)", () => {
    expect(keysOf(evaluatePolicy(POSTURE, BASE))).toEqual({
      "aggravated-felony": ["sex-assault"],
      "laken-riley-offense": ["sex-assault"],
      "serious-criminal-conduct": ["sex-assault"],
      // Any standing conviction: each is enough alone.
      "criminal-history": ["other", "sex-assault", "drug-possession"],
    });
    // As explanations of schema 1 were made: every record of the group.
    expect(keysOf(evaluatePolicy(POSTURE, BASE, { evidence: "groups" }))["aggravated-felony"]).toEqual([
      "other",
      "sex-assault",
      "drug-possession",
    ]);
  });

  it("cites every record that satisfies an exists, and none when other facts make the rule fire", () => {
    const two = { ...BASE, convictions: [...BASE.convictions, conviction("HOMICIDE", true, "homicide")] };
    const policy = policyOf(
      "    condition: convictions.exists(c, c.aggravated_felony)\n    tier: 1",
      "    condition: order_final || convictions.exists(c, c.aggravated_felony)\n    tier: 1",
    );
    expect(keysOf(evaluatePolicy(policy, two))).toEqual({
      r0: ["sex-assault", "homicide"],
      r1: ["order-1"],
    });
  });

  it("cites a set of records that reaches a count, the whole list only when each is needed", () => {
    const policy = policyOf(
      "    condition: conviction_count >= 2\n    tier: 1",
      "    condition: conviction_count == 3\n    tier: 1",
      "    condition: convictions.filter(c, !c.aggravated_felony).size() >= 2\n    tier: 1",
    );
    expect(keysOf(evaluatePolicy(policy, BASE))).toEqual({
      // Any two would do: the earliest two are cited, each needed beside the other.
      r0: ["other", "sex-assault"],
      r1: ["other", "sex-assault", "drug-possession"],
      r2: ["other", "drug-possession"],
    });
  });

  it("treats a narrowing on which the condition raises an error as one on which it does not fire", () => {
    // The second conviction is the aggravated felony; the first is needed to make it the second.
    const policy = policyOf("    condition: convictions[1].aggravated_felony\n    tier: 1");
    expect(keysOf(evaluatePolicy(policy, BASE)).r0).toEqual(["other", "sex-assault"]);
  });

  it("cites a list of more than 64 records whole rather than re-evaluate the rule per record", () => {
    const many = {
      ...BASE,
      convictions: Array.from({ length: 65 }, (_, index) => conviction("OTHER", index === 3, `c${index}`)),
    };
    expect(keysOf(evaluatePolicy(POSTURE, many))["aggravated-felony"]).toHaveLength(65);
    const some = { ...many, convictions: many.convictions.slice(0, 64) };
    expect(keysOf(evaluatePolicy(POSTURE, some))["aggravated-felony"]).toEqual(["c3"]);
  });

  it("a tier rule reading the score cites the records of the weights behind it", () => {
    const policy = policyOf(
      "    condition: convictions.exists(c, c.severity >= 5)\n    factor: aggravating\n    weight: 10",
      "    condition: score >= 10.0\n    tier: 1",
    );
    expect(keysOf(evaluatePolicy(policy, BASE))).toEqual({ r0: ["sex-assault"], r1: ["sex-assault"] });
  });

  it("replays a stored explanation of schema 1 with its own evidence, and a new one with its own", () => {
    const person = TWO_POLICY_POPULATION.find((entry) => entry.expected["posture-2025"] !== null)!;
    const gateInput = person.gateInput;
    const current = explainCase(gateInput, BASE_FOR(gateInput.personId, gateInput.asOf), POSTURE);
    expect(current.schema).toBe(CASE_EXPLANATION_SCHEMA);
    expect(keysOf(current.evaluation!)["aggravated-felony"]).toEqual(["sex-assault"]);
    expect(replayExplanation(current, POSTURE).identical).toBe(true);
    // An explanation stored before records were attributed: schema 1, every record of the group.
    const stored = JSON.parse(
      JSON.stringify({
        ...current,
        schema: "passage.case-explanation/1",
        evaluation: evaluatePolicy(POSTURE, current.inputs.caseFacts, { evidence: "groups" }),
      }),
    );
    const replay = replayExplanation(stored, POSTURE);
    expect(replay).toMatchObject({ identical: true, differences: [] });
    expect(replay.replayed.schema).toBe("passage.case-explanation/1");
  });
});

/** BASE for a person and date the fixture's gates admit. */
function BASE_FOR(personId: string, asOf: string): CaseFacts {
  return { ...BASE, personId, asOf };
}
