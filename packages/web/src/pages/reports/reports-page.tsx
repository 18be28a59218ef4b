import { fetchOversightReport, type OversightReport, REPORT_DOWNLOADS } from "../../api/report-api.ts";
import { Chart, ErrorAlert, Loading, PageHeader, TableWrap, useAsync } from "../../design/index.ts";
import { chartHeight, policyVersionRows } from "./report-figures.ts";

const humanise = (key: string) => key.replaceAll("_", " ").toLowerCase();
const shown = (count: number | null) => (count === null ? "withheld" : count.toLocaleString("en-US"));

function ReportTableView({
  table,
  threshold,
}: {
  table: OversightReport["tables"][number];
  threshold: number;
}) {
  const visible = table.cells.filter((cell) => cell.count !== null);
  return (
    <section className="card stack" aria-labelledby={`report-${table.id}`}>
      <h2 id={`report-${table.id}`}>{table.title}</h2>
      <p>{table.description}</p>
      {visible.length > 0 ? (
        <Chart
          label={table.title}
          height={chartHeight(visible.length)}
          option={{
            tooltip: {},
            grid: { left: 160, right: 24, top: 8, bottom: 24 },
            xAxis: { type: "value" },
            yAxis: { type: "category", data: visible.map((cell) => humanise(cell.key)), inverse: true },
            series: [
              {
                type: "bar",
                data: visible.map((cell) => cell.count),
                label: { show: true, position: "right" },
              },
            ],
          }}
          summary={<span>The table below gives every figure.</span>}
        />
      ) : null}
      <TableWrap label={table.title}>
        <table className="table">
          <caption className="visually-hidden">{table.title}</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Count</th>
            </tr>
          </thead>
          <tbody>
            {table.cells.map((cell) => (
              <tr key={cell.key}>
                <th scope="row">{humanise(cell.key)}</th>
                <td>
                  {shown(cell.count)}
                  {cell.suppressed ? <span className="field-hint"> (fewer than {threshold})</span> : null}
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">Total</th>
              <td>
                {shown(table.total)}
                {table.total === null ? (
                  <span className="field-hint"> (a count of this table is withheld)</span>
                ) : null}
              </td>
            </tr>
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

/** How long redress requests took to resolve, per kind; a plain sentence when none has been resolved. */
export function RedressTimesView({ redressTimes }: { redressTimes: OversightReport["redressTimes"] }) {
  return (
    <section className="card" aria-labelledby="redress-times">
      <h2 id="redress-times">Time to resolve redress requests</h2>
      {redressTimes.length === 0 ? (
        <p>No redress request resolved yet.</p>
      ) : (
        <TableWrap label="Time to resolve redress requests">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Median (days)</th>
                <th scope="col">90th percentile (days)</th>
              </tr>
            </thead>
            <tbody>
              {redressTimes.map((times) => (
                <tr key={times.kind}>
                  <th scope="row">{humanise(times.kind)}</th>
                  <td>{times.withheld ? "withheld" : (times.medianDays ?? "—")}</td>
                  <td>{times.withheld ? "withheld" : (times.p90Days ?? "—")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

/** The oversight page: the published aggregates, small cells withheld, as a page, CSV and HTML. */
export function ReportsPage() {
  const report = useAsync((signal) => fetchOversightReport(signal), []);
  return (
    <>
      <PageHeader title="Oversight report">
        <p>
          Aggregate figures safe to publish: counts under {report.data?.threshold ?? 11} are withheld, and so
          is the total of a table with a withheld count. Download as <a href={REPORT_DOWNLOADS.csv}>CSV</a> or
          as a <a href={REPORT_DOWNLOADS.html}>standalone page</a>.
        </p>
      </PageHeader>
      {report.loading ? <Loading what="the report" /> : null}
      <ErrorAlert error={report.error} />
      {report.data ? (
        <>
          <p className="field-hint">
            Generated {report.data.generatedAt.slice(0, 19).replace("T", " ")} UTC.
          </p>
          <div className="grid-2">
            {report.data.tables.map((table) => (
              <ReportTableView key={table.id} table={table} threshold={report.data!.threshold} />
            ))}
          </div>
          <RedressTimesView redressTimes={report.data.redressTimes} />
          <section className="card" aria-labelledby="policy-versions">
            <h2 id="policy-versions">Policy versions activated</h2>
            {report.data.policies.length === 0 ? (
              <p>No policy version activated yet.</p>
            ) : (
              <TableWrap label="Policy versions activated">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Policy</th>
                      <th scope="col">Version</th>
                      <th scope="col">Activated</th>
                      <th scope="col">Status</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Digest</th>
                    </tr>
                  </thead>
                  <tbody>
                    {policyVersionRows(report.data).map((row) => (
                      <tr key={row.key}>
                        <th scope="row">{row.policy}</th>
                        <td>{row.version}</td>
                        <td>{row.activated}</td>
                        <td>{row.status}</td>
                        <td>{row.reason}</td>
                        <td>
                          <code>{row.digest}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>
          {report.data.notes.length > 0 ? (
            <section className="card" aria-labelledby="report-notes">
              <h2 id="report-notes">Notes</h2>
              <ul>
                {report.data.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
