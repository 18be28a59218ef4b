import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildOversightReport } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";

/** `passage report [--out DIR]`: the oversight report, printed or written as files. */
export async function printOversightReport(options: { out?: string }, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const report = await context.withApp((app) => buildOversightReport(app.store.db));
  if (options.out) {
    const directory = path.resolve(options.out);
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, "oversight.json"), `${JSON.stringify(report, null, 2)}\n`);
    const { oversightReportCsv, oversightReportHtml } = await import("@passage/server");
    await writeFile(path.join(directory, "oversight.csv"), oversightReportCsv(report));
    await writeFile(path.join(directory, "oversight.html"), oversightReportHtml(report));
    if (!context.output.json) {
      context.output.line(
        `wrote ${["oversight.json", "oversight.csv", "oversight.html"].map((name) => path.join(directory, name)).join(", ")}`,
      );
    }
  }
  if (context.output.json) return context.output.document(report);
  if (options.out) return;
  for (const table of report.tables) {
    context.output.line(`${table.title} (total ${table.total ?? "withheld"})`);
    for (const cell of table.cells) context.output.line(`  ${cell.key}: ${cell.count ?? "withheld"}`);
  }
  for (const times of report.redressTimes) {
    context.output.line(
      times.withheld
        ? `redress ${times.kind}: time to resolution withheld (fewer than ${report.threshold} resolved)`
        : `redress ${times.kind}: median ${times.medianDays} days, p90 ${times.p90Days} days to resolution`,
    );
  }
  for (const note of report.notes) context.output.line(`note: ${note}`);
}
