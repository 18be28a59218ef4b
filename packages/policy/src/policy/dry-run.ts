import { type ActionableCase, assertAdmittedOrThrow } from "../gates/actionable-case.ts";
import { evaluatePolicy } from "./evaluate-policy.ts";
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
  /** Every case that changes tier, sorted by person id. */
  readonly changes: readonly TierChange[];
}

/** How many gate-clear cases change tier from policy `a` to policy `b`, and which. */
export function dryRun(a: Policy, b: Policy, cases: readonly ActionableCase[]): DryRunResult {
  assertAdmittedOrThrow(cases);
  const changes: TierChange[] = [];
  const transitions = new Map<string, { from: number; to: number; count: number }>();
  const countsFrom: Record<string, number> = {};
  const countsTo: Record<string, number> = {};
  for (const actionable of cases) {
    const before = evaluatePolicy(a, actionable.facts);
    const after = evaluatePolicy(b, actionable.facts);
    countsFrom[before.tier] = (countsFrom[before.tier] ?? 0) + 1;
    countsTo[after.tier] = (countsTo[after.tier] ?? 0) + 1;
    if (before.tier === after.tier) continue;
    const key = `${before.tier}->${after.tier}`;
    const transition = transitions.get(key) ?? { from: before.tier, to: after.tier, count: 0 };
    transition.count++;
    transitions.set(key, transition);
    const decided = (evaluation: typeof before) =>
      evaluation.decidedBy.kind === "rule" ? `rule ${evaluation.decidedBy.ruleId}` : "default tier";
    changes.push({
      personId: actionable.personId,
      from: { tier: before.tier, label: before.tierLabel, decidedBy: decided(before) },
      to: { tier: after.tier, label: after.tierLabel, decidedBy: decided(after) },
    });
  }
  changes.sort((x, y) => (x.personId < y.personId ? -1 : x.personId > y.personId ? 1 : 0));
  return {
    from: { id: a.definition.id, version: a.definition.version },
    to: { id: b.definition.id, version: b.definition.version },
    cases: cases.length,
    changed: changes.length,
    unchanged: cases.length - changes.length,
    transitions: [...transitions.values()].sort((x, y) => x.from - y.from || x.to - y.to),
    tierCounts: { from: countsFrom, to: countsTo },
    changes,
  };
}
