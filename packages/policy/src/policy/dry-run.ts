import type { RecordCitation } from "@passage/core";
import { type ActionableCase, assertAdmittedOrThrow } from "../gates/actionable-case.ts";
import { evaluatePolicy, type PolicyEvaluation } from "./evaluate-policy.ts";
import type { Policy } from "./policy-definition.ts";

/** One case whose tier differs between the two policies. */
export interface TierChange {
  readonly personId: string;
  readonly from: { readonly tier: number; readonly label: string; readonly decidedBy: string };
  readonly to: { readonly tier: number; readonly label: string; readonly decidedBy: string };
}

/** The impact of replacing policy `a` by policy `b` on a population, without applying anything. */
export interface DryRunResult {
  readonly from: { readonly id: string; readonly version: string };
  readonly to: { readonly id: string; readonly version: string };
  readonly cases: number;
  readonly changed: number;
  readonly unchanged: number;
  /** Count of cases per (from tier, to tier), changed pairs only, sorted. */
  readonly transitions: readonly { readonly from: number; readonly to: number; readonly count: number }[];
  /** Cases per tier under each policy. */
  readonly tierCounts: { readonly from: Record<string, number>; readonly to: Record<string, number> };
  /** The rules that raised an error on some cases, under either policy (none for most policies). */
  readonly ruleErrors: readonly DryRunRuleErrors[];
  /** Every case that changes tier, sorted by person id. */
  readonly changes: readonly TierChange[];
}

/**
 * A rule that raised an error on some cases of a dry run (it did not fire on them, which may
 * change their tier): how many, how many of those because it ran out of evaluation budget, and
 * the first message. Sorted by policy ("from" first), then rule id.
 */
export interface DryRunRuleErrors {
  readonly policy: "from" | "to";
  readonly ruleId: string;
  readonly cases: number;
  readonly budgetExceeded: number;
  readonly message: string;
}

/** A dry run fed case by case (so that a long one can yield between cases), then concluded. */
export interface DryRunAccumulator {
  /** Evaluates one gate-clear case (as `admitCase` admitted it) under both policies. */
  add(actionable: ActionableCase): void;
  result(): DryRunResult;
  /**
   * The records the rules that decided a changed case's tiers cite (none for the default tier),
   * under each policy: what a reader without the need to know a confidential matter may not see
   * a rule named for. Undefined for a case that did not change.
   */
  decidingEvidence(
    personId: string,
  ): { readonly from: readonly RecordCitation[]; readonly to: readonly RecordCitation[] } | undefined;
}

/** How many gate-clear cases change tier from policy `a` to policy `b`, and which. */
export function dryRun(a: Policy, b: Policy, cases: readonly ActionableCase[]): DryRunResult {
  const run = createDryRun(a, b);
  for (const actionable of cases) run.add(actionable);
  return run.result();
}

/**
 * Adds cases to a dry run, letting the event loop run (`setImmediate`) whenever `sliceMs` have
 * passed since it last did: evaluation is synchronous (each case bounded by the case budget), so
 * a server answers its other requests between slices of a long dry run.
 */
export async function addCasesYielding(
  run: DryRunAccumulator,
  cases: readonly ActionableCase[],
  sliceMs: number,
): Promise<void> {
  let sliceStart = performance.now();
  for (const actionable of cases) {
    run.add(actionable);
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** `dryRun`, one case at a time. */
export function createDryRun(a: Policy, b: Policy): DryRunAccumulator {
  const changes: TierChange[] = [];
  const evidence = new Map<string, { from: readonly RecordCitation[]; to: readonly RecordCitation[] }>();
  const transitions = new Map<string, { from: number; to: number; count: number }>();
  const countsFrom: Record<string, number> = {};
  const countsTo: Record<string, number> = {};
  const errors = new Map<string, { -readonly [K in keyof DryRunRuleErrors]: DryRunRuleErrors[K] }>();
  let cases = 0;
  const countErrors = (policy: "from" | "to", evaluation: PolicyEvaluation) => {
    for (const error of evaluation.ruleErrors) {
      const key = `${policy}\u0000${error.id}`;
      const known = errors.get(key) ?? {
        policy,
        ruleId: error.id,
        cases: 0,
        budgetExceeded: 0,
        message: error.message,
      };
      known.cases++;
      if (error.budgetExceeded) known.budgetExceeded++;
      errors.set(key, known);
    }
  };
  const decided = (evaluation: PolicyEvaluation) =>
    evaluation.decidedBy.kind === "rule" ? `rule ${evaluation.decidedBy.ruleId}` : "default tier";
  const decidingEvidence = (evaluation: PolicyEvaluation) =>
    evaluation.firedRules.find((rule) => rule.decided)?.evidence ?? [];
  return {
    add(actionable) {
      assertAdmittedOrThrow([actionable]);
      cases++;
      const before = evaluatePolicy(a, actionable.facts);
      const after = evaluatePolicy(b, actionable.facts);
      countErrors("from", before);
      countErrors("to", after);
      countsFrom[before.tier] = (countsFrom[before.tier] ?? 0) + 1;
      countsTo[after.tier] = (countsTo[after.tier] ?? 0) + 1;
      if (before.tier === after.tier) return;
      const key = `${before.tier}->${after.tier}`;
      const transition = transitions.get(key) ?? { from: before.tier, to: after.tier, count: 0 };
      transition.count++;
      transitions.set(key, transition);
      evidence.set(actionable.personId, { from: decidingEvidence(before), to: decidingEvidence(after) });
      changes.push({
        personId: actionable.personId,
        from: { tier: before.tier, label: before.tierLabel, decidedBy: decided(before) },
        to: { tier: after.tier, label: after.tierLabel, decidedBy: decided(after) },
      });
    },
    result() {
      const sorted = [...changes].sort((x, y) =>
        x.personId < y.personId ? -1 : x.personId > y.personId ? 1 : 0,
      );
      return {
        from: { id: a.definition.id, version: a.definition.version },
        to: { id: b.definition.id, version: b.definition.version },
        cases,
        changed: sorted.length,
        unchanged: cases - sorted.length,
        transitions: [...transitions.values()].sort((x, y) => x.from - y.from || x.to - y.to),
        tierCounts: { from: { ...countsFrom }, to: { ...countsTo } },
        ruleErrors: [...errors.values()]
          .map((entry) => ({ ...entry }))
          .sort((x, y) =>
            x.policy !== y.policy
              ? x.policy === "from"
                ? -1
                : 1
              : x.ruleId < y.ruleId
                ? -1
                : x.ruleId > y.ruleId
                  ? 1
                  : 0,
          ),
        changes: sorted,
      };
    },
    decidingEvidence: (personId) => evidence.get(personId),
  };
}
