import { csvCell } from "@passage/core";
import type { OversightReport } from "@passage/engine";

/** A cell a spreadsheet opens as data: an activation reason is a user's text (`csvCell`). */
const field = csvCell;

/** The CSV's columns: the first four for counts, the last five for policy versions only. */
export const OVERSIGHT_CSV_HEADER = "table,key,count,suppressed,version,activated_at,status,reason,digest";

/**
 * The oversight report as one CSV (RFC 4180) under `OVERSIGHT_CSV_HEADER`: one line per cell and a
 * `(total)` line per table (`table,key,count,suppressed`); withheld counts are empty with
 * `suppressed` = `true`. Redress times follow as `redress_time_days_median` and `_p90` lines, then
 * every policy version activated as a `policy_versions` line: the policy in `key`, and its version,
 * activation time, status (`in force` or `replaced`), reason and digest.
 */
export function oversightReportCsv(report: OversightReport): string {
  const lines = [OVERSIGHT_CSV_HEADER];
  const line = (...values: (string | number | null)[]) =>
    lines.push([...values, ...new Array<null>(9 - values.length).fill(null)].map(field).join(","));
  for (const table of report.tables) {
    for (const cell of table.cells) line(table.id, cell.key, cell.count, String(cell.suppressed));
    line(table.id, "(total)", table.total, String(table.total === null));
  }
  for (const times of report.redressTimes) {
    const withheld = String(times.withheld);
    line("redress_time_days_median", times.kind, times.medianDays, withheld);
    line("redress_time_days_p90", times.kind, times.p90Days, withheld);
  }
  for (const policy of report.policies) {
    line(
      "policy_versions",
      policy.policyId,
      null,
      null,
      policy.version,
      policy.activatedAt,
      policy.active ? "in force" : "replaced",
      policy.reason,
      policy.digest,
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
