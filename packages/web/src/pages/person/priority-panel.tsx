import { ApiError } from "../../api/api-error.ts";
import { fetchWorklistExplanation, type WorklistExplanation } from "../../api/worklist-api.ts";
import { useSession } from "../../auth/session-context.tsx";
import { Alert, Badge, ErrorAlert, Loading, TableWrap, useAsync } from "../../design/index.ts";
import { CitationList } from "./citation-list.tsx";

/**
 * Why an override's reason is missing (the API sends it null): the server withholds every
 * override's reason, on every case, from a reader without the need to know asylum and 1367
 * matters, since a supervisor's free text may name them and withholding it only on cases that have
 * one would name those cases. So it says nothing about this case.
 */
export const OVERRIDE_REASON_WITHHELD =
  "reason withheld: override reasons are shown only to readers who may see asylum and 1367 matters";

/** Why a case sits at its tier: the policy version, the rules that fired with their evidence, overrides. */
export function ExplanationView({ explained }: { explained: WorklistExplanation }) {
  const { explanation, entry, replay, overrides } = explained;
  const evaluation = explanation.evaluation;
  return (
    <div className="stack" data-testid="priority-explanation">
      <p>
        <Badge tone={entry.effectiveTier === 1 ? "danger" : "warning"}>Tier {entry.effectiveTier}</Badge>{" "}
        {entry.effectiveTierLabel} · score {entry.score.toFixed(1)} · policy{" "}
        <code>
          {explanation.policy.id} {explanation.policy.version}
        </code>
        {entry.override ? (
          <>
            {" "}
            · overridden by a supervisor: the policy gives tier {entry.tier} · {entry.tierLabel}
          </>
        ) : null}
      </p>
      <p>
        {evaluation?.decidedBy.kind === "rule"
          ? `The tier was set by rule ${evaluation.decidedBy.ruleId}.`
          : "No tier rule fired; the policy's default tier applies."}{" "}
        {replay.identical
          ? "Replaying the stored explanation with its policy gives the same answer."
          : `Replay differs in: ${replay.differences.join(", ")}.`}
      </p>
      <TableWrap label="Rules that fired">
        <table className="table">
          <caption>Rules that fired</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Why</th>
              <th scope="col">Effect</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {(evaluation?.firedRules ?? []).length === 0 ? (
              <tr>
                <td colSpan={4}>No rule fired.</td>
              </tr>
            ) : null}
            {(evaluation?.firedRules ?? []).map((rule) => (
              <tr key={rule.id}>
                <td>
                  <code>{rule.id}</code>
                  {rule.decided ? (
                    <div>
                      <Badge tone="info">set the tier</Badge>
                    </div>
                  ) : null}
                </td>
                <td>
                  {rule.description}
                  <div className="field-hint">Basis: {rule.basis}</div>
                </td>
                <td>
                  {rule.contribution !== 0
                    ? `${rule.contribution > 0 ? "+" : ""}${rule.contribution}`
                    : "tier"}
                </td>
                <td>
                  <CitationList citations={rule.evidence} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {overrides.length > 0 ? (
        <section aria-label="Overrides">
          <h3>Supervisor overrides</h3>
          <ul>
            {overrides.map((override) => (
              <li key={override.sequence}>
                Tier {override.originalTier} → {override.tier} by {override.overriddenBy} on{" "}
                {override.overriddenAt}:{" "}
                {override.reason === null ? <em>{OVERRIDE_REASON_WITHHELD}</em> : `“${override.reason}”`}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** The priority tab of a person: the worklist explanation, or why the case is not listed. */
export function PriorityPanel({ personId }: { personId: string }) {
  const { purpose } = useSession();
  const answer = useAsync(
    (signal) => fetchWorklistExplanation(personId, purpose, signal),
    [personId, purpose],
  );
  if (answer.loading) return <Loading what="the priority explanation" />;
  if (answer.error instanceof ApiError && answer.error.status === 404) {
    return (
      <Alert tone="info" title="Not on the worklist">
        This case is not actionable, or a due-process gate holds; see the status tab.
      </Alert>
    );
  }
  if (answer.error) return <ErrorAlert error={answer.error} />;
  return answer.data ? <ExplanationView explained={answer.data} /> : null;
}
