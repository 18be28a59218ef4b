import type { OversightReport } from "@passage/engine";

function field(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The oversight report as one CSV (RFC 4180): `table,key,count,suppressed`, one line per cell and
 * a `(total)` line per table; withheld counts are empty with `suppressed` = `true`. Redress times
 * follow as `redress_time_days` lines.
 */
export function oversightReportCsv(report: OversightReport): string {
  const lines = ["table,key,count,suppressed"];
  for (const table of report.tables) {
    for (const cell of table.cells)
      lines.push([table.id, cell.key, cell.count, String(cell.suppressed)].map(field).join(","));
    lines.push([table.id, "(total)", table.total, String(table.total === null)].map(field).join(","));
  }
  for (const times of report.redressTimes) {
    const withheld = String(times.withheld);
    lines.push(["redress_time_days_median", times.kind, times.medianDays, withheld].map(field).join(","));
    lines.push(["redress_time_days_p90", times.kind, times.p90Days, withheld].map(field).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
