import type { RecordCitation } from "@passage/core";
import { assertCaseFactsOrThrow, type CaseFacts } from "../case-facts.ts";
import {
  ALLOWED_VARIABLES,
  bindCaseFacts,
  evidenceOfGroup,
  type FactGroup,
  SCORE_SLOT,
} from "../cel/case-allowlist.ts";
import { CelBudgetExceededError, CelEvaluationError, withCaseBudget } from "../cel/compile-condition.ts";
import { CONDITION_LIMITS } from "../cel/condition-limits.ts";
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

/** A rule whose condition raised a CEL error on a case (it did not fire). */
export interface RuleError {
  readonly id: string;
  readonly message: string;
  /** Present when the error is a spent evaluation budget (the rule's own, or the case's). */
  readonly budgetExceeded?: true;
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
  readonly ruleErrors: readonly RuleError[];
  /**
   * True when factors that may only mitigate (age) would have raised the case's priority through
   * the score a tier rule reads (e.g. "score <= -10 -> tier 1"): the tier is then the one the
   * score without them gives. Age is never aggravating, whatever the rules make of the score.
   * Absent otherwise.
   */
  readonly mitigationOnlyHeldBack?: true;
}

/** The fact groups of the variables only a mitigating factor may read (age). */
const MITIGATION_ONLY_GROUPS: ReadonlySet<FactGroup> = new Set(
  ALLOWED_VARIABLES.filter((variable) => variable.mitigationOnly).map((variable) => variable.group),
);

function readsMitigationOnly(rule: CompiledRule): boolean {
  return rule.evidenceGroups.some((group) => MITIGATION_ONLY_GROUPS.has(group));
}

/**
 * Evaluates a policy for one case's facts. It sees only the allowlisted facts: gates, blockers
 * with binding law and identity are not inputs, so no rule can read or change them.
 */
export function evaluatePolicy(policy: Policy, facts: CaseFacts): PolicyEvaluation {
  assertCaseFactsOrThrow(facts, (what) => {
    throw PolicyErrors.invalidCaseFacts.create(String(facts?.personId), what);
  });
  // All the policy's rules share one budget on the case, on top of each rule's own.
  return withCaseBudget(CONDITION_LIMITS.caseBudget, () => evaluateBudgeted(policy, facts));
}

function evaluateBudgeted(policy: Policy, facts: CaseFacts): PolicyEvaluation {
  const frame = scratchFrame(policy.frameSize);
  bindCaseFacts(facts, frame, policy.factGroups);
  // Weight and tier rules each fire in file order: the two lists are merged below, not sorted.
  // They are per-thread lists with a count (setting an array's length is a runtime call).
  const firedWeights = FIRED_WEIGHTS;
  const firedTiers = FIRED_TIERS;
  const ruleErrors: RuleError[] = [];
  const firing = fireRules(policy.weightRules, frame, firedWeights, ruleErrors);
  let weightCount = 0;
  let score = 0;
  let mitigationOnlyScore = 0;
  for (let at = 0; at < firing; at++) {
    const rule = firedWeights[at]!;
    const weight = signedWeight(rule.effect);
    const mitigationOnly = readsMitigationOnly(rule);
    // The load bounds every weight (CONDITION_LIMITS.maxWeight), so this holds for a loaded
    // policy; a score that is not a finite number is never produced, whatever the policy.
    if (
      !Number.isFinite(score + weight) ||
      (mitigationOnly && !Number.isFinite(mitigationOnlyScore + weight))
    ) {
      ruleErrors.push({
        id: rule.id,
        message: `its weight ${weight} would make the score ${score + weight}, not a finite number: it is not counted`,
      });
      continue;
    }
    firedWeights[weightCount++] = rule;
    score += weight;
    if (mitigationOnly) mitigationOnlyScore += weight;
  }
  // Tier rules may read the score the weight rules gave.
  frame[SCORE_SLOT] = score;
  let tierCount = fireRules(policy.tierRules, frame, firedTiers, ruleErrors);
  let decidingRule: CompiledRule | undefined = tierCount > 0 ? firedTiers[0] : undefined;
  let tierNumber = tierOf(decidingRule, policy);
  let mitigationOnlyHeldBack = false;
  if (mitigationOnlyScore !== 0) {
    // The tier without the factors that may only mitigate: if it is less urgent, it stands.
    frame[SCORE_SLOT] = score - mitigationOnlyScore;
    const withoutCount = fireRules(policy.tierRules, frame, FIRED_TIERS_WITHOUT, []);
    const without = withoutCount > 0 ? FIRED_TIERS_WITHOUT[0] : undefined;
    if (tierOf(without, policy) > tierNumber) {
      for (let at = 0; at < withoutCount; at++) firedTiers[at] = FIRED_TIERS_WITHOUT[at]!;
      tierCount = withoutCount;
      decidingRule = without;
      tierNumber = tierOf(without, policy);
      mitigationOnlyHeldBack = true;
    }
  }
  // The frame holds this case's values: released now rather than kept until the next case.
  for (let slot = 0; slot < frame.length; slot++) frame[slot] = undefined;
  const tier = policy.tierByNumber.get(tierNumber)!;
  const firedRules: FiredRule[] = new Array(weightCount + tierCount);
  let weightAt = 0;
  let tierAt = 0;
  for (let at = 0; at < firedRules.length; at++) {
    const rule =
      tierAt === tierCount ||
      (weightAt < weightCount && firedWeights[weightAt]!.index < firedTiers[tierAt]!.index)
        ? firedWeights[weightAt++]!
        : firedTiers[tierAt++]!;
    firedRules[at] = {
      id: rule.id,
      description: rule.description,
      basis: rule.basis,
      effect: rule.effect,
      contribution: rule.effect.kind === "weight" ? signedWeight(rule.effect) : 0,
      decided: rule === decidingRule,
      evidence: ruleEvidence(rule, facts, firedWeights, weightCount),
    };
  }
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
    firedRules,
    ruleErrors,
    ...(mitigationOnlyHeldBack ? { mitigationOnlyHeldBack: true as const } : {}),
  };
}

