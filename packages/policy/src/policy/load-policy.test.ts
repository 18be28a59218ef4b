import { isPassageError } from "@passage/core";
import { describe, expect, it } from "vitest";
import type { PolicyProblem } from "../policy-errors.ts";
import { decodePolicyFileOrThrow, loadPolicyOrThrow } from "./load-policy.ts";

const HEADER = `id: test-policy
version: "1"
description: A test policy
effective:
  from: 2024-01-01
tiers:
  - tier: 1
    label: First
  - tier: 2
    label: Not a priority
    kind: not_priority
default_tier: 2
`;

function rule(fields: Record<string, string>): string {
  return `  - ${Object.entries(fields)
    .map(([key, value]) => `${key}: ${value}`)
    .join("\n    ")}\n`;
}

const RULE = { id: "r1", description: "d", basis: "b", condition: "order_final", tier: "1" };

function problemsOf(text: string, file = "policy.yaml"): PolicyProblem[] {
  try {
    loadPolicyOrThrow(text, file);
  } catch (error) {
    if (isPassageError(error) && error.code === "PASSAGE_ERR_POLICY_INVALID") {
      return (error.details as { problems: PolicyProblem[] }).problems;
    }
    throw error;
  }
  throw new Error("the policy loaded");
}

describe("loadPolicyOrThrow", () => {
  it("loads a valid policy and compiles its rules", () => {
    const policy = loadPolicyOrThrow(`${HEADER}rules:\n${rule(RULE)}`, "ok.yaml");
    expect(policy.definition.rules.map((entry) => entry.id)).toEqual(["r1"]);
    expect(policy.tierRules).toHaveLength(1);
    expect(policy.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("names the file, line, rule and field of an unknown rule field", () => {
    const problems = problemsOf(`${HEADER}rules:\n${rule({ ...RULE, colour: "red" })}`, "colour.yaml");
    expect(problems).toEqual([
      expect.objectContaining({ file: "colour.yaml", ruleId: "r1", field: "rules[0].colour", line: 19 }),
    ]);
    expect(problems[0]!.message).toMatch(/unknown field "colour"/);
  });

  it("rejects unknown top-level and tier fields", () => {
    const problems = problemsOf(
      `${HEADER}owner: someone\nrules: []\n`.replace("label: First", "label: First\n    color: red"),
    );
    expect(problems.map((problem) => problem.field).sort()).toEqual(["owner", "tiers[0].color"]);
  });

  it("reports a CEL type error in the rule's condition", () => {
    const [problem] = problemsOf(
      `${HEADER}rules:\n${rule({ ...RULE, condition: "'conviction_count > \"2\"'" })}`,
    );
    expect(problem).toMatchObject({ ruleId: "r1", field: "rules[0].condition", line: 17 });
    expect(problem!.message).toMatch(/> cannot apply to int and string/);
  });

  it("reports a CEL syntax error", () => {
    const [problem] = problemsOf(`${HEADER}rules:\n${rule({ ...RULE, condition: "'order_final &&'" })}`);
    expect(problem!.message).toMatch(/syntax error/);
  });

  it("reports a condition that is not bool", () => {
    const [problem] = problemsOf(`${HEADER}rules:\n${rule({ ...RULE, condition: "conviction_count" })}`);
    expect(problem!.message).toMatch(/must be a bool condition, not int/);
  });

  it.each([
    "nationality",
    "country_of_birth",
    "passport_country",
    "sex",
    "family_name",
    "port_of_entry",
    "issuing_post",
  ])("refuses a rule that reads %s", (name) => {
    const [problem] = problemsOf(`${HEADER}rules:\n${rule({ ...RULE, condition: `'${name} == "X"'` })}`);
    expect(problem!.message).toMatch(new RegExp(`'${name}': rules may never read this attribute`));
  });

  it("refuses a name that is simply not on the allowlist", () => {
    const [problem] = problemsOf(`${HEADER}rules:\n${rule({ ...RULE, condition: "favourite_colour" })}`);
    expect(problem!.message).toMatch(/not on the allowlist of case facts/);
  });

  it("lets age only mitigate", () => {
    const aggravating = {
      id: "r1",
      description: "d",
      basis: "b",
      condition: "age_years > 20",
      weight: "1",
      factor: "aggravating",
    };
    expect(problemsOf(`${HEADER}rules:\n${rule(aggravating)}`)[0]!.message).toMatch(
      /only by a mitigating factor/,
    );
    expect(
      problemsOf(`${HEADER}rules:\n${rule({ ...RULE, condition: "age_years < 18" })}`)[0]!.message,
    ).toMatch(/only by a mitigating factor/);
    expect(() =>
      loadPolicyOrThrow(`${HEADER}rules:\n${rule({ ...aggravating, factor: "mitigating" })}`, "f"),
    ).not.toThrow();
  });

  it("keeps the score out of weight rules", () => {
    const weight = {
      id: "r1",
      description: "d",
      basis: "b",
      condition: "score > 1",
      weight: "1",
      factor: "aggravating",
    };
    expect(problemsOf(`${HEADER}rules:\n${rule(weight)}`)[0]!.message).toMatch(/only by tier rules/);
  });

  it("checks effects: one of tier or weight, declared tiers, a factor with a positive weight", () => {
    const both = problemsOf(`${HEADER}rules:\n${rule({ ...RULE, weight: "2" })}`);
    expect(both[0]!.message).toMatch(/exactly one of tier or weight/);
    const undeclared = problemsOf(`${HEADER}rules:\n${rule({ ...RULE, tier: "7" })}`);
    expect(undeclared[0]!.message).toMatch(/tier 7 is not declared/);
    const noFactor = problemsOf(
      `${HEADER}rules:\n${rule({ id: "r1", description: "d", basis: "b", condition: "order_final", weight: "2" })}`,
    );
    expect(noFactor[0]!.message).toMatch(/needs factor/);
    const negative = problemsOf(
      `${HEADER}rules:\n${rule({ id: "r1", description: "d", basis: "b", condition: "order_final", weight: "-2", factor: "mitigating" })}`,
    );
    expect(negative[0]!.message).toMatch(/positive number/);
  });

  it("requires id, description, basis and condition, and unique rule ids", () => {
    const problems = problemsOf(`${HEADER}rules:\n${rule({ id: "r1", tier: "1" })}${rule(RULE)}`);
    expect(problems.map((problem) => problem.field)).toEqual([
      "rules[0].description",
      "rules[0].basis",
      "rules[0].condition",
      "rules[1].id",
    ]);
    expect(problems[3]!.message).toMatch(/used twice/);
  });

  it("checks the header: dates, default tier, version", () => {
    const text = `${HEADER}rules: []\n`
      .replace("from: 2024-01-01", "from: 2024-01-01\n  to: 2023-01-01")
      .replace("default_tier: 2", "default_tier: 9")
      .replace('version: "1"', "version: 1.5");
    const problems = problemsOf(text);
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      "default_tier",
      "effective.to",
      "version",
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    const [problem] = problemsOf(`${HEADER}rules:\n  - id: [unclosed\n`);
    expect(problem!.field).toBe("(yaml)");
    expect(problem!.line).toBeGreaterThan(0);
  });

  it("reports aliases that expand past the limit (billion laughs) as a problem of the file", () => {
    const bomb = [
      'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
      ...["b", "c", "d", "e", "f", "g", "h", "i"].map(
        (name, index) => `${name}: &${name} [${Array(9).fill(`*${"abcdefgh"[index]}`).join(", ")}]`,
      ),
      "",
    ].join("\n");
    const problems = problemsOf(bomb, "bomb.yaml");
    expect(problems).toEqual([expect.objectContaining({ file: "bomb.yaml", field: "(yaml)", line: 2 })]);
    expect(problems[0]!.message).toMatch(/Excessive alias count/);
  });

  it("prints every problem in the error message", () => {
    expect(() => loadPolicyOrThrow(`${HEADER}rules:\n${rule({ ...RULE, colour: "red" })}`, "p.yaml")).toThrow(
      /p\.yaml: 1 problem:\n {2}- p\.yaml:19: rule "r1": rules\[0\]\.colour: unknown field/,
    );
  });

  it("refuses a rule that reads no fact of the case, which would place every case alike citing nothing", () => {
    for (const condition of ['"1 == 1"', '"as_of > \\"2000-01-01\\""']) {
      expect(problemsOf(`${HEADER}rules:\n${rule({ ...RULE, condition })}`)).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/reads no fact of the case/),
        }),
      ]);
    }
    expect(() =>
      loadPolicyOrThrow(`${HEADER}rules:\n${rule({ ...RULE, condition: "score >= 3" })}`, "p"),
    ).not.toThrow();
  });

  it("refuses control characters in the text, escaped or raw, naming line and field (PostgreSQL cannot store NUL)", () => {
    const escaped = problemsOf(`${HEADER}rules: []\n`.replace("A test policy", '"A test\\0policy"'));
    expect(escaped).toEqual([
      expect.objectContaining({ field: "description", line: 3, message: expect.stringMatching(/U\+0000/) }),
    ]);
    const inRule = problemsOf(`${HEADER}rules:\n${rule({ ...RULE, description: '"d\\u0007e"' })}`);
    expect(inRule).toEqual([
      expect.objectContaining({ field: "rules[0].description", ruleId: "r1", line: 15 }),
    ]);
    expect(inRule[0]!.message).toMatch(/U\+0007/);
    const surrogate = problemsOf(`${HEADER}rules: []\n`.replace("label: First", 'label: "F\\ud800"'));
    expect(surrogate).toEqual([
      expect.objectContaining({
        field: "tiers[0].label",
        message: expect.stringMatching(/surrogate U\+D800/),
      }),
    ]);
    const raw = problemsOf(`${HEADER}# a comment\u0000\nrules: []\n`);
    expect(raw).toEqual([expect.objectContaining({ field: "(file)", line: 13 })]);
    expect(raw[0]!.message).toMatch(/U\+0000/);
    // Tabs and line breaks stay allowed.
    expect(() =>
      loadPolicyOrThrow(`${HEADER}rules: []\n`.replace("A test policy", '"A\\ttest\\r\\npolicy"'), "p"),
    ).not.toThrow();
  });

  it("refuses a version YAML reads as a number, whole or not", () => {
    for (const version of ["2.0", "2", "1.10"]) {
      const problems = problemsOf(`${HEADER}rules: []\n`.replace('version: "1"', `version: ${version}`));
      expect(problems).toEqual([
        expect.objectContaining({
          field: "version",
          line: 2,
          message: expect.stringMatching(/quoted string/),
        }),
      ]);
    }
  });

  it("names the line of the tier or rule a required field is missing from", () => {
    const problems = problemsOf(
      `${HEADER}rules:\n${rule({ id: "r1", description: "d", tier: "1" })}`.replace(
        "  - tier: 2\n    label: Not a priority\n",
        "  - tier: 2\n",
      ),
    );
    expect(problems.map(({ field, line }) => ({ field, line }))).toEqual([
      { field: "tiers[1].label", line: 9 },
      { field: "default_tier", line: 11 },
      { field: "rules[0].basis", line: 13 },
      { field: "rules[0].condition", line: 13 },
    ]);
  });

  it("refuses a file that is not UTF-8, naming the byte offset and line", () => {
    const latin1 = Buffer.from(`${HEADER}rules: []\n`.replace("A test policy", "Caf\u00e9 policy"), "latin1");
    let problem: PolicyProblem | undefined;
    try {
      decodePolicyFileOrThrow(latin1, "latin1.yaml");
    } catch (error) {
      if (!isPassageError(error)) throw error;
      problem = (error.details as { problems: PolicyProblem[] }).problems[0];
    }
    expect(problem).toEqual(expect.objectContaining({ file: "latin1.yaml", field: "(file)", line: 3 }));
    expect(problem!.message).toMatch(/not valid UTF-8: byte 0xe9 at byte offset 45/);
    const utf8 = Buffer.from(`\ufeff${HEADER}rules: []\n`.replace("A test policy", "Caf\u00e9 \u{1F600}"));
    expect(decodePolicyFileOrThrow(utf8, "ok.yaml")).toBe(utf8.toString("utf8"));
  });

  it("says a document nested past the parser's stack is nested too deep, once, however much stack is left", () => {
    const deep = `${HEADER}rules: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`;
    const expected = [
      expect.objectContaining({
        field: "(yaml)",
        line: 13,
        message: expect.stringMatching(/^the YAML is nested too deep/),
      }),
    ];
    expect(problemsOf(deep)).toEqual(expected);
    // With less stack left (a server's request handler), the same single problem.
    const withStackUsed = (depth: number): PolicyProblem[] =>
      depth === 0 ? problemsOf(deep) : withStackUsed(depth - 1);
    expect(withStackUsed(3_000)).toEqual(expected);
  });

  it("refuses a weight that could overflow the score, naming the file, line, rule and field", () => {
    const huge = (id: string, factor: string) =>
      rule({ id, description: "d", basis: "b", condition: "order_final", weight: "1.7e308", factor });
    const problems = problemsOf(
      `${HEADER}rules:\n${huge("up", "aggravating")}${huge("down", "mitigating")}${rule({ ...RULE, id: "t1", condition: "score > 10.0" })}`,
      "inf.yaml",
    );
    expect(problems).toEqual([
      expect.objectContaining({ file: "inf.yaml", ruleId: "up", field: "rules[0].weight", line: 18 }),
      expect.objectContaining({ file: "inf.yaml", ruleId: "down", field: "rules[1].weight", line: 24 }),
    ]);
    expect(problems[0]!.message).toMatch(/weight 1\.7e\+308 is above 1000000, the largest a rule may carry/);
    // The bound itself is a weight a rule may carry.
    const bound = rule({
      id: "r",
      description: "d",
      basis: "b",
      condition: "order_final",
      weight: "1000000",
      factor: "aggravating",
    });
    expect(loadPolicyOrThrow(`${HEADER}rules:\n${bound}`, "ok.yaml").weightRules).toHaveLength(1);
  });

  it("refuses a tier above 1000, which the worklist's tier filter and overrides do not accept", () => {
    const problems = problemsOf(
      `${HEADER.replace("default_tier: 2", "default_tier: 1001").replace("  - tier: 2", "  - tier: 1001")}rules:\n${rule({ ...RULE, tier: "1001" })}`,
      "high.yaml",
    );
    expect(problems.map((problem) => problem.field)).toEqual([
      "tiers[1].tier",
      "default_tier",
      "rules[0].tier",
    ]);
    expect(problems[0]).toEqual(expect.objectContaining({ file: "high.yaml", line: 9 }));
    expect(problems[0]!.message).toMatch(
      /tier 1001 is above 1000, the highest tier the worklist's tier filter and overrides accept/,
    );
    expect(problems[2]).toEqual(expect.objectContaining({ ruleId: "r1" }));
  });

  it("ends a YAML error's message with its column, not a dangling colon", () => {
    const problems = problemsOf(`${HEADER}rules:\n  - id: [unclosed\n`);
    for (const problem of problems) expect(problem.message).not.toMatch(/:\s*$/);
  });
});
