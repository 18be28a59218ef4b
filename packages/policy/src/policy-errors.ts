import { defineError, registerErrors } from "@passage/core";

/** One problem found while loading a policy file: where it is and what is wrong. */
export interface PolicyProblem {
  readonly file: string;
  /** The rule the problem is in, when it is in a rule. */
  readonly ruleId?: string;
  /** The field, as a path from the top of the document (e.g. `rules[3].condition`). */
  readonly field: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
  readonly message: string;
}

/** `file:line: rule "id": field: message`, the printed form of a problem. */
function formatPolicyProblem(problem: PolicyProblem): string {
  const place = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const rule = problem.ruleId === undefined ? "" : ` rule "${problem.ruleId}":`;
  return `${place}:${rule} ${problem.field}: ${problem.message}`;
}

/** Errors raised by the policy package: policy files, gate inputs and worklist invariants. */
export const PolicyErrors = {
  invalidPolicy: defineError(
    "PASSAGE_ERR_POLICY_INVALID",
    "invalid_input",
    "A policy file failed load-time validation (unknown field, CEL syntax or type error, a fact outside the allowlist)",
    (file: string, problems: readonly PolicyProblem[]) => ({
      message:
        `${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
        problems.map((problem) => `  - ${formatPolicyProblem(problem)}`).join("\n"),
      details: { file, problems },
    }),
  ),
  invalidGateInput: defineError(
    "PASSAGE_ERR_POLICY_GATE_INPUT_INVALID",
    "invalid_input",
    "A gate input is incomplete or malformed; gates fail closed rather than guess",
    (personId: string, what: string) => ({
      message: `gate input for person ${personId}: ${what}`,
      details: { personId },
    }),
  ),
  invalidCaseFacts: defineError(
    "PASSAGE_ERR_POLICY_CASE_FACTS_INVALID",
    "invalid_input",
    "Case facts are malformed (a date not YYYY-MM-DD, a missing list)",
    (personId: string, what: string) => ({
      message: `case facts for person ${personId}: ${what}`,
      details: { personId },
    }),
  ),
  personMismatch: defineError(
    "PASSAGE_ERR_POLICY_PERSON_MISMATCH",
    "invalid_input",
    "Case facts and gate input name different persons",
    (factsPerson: string, gatePerson: string) =>
      `case facts are for person ${factsPerson} but the gate input is for person ${gatePerson}`,
  ),
  gatedCaseRanked: defineError(
    "PASSAGE_ERR_POLICY_GATED_CASE",
    "refused",
    "A case that was not admitted through the gates was handed to ranking; gated cases are never ranked",
    (personId: string) =>
      `person ${personId} was not admitted through evaluateGates as gate-clear and cannot be ranked`,
  ),
  replayMismatch: defineError(
    "PASSAGE_ERR_POLICY_REPLAY_MISMATCH",
    "conflict",
    "An explanation cannot be replayed with the policy given (different policy or digest)",
    (what: string) => `cannot replay the explanation: ${what}`,
  ),
};
registerErrors("@passage/policy", PolicyErrors);
