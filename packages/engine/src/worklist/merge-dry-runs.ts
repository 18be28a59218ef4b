import type { DryRunResult, Policy } from "@passage/policy";

/**
 * Joins the dry runs of consecutive pages (each from the policy package's `dryRun`) into one
 * result. Pages come in person-id order, so the changes stay sorted by person id.
 */
export function mergeDryRuns(from: Policy, to: Policy, parts: readonly DryRunResult[]): DryRunResult {
  const transitions = new Map<string, { from: number; to: number; count: number }>();
  const countsFrom: Record<string, number> = {};
  const countsTo: Record<string, number> = {};
  let cases = 0;
  let changed = 0;
  for (const part of parts) {
    cases += part.cases;
    changed += part.changed;
    for (const transition of part.transitions) {
      const key = `${transition.from}->${transition.to}`;
      const known = transitions.get(key) ?? { from: transition.from, to: transition.to, count: 0 };
      known.count += transition.count;
      transitions.set(key, known);
    }
    for (const [tier, count] of Object.entries(part.tierCounts.from))
      countsFrom[tier] = (countsFrom[tier] ?? 0) + count;
    for (const [tier, count] of Object.entries(part.tierCounts.to))
      countsTo[tier] = (countsTo[tier] ?? 0) + count;
  }
  return {
    from: { id: from.definition.id, version: from.definition.version },
    to: { id: to.definition.id, version: to.definition.version },
    cases,
    changed,
    unchanged: cases - changed,
    transitions: [...transitions.values()].sort((x, y) => x.from - y.from || x.to - y.to),
    tierCounts: { from: countsFrom, to: countsTo },
    changes: parts.flatMap((part) => part.changes),
  };
}
