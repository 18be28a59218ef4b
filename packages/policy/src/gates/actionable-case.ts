import type { CaseFacts } from "../case-facts.ts";
import type { GateInput } from "../gate-input.ts";
import { PolicyErrors } from "../policy-errors.ts";
import { evaluateGates, type GateEvaluation } from "./evaluate-gates.ts";

declare const actionableBrand: unique symbol;

/**
 * A case that every gate cleared. Only `admitCase` makes one: the brand cannot be written by
 * hand, and `isAdmitted` also checks at run time that the object came from `admitCase`, so a
 * gated case cannot reach a worklist, a policy ranking or a dry run by any path.
 */
export interface ActionableCase {
  readonly [actionableBrand]: true;
  readonly personId: string;
  readonly facts: CaseFacts;
  readonly gates: GateEvaluation;
}

/** The outcome of passing one case through the gates. */
export type Admission =
  | { readonly actionable: true; readonly case: ActionableCase; readonly gates: GateEvaluation }
  | { readonly actionable: false; readonly gates: GateEvaluation };

/**
 * The only maker of actionable cases. Its private field is the brand: no code outside this
 * class can give an object the field (not a copy, a spread or `Object.create` of the
 * prototype), and checking it is a plain property test rather than a WeakSet lookup, whose
 * weak entries cost the garbage collector a million times a run.
 */
class AdmittedCase {
  readonly #admitted = true;

  constructor(
    readonly personId: string,
    readonly facts: CaseFacts,
    readonly gates: GateEvaluation,
  ) {
    Object.freeze(this);
  }

  static is(candidate: object): boolean {
    return #admitted in candidate;
  }
}

/** Evaluates the gates for one case; returns an ActionableCase only when no gate holds. */
export function admitCase(gateInput: GateInput, facts: CaseFacts): Admission {
  if (facts.personId !== gateInput.personId) {
    throw PolicyErrors.personMismatch.create(facts.personId, gateInput.personId);
  }
  const gates = evaluateGates(gateInput);
  if (!gates.clear) return { actionable: false, gates };
  const actionableCase = new AdmittedCase(facts.personId, facts, gates) as unknown as ActionableCase;
  return { actionable: true, case: actionableCase, gates };
}

/** True only for an object `admitCase` returned as gate-clear. */
export function isAdmitted(candidate: unknown): candidate is ActionableCase {
  return typeof candidate === "object" && candidate !== null && AdmittedCase.is(candidate);
}

/** Throws unless every case came from `admitCase` as gate-clear. */
export function assertAdmittedOrThrow(cases: readonly ActionableCase[]): void {
  for (const candidate of cases) {
    if (!isAdmitted(candidate) || !candidate.gates.clear) {
      const personId = (candidate as { personId?: unknown })?.personId;
      throw PolicyErrors.gatedCaseRanked.create(typeof personId === "string" ? personId : "(unknown)");
    }
  }
}
