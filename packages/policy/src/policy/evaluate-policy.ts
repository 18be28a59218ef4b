import type { RecordCitation } from "@passage/core";
import { assertCaseFactsOrThrow, type CaseFacts, type Evidenced } from "../case-facts.ts";
import {
  ALLOWED_VARIABLES,
  bindCaseFacts,
  bindListGroup,
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
 * How a fired rule's evidence is chosen. `records` (the default): of a list of records the rule
 * reads (convictions, encounters, benefits, stays, policy blockers), the records it needs to
 * fire (see `attributeGroup`). `groups`: every record of every fact group the rule reads, as the
 * explanations of schema passage.case-explanation/1 were made (their replay uses it).
 */
export type EvidenceMode = "records" | "groups";

export interface EvaluateOptions {
  readonly evidence?: EvidenceMode;
}

/**
 * Evaluates a policy for one case's facts. It sees only the allowlisted facts: gates, blockers
 * with binding law and identity are not inputs, so no rule can read or change them.
 */
export function evaluatePolicy(
  policy: Policy,
  facts: CaseFacts,
  options: EvaluateOptions = {},
): PolicyEvaluation {
  assertCaseFactsOrThrow(facts, (what) => {
    throw PolicyErrors.invalidCaseFacts.create(String(facts?.personId), what);
  });
  // All the policy's rules share one budget on the case, on top of each rule's own.
  return withCaseBudget(CONDITION_LIMITS.caseBudget, () =>
    evaluateBudgeted(policy, facts, options.evidence ?? "records"),
  );
}

function evaluateBudgeted(policy: Policy, facts: CaseFacts, evidenceMode: EvidenceMode): PolicyEvaluation {
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
  // The score the tier rules that fired read.
  let tierScore = score;
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
      tierScore = score - mitigationOnlyScore;
    }
  }
  // The weights' evidence first: a tier rule reading the score cites the factors behind it.
  const weightEvidence: (readonly RecordCitation[])[] = new Array(weightCount);
  const tierEvidence: (readonly RecordCitation[])[] = new Array(tierCount);
  if (evidenceMode === "groups") {
    for (let at = 0; at < weightCount; at++)
      weightEvidence[at] = groupEvidence(firedWeights[at]!, facts, firedWeights, weightCount);
    for (let at = 0; at < tierCount; at++)
      tierEvidence[at] = groupEvidence(firedTiers[at]!, facts, firedWeights, weightCount);
  } else {
    // Attribution re-evaluates fired rules on parts of the case: it has a case budget of its own,
    // so it never takes from the rules', and a group it cannot attribute within it is cited whole.
    withCaseBudget(CONDITION_LIMITS.caseBudget, () => {
      const attribution: Attribution = {
        policy,
        facts,
        frame,
        score,
        scoreEvidence: NO_CITATIONS,
        work: { remaining: ATTRIBUTION_WORK },
      };
      for (let at = 0; at < weightCount; at++)
        weightEvidence[at] = recordEvidence(firedWeights[at]!, attribution);
      const scoreEvidence: RecordCitation[] = [];
      for (let at = 0; at < weightCount; at++) addCitations(scoreEvidence, weightEvidence[at]!);
      const forTiers: Attribution = { ...attribution, score: tierScore, scoreEvidence };
      for (let at = 0; at < tierCount; at++) tierEvidence[at] = recordEvidence(firedTiers[at]!, forTiers);
    });
  }
  // The frame holds this case's values: released now rather than kept until the next case.
  for (let slot = 0; slot < frame.length; slot++) frame[slot] = undefined;
  const tier = policy.tierByNumber.get(tierNumber)!;
  const firedRules: FiredRule[] = new Array(weightCount + tierCount);
  let weightAt = 0;
  let tierAt = 0;
  for (let at = 0; at < firedRules.length; at++) {
    const isWeight =
      tierAt === tierCount ||
      (weightAt < weightCount && firedWeights[weightAt]!.index < firedTiers[tierAt]!.index);
    const evidence = isWeight ? weightEvidence[weightAt]! : tierEvidence[tierAt]!;
    const rule = isWeight ? firedWeights[weightAt++]! : firedTiers[tierAt++]!;
    firedRules[at] = {
      id: rule.id,
      description: rule.description,
      basis: rule.basis,
      effect: rule.effect,
      contribution: rule.effect.kind === "weight" ? signedWeight(rule.effect) : 0,
      decided: rule === decidingRule,
      evidence,
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

/** What attributing a fired rule's evidence works on. */
interface Attribution {
  readonly policy: Policy;
  /** The case's facts, whole. */
  readonly facts: CaseFacts;
  readonly frame: unknown[];
  /** The score the rule read when it fired. */
  readonly score: number;
  /** What a rule reading the score cites: the evidence of the weights that fired. */
  readonly scoreEvidence: readonly RecordCitation[];
  /** Records left to bind in re-evaluations for this case (shared by its fired rules). */
  readonly work: { remaining: number };
}

/** The fact groups that are lists of records, each of which a rule may or may not need. */
const LIST_GROUPS: ReadonlySet<FactGroup> = new Set<FactGroup>([
  "convictions",
  "vacated_convictions",
  "encounters",
  "benefits",
  "stays",
  "policy_blockers",
]);

const NO_CITATIONS: readonly RecordCitation[] = Object.freeze([]);

/**
 * The records a fired rule rests on. A fact that is one record (the order, the entry, age, a
 * national-security finding) is cited whole when the rule reads it; a tier rule reading the score
 * cites the weights' evidence. Of a list of records, only those the rule needs are cited (see
 * `attributeGroup`): `convictions.exists(c, c.aggravated_felony)` cites the aggravated felony, not
 * every conviction. Lists are attributed in the order of the rule's groups, each on the case as
 * the lists before it were narrowed, so that together the cited records still make the rule fire.
 */
function recordEvidence(rule: CompiledRule, attribution: Attribution): readonly RecordCitation[] {
  const citations: RecordCitation[] = [];
  const facts = attribution.facts;
  let context = facts;
  const groups = rule.evidenceGroups;
  for (let at = 0; at < groups.length; at++) {
    const group = groups[at]!;
    if (group === "score") {
      addCitations(citations, attribution.scoreEvidence);
      continue;
    }
    if (!LIST_GROUPS.has(group)) {
      addCitations(citations, evidenceOfGroup(facts, group));
      continue;
    }
    const items = itemsOf(context, group);
    if (items.length === 0) continue;
    const needed =
      items.length > MAX_ATTRIBUTED_RECORDS
        ? undefined
        : attributeGroup(rule, attribution, context, group, items);
    if (needed === undefined) {
      // A list or case too large to attribute: every record of the group is cited, as every
      // one was read.
      addCitations(citations, evidenceOfGroup(context, group));
      continue;
    }
    for (let index = 0; index < needed.length; index++) addCitations(citations, needed[index]!.evidence);
    context = narrowing(context, group)(needed);
  }
  return citations;
}

/**
 * The records of one list the fired rule needs, on the case `context` (in which it fires), in
 * their order; undefined when it cannot say (attribution ran out of budget or work). By
 * re-evaluating the rule with the list narrowed (where it raises an error it does not fire):
 * - none, when the rule fires with the list empty (other facts make it fire);
 * - otherwise, when some records each alone make it fire, those (`exists` cites the records that
 *   satisfy it; `conviction_count > 0` every conviction, each enough);
 * - when none does alone, the records without which it would not fire (`conviction_count == 2`:
 *   both), if together they make it fire;
 * - else (a count past a threshold that more records exceed) a smallest set that makes it fire,
 *   found by dropping records one by one, in order, while it still fires: each one cited is
 *   needed beside the others.
 * So the whole list is cited only when each of its records alone, or every one of them, is needed.
 */
function attributeGroup(
  rule: CompiledRule,
  attribution: Attribution,
  context: CaseFacts,
  group: FactGroup,
  items: readonly Evidenced[],
): readonly Evidenced[] | undefined {
  const narrowed = narrowing(context, group);
  const frame = attribution.frame;
  const factGroups = attribution.policy.factGroups;
  // The case as it stands once; each re-evaluation rebinds the group's own slots alone.
  bindCaseFacts(context, frame, factGroups);
  frame[SCORE_SLOT] = attribution.score;
  const fires = (kept: readonly Evidenced[]): boolean | undefined => {
    // Each re-evaluation costs one, and one per record bound: a case's attribution is bounded.
    attribution.work.remaining -= 1 + kept.length;
    if (attribution.work.remaining < 0) return undefined;
    bindListGroup(narrowed(kept), frame, group, factGroups);
    const outcome = holds(rule, frame);
    // A condition that raises an error does not fire, here as on a case; a spent budget says
    // nothing of whether it would have.
    return outcome instanceof CelBudgetExceededError ? undefined : outcome === true;
  };
  const withNone = fires(NO_ITEMS);
  if (withNone !== false) return withNone === true ? NO_ITEMS : undefined;
  if (items.length === 1) return items;
  const enoughAlone: Evidenced[] = [];
  for (let at = 0; at < items.length; at++) {
    const alone = fires([items[at]!]);
    if (alone === undefined) return undefined;
    if (alone) enoughAlone.push(items[at]!);
  }
  if (enoughAlone.length === items.length) return items;
  if (enoughAlone.length > 0 && fires(enoughAlone) === true) return enoughAlone;
  const needed: Evidenced[] = [];
  for (let at = 0; at < items.length; at++) {
    const without = fires(withoutPosition(items, at));
    if (without === undefined) return undefined;
    if (!without) needed.push(items[at]!);
  }
  if (needed.length === items.length) return items;
  if (needed.length > 0 && fires(needed) === true) return needed;
  let kept: readonly Evidenced[] = items;
  for (let at = kept.length - 1; at >= 0; at--) {
    // From the last, so that the earliest records are the ones kept when any would do.
    const fewer = withoutPosition(kept, at);
    const still = fires(fewer);
    if (still === undefined) return undefined;
    if (still) kept = fewer;
  }
  return kept;
}

/**
 * Re-evaluations and records bound in them, summed over one case's attribution, past which a
 * group is cited whole. Its CEL steps have a case budget of their own.
 */
const ATTRIBUTION_WORK = 20_000;
/**
 * Records of one list past which it is cited whole rather than attributed: attributing takes a
 * re-evaluation per record at least, and a criminal history of hundreds of convictions would
 * slow every rule that reads it (the shipped policies' cases have a handful).
 */
const MAX_ATTRIBUTED_RECORDS = 64;

const NO_ITEMS: readonly Evidenced[] = Object.freeze([]);

function withoutPosition(items: readonly Evidenced[], position: number): Evidenced[] {
  return [...items.slice(0, position), ...items.slice(position + 1)];
}

/** The records of a list group, in order. */
function itemsOf(facts: CaseFacts, group: FactGroup): readonly Evidenced[] {
  switch (group) {
    case "convictions":
      return facts.convictions.filter((conviction) => conviction.disposition === "convicted");
    case "vacated_convictions":
      return facts.convictions.filter((conviction) => conviction.disposition !== "convicted");
    case "encounters":
      return facts.encounters;
    case "benefits":
      return facts.benefits;
    case "stays":
      return facts.stays;
    case "policy_blockers":
      return facts.policyBlockers;
    default:
      return NO_ITEMS;
  }
}

/**
 * The case with a list group narrowed to `kept` (records of it, in order), as a function of
 * `kept`. Standing and vacated convictions are two groups of one list: narrowing one keeps the
 * other (their order between them does not matter: rules read the standing ones in order and
 * count the others).
 */
function narrowing(facts: CaseFacts, group: FactGroup): (kept: readonly Evidenced[]) => CaseFacts {
  switch (group) {
    case "convictions":
    case "vacated_convictions": {
      const standing = group === "vacated_convictions";
      const rest = facts.convictions.filter(
        (conviction) => (conviction.disposition === "convicted") === standing,
      );
      return (kept) => ({
        ...facts,
        convictions:
          rest.length === 0
            ? (kept as CaseFacts["convictions"])
            : [...rest, ...(kept as CaseFacts["convictions"])],
      });
    }
    case "encounters":
      return (kept) => ({ ...facts, encounters: kept as CaseFacts["encounters"] });
    case "benefits":
      return (kept) => ({ ...facts, benefits: kept as CaseFacts["benefits"] });
    case "stays":
      return (kept) => ({ ...facts, stays: kept as CaseFacts["stays"] });
    case "policy_blockers":
      return (kept) => ({ ...facts, policyBlockers: kept as CaseFacts["policyBlockers"] });
    default:
      return () => facts;
  }
}

/**
 * Every record of every group a fired rule read (evidence mode `groups`); a tier rule reading the
 * score cites the groups of the weights behind it.
 */
function groupEvidence(
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