/** The tier a deciding rule sets, or the policy's default. */
function tierOf(rule: CompiledRule | undefined, policy: Policy): number {
  return rule?.effect.kind === "tier" ? rule.effect.tier : policy.definition.defaultTier;
}

/**
 * Evaluates `rules` in file order on the bound frame: the ones that fire go to the front of
 * `fired` (their count is returned), a rule whose condition raised an error goes to `ruleErrors`.
 */
function fireRules(
  rules: readonly CompiledRule[],
  frame: unknown[],
  fired: CompiledRule[],
  ruleErrors: RuleError[],
): number {
  let count = 0;
  for (let at = 0; at < rules.length; at++) {
    const rule = rules[at]!;
    const outcome = holds(rule, frame);
    if (outcome === true) fired[count++] = rule;
    else if (outcome !== false) {
      ruleErrors.push(
        outcome instanceof CelBudgetExceededError
          ? { id: rule.id, message: outcome.message, budgetExceeded: true }
          : { id: rule.id, message: outcome.message },
      );
    }
  }
  return count;
}

/**
 * One frame reused by every evaluation on this thread (evaluation is synchronous and never
 * re-entered): binding writes every fact slot and each macro writes its own slots before
 * reading them, so nothing of one case can reach the next.
 */
let frameInUse: unknown[] = [];
/** The rules that fired for the case being evaluated, first `count` entries (rules live as long as their policy). */
const FIRED_WEIGHTS: CompiledRule[] = [];
const FIRED_TIERS: CompiledRule[] = [];
const FIRED_TIERS_WITHOUT: CompiledRule[] = [];

function scratchFrame(size: number): unknown[] {
  if (frameInUse.length < size) frameInUse = new Array(size).fill(undefined);
  return frameInUse;
}

/** Whether the rule's condition holds; a CEL error is returned (the rule does not fire, and says so). */
function holds(rule: CompiledRule, frame: unknown[]): boolean | CelEvaluationError {
  try {
    return rule.program.evaluate(frame) === true;
  } catch (error) {
    if (!(error instanceof CelEvaluationError)) throw error;
    return error;
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
  firedWeights: readonly CompiledRule[],
  weightCount: number,
): readonly RecordCitation[] {
  // Module-level helpers, not closures: under tsx (esbuild's keepNames) each named closure
  // costs an Object.defineProperty of its name, and this runs for every fired rule. A group's
  // records are not cached per case: most groups' lists are the facts' own (no copy), and a
  // cache cost more than the few it would save.
  const citations: RecordCitation[] = [];
  const groups = rule.evidenceGroups;
  for (let at = 0; at < groups.length; at++) {
    const group = groups[at]!;
    if (group === "score") {
      for (let weight = 0; weight < weightCount; weight++) {
        const weightGroups = firedWeights[weight]!.evidenceGroups;
        for (let index = 0; index < weightGroups.length; index++) {
          addCitations(citations, evidenceOfGroup(facts, weightGroups[index]!));
        }
      }
    } else {
      addCitations(citations, evidenceOfGroup(facts, group));
    }
  }
  return citations;
}

/** Appends the citations not already listed (lists are short: a linear scan beats building keys). */
function addCitations(citations: RecordCitation[], list: readonly RecordCitation[]): void {
  for (let at = 0; at < list.length; at++) {
    const citation = list[at]!;
    let duplicate = false;
    for (let index = 0; index < citations.length; index++) {
      const existing = citations[index]!;
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
