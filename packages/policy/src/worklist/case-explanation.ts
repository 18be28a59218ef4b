import type { CaseFacts } from "../case-facts.ts";
import type { GateInput } from "../gate-input.ts";
import { admitCase } from "../gates/actionable-case.ts";
import type { GateEvaluation } from "../gates/evaluate-gates.ts";
import { type EvidenceMode, evaluatePolicy, type PolicyEvaluation } from "../policy/evaluate-policy.ts";
import type { Policy } from "../policy/policy-definition.ts";
import { PolicyErrors } from "../policy-errors.ts";

/**
 * Version of the explanation record, stored with it. Version 2 cites, of a list of records a rule
 * reads, only those it needs to fire (evidence mode `records`); version 1 cited every record of
 * every group the rule read. A stored version 1 still reads and replays, with its own evidence.
 */
export const CASE_EXPLANATION_SCHEMA = "passage.case-explanation/2";
export const CASE_EXPLANATION_SCHEMAS = ["passage.case-explanation/1", CASE_EXPLANATION_SCHEMA] as const;
export type CaseExplanationSchema = (typeof CASE_EXPLANATION_SCHEMAS)[number];

const EVIDENCE_MODE_OF_SCHEMA: Readonly<Record<CaseExplanationSchema, EvidenceMode>> = {
  "passage.case-explanation/1": "groups",
  "passage.case-explanation/2": "records",
};

/**
 * Why a case stands where it does: every gate considered with its result and evidence, the
 * rules that fired with their evidence, the policy id, version and content digest, the tier, and
 * the inputs themselves. Serialisable as JSON; enough to replay the ranking exactly later.
 */
export interface CaseExplanation {
  readonly schema: CaseExplanationSchema;
  readonly personId: string;
  readonly asOf: string;
  readonly actionable: boolean;
  readonly gates: GateEvaluation;
  readonly policy: { readonly id: string; readonly version: string; readonly digest: string };
  /** Null when a gate holds: a gated case is never ranked. */
  readonly evaluation: PolicyEvaluation | null;
  readonly tier: number | null;
  readonly inputs: { readonly gateInput: GateInput; readonly caseFacts: CaseFacts };
}

/** Gates first; then, only for a gate-clear case, the policy. `schema` is the current one but in a replay. */
export function explainCase(
  gateInput: GateInput,
  caseFacts: CaseFacts,
  policy: Policy,
  schema: CaseExplanationSchema = CASE_EXPLANATION_SCHEMA,
): CaseExplanation {
  const admission = admitCase(gateInput, caseFacts);
  const evaluation = admission.actionable
    ? evaluatePolicy(policy, caseFacts, { evidence: EVIDENCE_MODE_OF_SCHEMA[schema] })
    : null;
  return {
    schema,
    personId: gateInput.personId,
    asOf: gateInput.asOf,
    actionable: admission.actionable,
    gates: admission.gates,
    policy: { id: policy.definition.id, version: policy.definition.version, digest: policy.digest },
    evaluation,
    tier: evaluation?.tier ?? null,
    inputs: { gateInput, caseFacts },
  };
}

/** The outcome of replaying a stored explanation. */
export interface ReplayResult {
  readonly identical: boolean;
  /** Top-level fields whose recomputed value differs from the stored one. */
  readonly differences: readonly string[];
  readonly replayed: CaseExplanation;
}

/**
 * Recomputes a stored explanation from its own inputs with the policy it names. Refuses a
 * policy whose id, version or content digest differs: a replay with another policy is not one.
 */
export function replayExplanation(stored: CaseExplanation, policy: Policy): ReplayResult {
  if (!(CASE_EXPLANATION_SCHEMAS as readonly string[]).includes(stored.schema)) {
    throw PolicyErrors.replayMismatch.create(`unknown explanation schema ${String(stored.schema)}`);
  }
  const wanted = stored.policy;
  if (wanted.id !== policy.definition.id || wanted.version !== policy.definition.version) {
    throw PolicyErrors.replayMismatch.create(
      `it was made with policy ${wanted.id} ${wanted.version}, not ${policy.definition.id} ${policy.definition.version}`,
    );
  }
  if (wanted.digest !== policy.digest) {
    throw PolicyErrors.replayMismatch.create(
      `policy ${wanted.id} ${wanted.version} has different content now (digest ${policy.digest.slice(0, 12)}, stored ${wanted.digest.slice(0, 12)})`,
    );
  }
  // Replayed as it was made: a version 1 explanation with the evidence of version 1.
  const gateInput = storedGateInputOf(stored.inputs.gateInput);
  const explained = explainCase(gateInput, stored.inputs.caseFacts, policy, stored.schema);
  // Its inputs are the stored ones, not the lists read as empty.
  const replayed =
    gateInput === stored.inputs.gateInput ? explained : { ...explained, inputs: stored.inputs };
  const differences = (Object.keys(replayed) as (keyof CaseExplanation)[]).filter(
    (key) => canonicalJson(replayed[key]) !== canonicalJson(stored[key]),
  );
  return { identical: differences.length === 0, differences, replayed };
}

/**
 * A stored explanation's gate input as the gates read it now. The lists the gate input gained
 * after it was stored (`identity.unlinkedRecords`, `identity.outdatedMustLinks`, 25 Nov 2026) are
 * empty: no gate read such records then, so none held for them. Every explanation stored before
 * them failed to replay (PASSAGE_ERR_POLICY_GATE_INPUT_INVALID): the worklist's "why" and a
 * person's priority history, after an upgrade.
 */
function storedGateInputOf(input: GateInput): GateInput {
  const identity = input?.identity as Partial<GateInput["identity"]> | undefined;
  if (identity === undefined || identity === null) return input;
  if (identity.unlinkedRecords !== undefined && identity.outdatedMustLinks !== undefined) return input;
  return {
    ...input,
    identity: {
      ...identity,
      unlinkedRecords: identity.unlinkedRecords ?? [],
      outdatedMustLinks: identity.outdatedMustLinks ?? [],
    } as GateInput["identity"],
  };
}

/**
 * JSON with object keys sorted: a stored explanation may come back with its keys reordered
 * (PostgreSQL jsonb sorts them), which is no difference in content.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}
