import type { OversightReport, ReportTable } from "@passage/engine";
import * as echarts from "echarts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A horizontal bar chart of a table's published cells, rendered server-side to SVG (no browser). */
export function tableChartSvg(table: ReportTable): string {
  const cells = table.cells.filter((cell) => cell.count !== null && cell.count > 0);
  if (cells.length === 0) return "";
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: 720,
    height: 60 + cells.length * 28,
  });
  chart.setOption({
    animation: false,
    grid: { left: 220, right: 40, top: 20, bottom: 30 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: cells.map((cell) => cell.key), inverse: true },
    series: [
      {
        type: "bar",
        data: cells.map((cell) => cell.count),
        itemStyle: { color: "#2f5f8a" },
        label: { show: true, position: "right" },
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

function tableHtml(table: ReportTable): string {
  const rows = table.cells
    .map(
      (cell) =>
        `<tr><td>${escapeHtml(cell.key)}</td><td class="n">${cell.count === null ? '<span class="withheld">withheld</span>' : cell.count}</td></tr>`,
    )
    .join("");
  const total = table.total === null ? '<span class="withheld">withheld</span>' : String(table.total);
  return `<section>
<h2>${escapeHtml(table.title)}</h2>
<p>${escapeHtml(table.description)}</p>
<div class="chart" role="img" aria-label="${escapeHtml(table.title)}">${tableChartSvg(table)}</div>
<table><thead><tr><th>${escapeHtml(table.id)}</th><th class="n">count</th></tr></thead>
<tbody>${rows || '<tr><td colspan="2">no cases</td></tr>'}</tbody>
<tfoot><tr><th>total</th><th class="n">${total}</th></tr></tfoot></table>
</section>`;
}

/** The oversight report as a readable, self-contained HTML page with its charts inline as SVG. */
export function oversightReportHtml(report: OversightReport): string {
  const times = report.redressTimes
    .map(
      (entry) =>
        `<tr><td>${escapeHtml(entry.kind)}</td><td class="n">${entry.withheld ? '<span class="withheld">withheld (fewer than 11 resolved)</span>' : entry.medianDays}</td><td class="n">${entry.withheld ? "—" : entry.p90Days}</td></tr>`,
    )
    .join("");
  const policies = report.policies
    .map(
      (policy) =>
        `<tr><td>${escapeHtml(policy.policyId)}</td><td>${escapeHtml(policy.version)}</td><td>${escapeHtml(policy.activatedAt)}</td><td>${policy.active ? "in force" : "replaced"}</td><td>${escapeHtml(policy.reason)}</td><td><code>${escapeHtml(policy.digest.slice(0, 12))}</code></td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Passage oversight report</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;min-width:24rem}th,td{border-bottom:1px solid #ccc;padding:.25rem .6rem;text-align:left}
.n{text-align:right}.withheld{color:#6b6b6b;font-style:italic}section{margin-bottom:2rem}.chart svg{max-width:100%;height:auto}
</style></head><body>
<h1>Passage oversight report</h1>
<p>Generated ${escapeHtml(report.generatedAt)}. Aggregate figures only; nothing here describes any one person.</p>
<ul>${report.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("")}</ul>
${report.tables.map(tableHtml).join("\n")}
<section><h2>Time to resolve redress requests</h2>
<table><thead><tr><th>kind</th><th class="n">median days</th><th class="n">90th percentile days</th></tr></thead>
<tbody>${times || '<tr><td colspan="3">no resolved requests</td></tr>'}</tbody></table></section>
<section><h2>Policy versions activated</h2>
<table><thead><tr><th>policy</th><th>version</th><th>activated</th><th>status</th><th>reason</th><th>digest</th></tr></thead>
<tbody>${policies || '<tr><td colspan="6">no policy activated yet</td></tr>'}</tbody></table></section>
</body></html>
`;
}
