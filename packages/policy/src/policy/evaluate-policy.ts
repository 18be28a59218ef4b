import type { RecordCitation } from "@passage/core";
import { assertCaseFactsOrThrow, type CaseFacts } from "../case-facts.ts";
import { bindCaseFacts, evidenceOfGroup, type FactGroup, SCORE_SLOT } from "../cel/case-allowlist.ts";
import { CelEvaluationError } from "../cel/compile-condition.ts";
import { PolicyErrors } from "../policy-errors.ts";
import {
  type CompiledRule,
  isPolicyInEffect,
  type Policy,
  type RuleEffect,
  type TierKind,
} from "./policy-definition.ts";

/** A rule whose condition held for the case, with the records it read. */
export interface FiredRule {
  readonly id: string;
  readonly description: string;
  readonly basis: string;
  readonly effect: RuleEffect;
  /** Signed contribution to the score (weight rules), 0 for tier rules. */
  readonly contribution: number;
  /** True for the tier rule that set the tier (the first firing tier rule in file order). */
  readonly decided: boolean;
  readonly evidence: readonly RecordCitation[];
}

/** What one policy concluded for one case, and why. */
export interface PolicyEvaluation {
  readonly personId: string;
  readonly asOf: string;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyDigest: string;
  /** Whether the policy's effective dates cover the as-of date (dry runs may use future policies). */
  readonly policyInEffect: boolean;
  readonly tier: number;
  readonly tierLabel: string;
  readonly tierKind: TierKind;
  readonly score: number;
  readonly decidedBy: { readonly kind: "rule"; readonly ruleId: string } | { readonly kind: "default" };
  /** Every rule that fired, in file order. */
  readonly firedRules: readonly FiredRule[];
  /** Rules whose condition raised a CEL error on this case: they did not fire, and say so. */
  readonly ruleErrors: readonly { readonly id: string; readonly message: string }[];
}

/**
 * Evaluates a policy for one case's facts. It sees only the allowlisted facts: gates, blockers
 * with binding law and identity are not inputs, so no rule can read or change them.
 */
export function evaluatePolicy(policy: Policy, facts: CaseFacts): PolicyEvaluation {
  assertCaseFactsOrThrow(facts, (what) => {
    throw PolicyErrors.invalidCaseFacts.create(String(facts?.personId), what);
  });
  const frame: unknown[] = new Array(policy.frameSize);
  bindCaseFacts(facts, frame, policy.factGroups);
  const fired: { rule: CompiledRule; decided: boolean }[] = [];
  const ruleErrors: { id: string; message: string }[] = [];
  let score = 0;
  for (const rule of policy.weightRules) {
    if (!holds(rule, frame, ruleErrors)) continue;
    score += signedWeight(rule.effect);
    fired.push({ rule, decided: false });
  }
  frame[SCORE_SLOT] = score;
  let decidingRule: CompiledRule | undefined;
  for (const rule of policy.tierRules) {
    if (!holds(rule, frame, ruleErrors)) continue;
    const decided = decidingRule === undefined;
    if (decided) decidingRule = rule;
    fired.push({ rule, decided });
  }
  fired.sort((a, b) => a.rule.index - b.rule.index);
  const tierNumber =
    decidingRule?.effect.kind === "tier" ? decidingRule.effect.tier : policy.definition.defaultTier;
  const tier = policy.tierByNumber.get(tierNumber)!;
  const weightEvidence = fired.filter((entry) => entry.rule.effect.kind === "weight");
  // Several fired rules often read the same group: its records are gathered once per case.
  const groupEvidence = new Map<FactGroup, readonly RecordCitation[]>();
  return {
    personId: facts.personId,
    asOf: facts.asOf,
    policyId: policy.definition.id,
    policyVersion: policy.definition.version,
    policyDigest: policy.digest,
    policyInEffect: isPolicyInEffect(policy, facts.asOf),
    tier: tier.tier,
    tierLabel: tier.label,
    tierKind: tier.kind,
    score,
    decidedBy: decidingRule ? { kind: "rule", ruleId: decidingRule.id } : { kind: "default" },
    firedRules: fired.map(({ rule, decided }) => ({
      id: rule.id,
      description: rule.description,
      basis: rule.basis,
      effect: rule.effect,
      contribution: rule.effect.kind === "weight" ? signedWeight(rule.effect) : 0,
      decided,
      evidence: ruleEvidence(rule, facts, weightEvidence, groupEvidence),
    })),
    ruleErrors,
  };
}

/** Whether the rule's condition holds; a CEL error is recorded and counts as not firing. */
function holds(rule: CompiledRule, frame: unknown[], ruleErrors: { id: string; message: string }[]): boolean {
  try {
    return rule.program.evaluate(frame) === true;
  } catch (error) {
    if (!(error instanceof CelEvaluationError)) throw error;
    ruleErrors.push({ id: rule.id, message: error.message });
    return false;
  }
}

function signedWeight(effect: RuleEffect): number {
  if (effect.kind !== "weight") return 0;
  return effect.factor === "aggravating" ? effect.weight : -effect.weight;
}

/** The records a fired rule read; a tier rule reading the score cites the factors behind it. */
function ruleEvidence(
  rule: CompiledRule,
  facts: CaseFacts,
  firedWeights: readonly { rule: CompiledRule }[],
  groupEvidence: Map<FactGroup, readonly RecordCitation[]>,
): readonly RecordCitation[] {
  // Module-level helpers, not closures: under tsx (esbuild's keepNames) each named closure
  // costs an Object.defineProperty of its name, and this runs for every fired rule.
  const citations: RecordCitation[] = [];
  for (const group of rule.evidenceGroups) {
    if (group === "score") {
      for (const weight of firedWeights) {
        for (const weightGroup of weight.rule.evidenceGroups) {
          addCitations(citations, evidenceOf(facts, weightGroup, groupEvidence));
        }
      }
    } else {
      addCitations(citations, evidenceOf(facts, group, groupEvidence));
    }
  }
  return citations;
}

/** Several fired rules often read the same group: its records are gathered once per case. */
function evidenceOf(
  facts: CaseFacts,
  group: FactGroup,
  groupEvidence: Map<FactGroup, readonly RecordCitation[]>,
): readonly RecordCitation[] {
  let list = groupEvidence.get(group);
  if (list === undefined) {
    list = evidenceOfGroup(facts, group);
    groupEvidence.set(group, list);
  }
  return list;
}

/** Appends the citations not already listed (lists are short: a linear scan beats building keys). */
function addCitations(citations: RecordCitation[], list: readonly RecordCitation[]): void {
  for (const citation of list) {
    let duplicate = false;
    for (const existing of citations) {
      if (
        existing === citation ||
        (existing.recordKey === citation.recordKey &&
          existing.feed === citation.feed &&
          existing.version === citation.version)
      ) {
        duplicate = true;
        break;
      }
    }
    if (!duplicate) citations.push(citation);
  }
}
