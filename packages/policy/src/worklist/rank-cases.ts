import { type ActionableCase, assertAdmittedOrThrow } from "../gates/actionable-case.ts";
import { evaluatePolicy, type PolicyEvaluation } from "../policy/evaluate-policy.ts";
import type { Policy } from "../policy/policy-definition.ts";

/** One actionable case on a worklist, with its tier and the evaluation that explains it. */
export interface WorklistEntry {
  readonly personId: string;
  readonly tier: number;
  readonly tierLabel: string;
  readonly score: number;
  /** The date the order became final: worklists put older cases first within a tier. */
  readonly orderFinalDate: string | null;
  readonly evaluation: PolicyEvaluation;
}

/**
 * Ranks gate-clear cases by a policy: every case in, every case out, each with a tier, sorted by
 * tier, then case age (oldest final order first), then person id. A policy decides the tier only:
 * it cannot drop an actionable case (the output has one entry per input) and cannot add a gated
 * one (the input accepts only cases `admitCase` cleared, checked again here at run time).
 */
export function rankCases(cases: readonly ActionableCase[], policy: Policy): WorklistEntry[] {
  assertAdmittedOrThrow(cases);
  const entries = cases.map((actionable): WorklistEntry => {
    const evaluation = evaluatePolicy(policy, actionable.facts);
    return {
      personId: actionable.personId,
      tier: evaluation.tier,
      tierLabel: evaluation.tierLabel,
      score: evaluation.score,
      orderFinalDate: actionable.facts.order?.finalDate ?? null,
      evaluation,
    };
  });
  return entries.sort(compareWorklistEntries);
}

/** Tier ascending, then oldest final order first (unknown dates last), then person id. */
export function compareWorklistEntries(a: WorklistEntry, b: WorklistEntry): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  if (a.orderFinalDate !== b.orderFinalDate) {
    if (a.orderFinalDate === null) return 1;
    if (b.orderFinalDate === null) return -1;
    return a.orderFinalDate < b.orderFinalDate ? -1 : 1;
  }
  return a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0;
}
