import type { FieldChange, PolicyDiff } from "../../api/policy-api.ts";
import { Badge } from "../../design/index.ts";

function describe(change: FieldChange): string {
  return `${change.field}: ${JSON.stringify(change.from ?? null)} → ${JSON.stringify(change.to ?? null)}`;
}

/** What changed between two policies: fields, tiers, rules (added, removed, changed, reordered). */
export function PolicyDiffView({ diff }: { diff: PolicyDiff }) {
  if (diff.identical) return <p>The two policies are identical.</p>;
  return (
    <section className="stack" aria-label="Policy differences" data-testid="policy-diff">
      <p>
        From <code>{`${diff.from.id} ${diff.from.version}`}</code> to{" "}
        <code>{`${diff.to.id} ${diff.to.version}`}</code>
      </p>
      <ul>
        {diff.changes.map((change) => (
          <li key={change.field}>{describe(change)}</li>
        ))}
        {diff.rules.added.map((rule) => (
          <li key={`added-${rule.id}`}>
            <Badge tone="success">rule added</Badge> <code>{rule.id}</code> {rule.description ?? ""}
          </li>
        ))}
        {diff.rules.removed.map((rule) => (
          <li key={`removed-${rule.id}`}>
            <Badge tone="danger">rule removed</Badge> <code>{rule.id}</code> {rule.description ?? ""}
          </li>
        ))}
        {diff.rules.changed.map((rule) => (
          <li key={`changed-${rule.id}`}>
            <Badge tone="warning">rule changed</Badge> <code>{rule.id}</code>:{" "}
            {rule.changes.map(describe).join("; ")}
          </li>
        ))}
        {diff.rules.reordered ? (
          <li>
            <Badge tone="warning">rules reordered</Badge> (the first tier rule that fires decides)
          </li>
        ) : null}
        {diff.tiers.added.length + diff.tiers.removed.length + diff.tiers.changed.length > 0 ? (
          <li>
            Tiers: {diff.tiers.added.length} added, {diff.tiers.removed.length} removed,{" "}
            {diff.tiers.changed.length} changed
          </li>
        ) : null}
      </ul>
    </section>
  );
}
