import type { DryRunResult } from "../../api/policy-api.ts";
import { Alert, Chart, countOf, TableWrap } from "../../design/index.ts";

/**
 * The rules that raised an error on some cases: such a rule did not fire on them, so every figure
 * of the dry run counts those cases as if the rule did not exist. The author must see it before
 * trusting the figures (a rule that runs out of budget fails silently otherwise).
 */
function RuleErrorsAlert({ result, before, after }: { result: DryRunResult; before: string; after: string }) {
  if (result.ruleErrors.length === 0) return null;
  return (
    <Alert
      tone="warning"
      title={`${countOf(result.ruleErrors.length, "rule", "rules")} raised errors: the figures below count those cases as if the rule did not fire`}
    >
      <TableWrap label="Rules that raised errors">
        <table className="table">
          <caption>Rules that raised errors</caption>
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">Rule</th>
              <th scope="col">Cases with an error</th>
              <th scope="col">Of them, out of evaluation budget</th>
              <th scope="col">First error</th>
            </tr>
          </thead>
          <tbody>
            {result.ruleErrors.map((error) => (
              <tr key={`${error.policy}-${error.ruleId}`}>
                <td>{error.policy === "from" ? before : after}</td>
                <th scope="row">
                  <code>{error.ruleId}</code>
                </th>
                <td>{error.cases.toLocaleString("en-US")}</td>
                <td>{error.budgetExceeded.toLocaleString("en-US")}</td>
                <td>{error.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Alert>
  );
}

/** The impact of a policy against the active one: cases per tier before and after, and the moves. */
export function DryRunView({ result }: { result: DryRunResult }) {
  const tiers = [
    ...new Set([...Object.keys(result.tierCounts.from), ...Object.keys(result.tierCounts.to)]),
  ].sort((a, b) => Number(a) - Number(b));
  const before = `Active: ${result.from.id} ${result.from.version}`;
  const after = `Proposed: ${result.to.id} ${result.to.version}`;
  return (
    <section className="stack" aria-label="Dry-run impact" data-testid="dry-run">
      <p>
        <strong>{result.changed.toLocaleString("en-US")}</strong> of {result.cases.toLocaleString("en-US")}{" "}
        actionable cases would change tier ({result.unchanged.toLocaleString("en-US")} unchanged). Nothing has
        been applied.
      </p>
      <RuleErrorsAlert result={result} before={before} after={after} />
      <Chart
        label={`Cases per tier, ${before} and ${after}`}
        option={{
          tooltip: {},
          legend: { data: [before, after] },
          xAxis: { type: "category", data: tiers.map((tier) => `Tier ${tier}`) },
          yAxis: { type: "value" },
          series: [
            {
              name: before,
              type: "bar",
              itemStyle: { color: "#1f4fa3" },
              data: tiers.map((tier) => result.tierCounts.from[tier] ?? 0),
            },
            {
              name: after,
              type: "bar",
              data: tiers.map((tier) => result.tierCounts.to[tier] ?? 0),
              itemStyle: { decal: { symbol: "rect" } },
            },
          ],
        }}
        summary={
          <TableWrap label="Cases per tier">
            <table className="table">
              <caption>Cases per tier</caption>
              <thead>
                <tr>
                  <th scope="col">Tier</th>
                  <th scope="col">{before}</th>
                  <th scope="col">{after}</th>
                </tr>
              </thead>
              <tbody>
                {tiers.map((tier) => (
                  <tr key={tier}>
                    <th scope="row">Tier {tier}</th>
                    <td>{result.tierCounts.from[tier] ?? 0}</td>
                    <td>{result.tierCounts.to[tier] ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        }
      />
      {result.transitions.length > 0 ? (
        <TableWrap label="Moves between tiers">
          <table className="table">
            <caption>Moves between tiers</caption>
            <thead>
              <tr>
                <th scope="col">From tier</th>
                <th scope="col">To tier</th>
                <th scope="col">Cases</th>
              </tr>
            </thead>
            <tbody>
              {result.transitions.map((move) => (
                <tr key={`${move.from}-${move.to}`}>
                  <td>{move.from}</td>
                  <td>{move.to}</td>
                  <td>{move.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </section>
  );
}
