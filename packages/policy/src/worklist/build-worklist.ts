import type { CaseFacts } from "../case-facts.ts";
import type { GateInput } from "../gate-input.ts";
import { type ActionableCase, admitCase } from "../gates/actionable-case.ts";
import type { GateEvaluation } from "../gates/evaluate-gates.ts";
import type { Policy } from "../policy/policy-definition.ts";
import { PolicyErrors } from "../policy-errors.ts";
import { CASE_EXPLANATION_SCHEMA, type CaseExplanation } from "./case-explanation.ts";
import { rankCases, type WorklistEntry } from "./rank-cases.ts";

/** One person as the engine hands it over: what the gates read and what rules read. */
export interface WorklistCandidate {
  readonly gateInput: GateInput;
  readonly caseFacts: CaseFacts;
}

/** A worklist entry with the explanation stored beside it. */
export interface ExplainedWorklistEntry extends WorklistEntry {
  readonly explanation: CaseExplanation;
}

export interface Worklist {
  readonly policy: { readonly id: string; readonly version: string; readonly digest: string };
  /** Every gate-clear case, ranked. */
  readonly entries: readonly ExplainedWorklistEntry[];
  /** Every gated case with the gates considered: on no worklist, whatever the policy. */
  readonly gated: readonly CaseExplanation[];
}

/**
 * Gates first, then the policy: the whole path from candidates to a ranked worklist. The engine
 * calls this with every person whose status it derived; filtering by tier or paging is a view
 * over `entries`, never a policy decision.
 */
export function buildWorklist(candidates: readonly WorklistCandidate[], policy: Policy): Worklist {
  const actionable: ActionableCase[] = [];
  const inputsByPerson = new Map<string, WorklistCandidate>();
  const gatesByPerson = new Map<string, GateEvaluation>();
  const gated: CaseExplanation[] = [];
  const policyReference = {
    id: policy.definition.id,
    version: policy.definition.version,
    digest: policy.digest,
  };
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const personId = candidate.gateInput.personId;
    if (seen.has(personId)) throw PolicyErrors.invalidGateInput.create(personId, "the person appears twice");
    seen.add(personId);
    const admission = admitCase(candidate.gateInput, candidate.caseFacts);
    if (admission.actionable) {
      actionable.push(admission.case);
      inputsByPerson.set(candidate.gateInput.personId, candidate);
      gatesByPerson.set(candidate.gateInput.personId, admission.gates);
      continue;
    }
    gated.push({
      schema: CASE_EXPLANATION_SCHEMA,
      personId: candidate.gateInput.personId,
      asOf: candidate.gateInput.asOf,
      actionable: false,
      gates: admission.gates,
      policy: policyReference,
      evaluation: null,
      tier: null,
      inputs: { gateInput: candidate.gateInput, caseFacts: candidate.caseFacts },
    });
  }
  const entries = rankCases(actionable, policy).map((entry): ExplainedWorklistEntry => {
    const inputs = inputsByPerson.get(entry.personId)!;
    return {
      ...entry,
      explanation: {
        schema: CASE_EXPLANATION_SCHEMA,
        personId: entry.personId,
        asOf: inputs.gateInput.asOf,
        actionable: true,
        gates: gatesByPerson.get(entry.personId)!,
        policy: policyReference,
        evaluation: entry.evaluation,
        tier: entry.tier,
        inputs: { gateInput: inputs.gateInput, caseFacts: inputs.caseFacts },
      },
    };
  });
  return { policy: policyReference, entries, gated };
}
