import { access, constants, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildOversightReport, type OversightReport } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";

/** `passage report [--out DIR]`: the oversight report, printed or written as files. */
export async function printOversightReport(options: { out?: string }, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const directory = options.out === undefined ? undefined : path.resolve(options.out);
  // Checked before the report is built: a directory that cannot be written fails at once.
  if (directory) await unwritableAsError(directory, () => writableDirectory(directory));
  const report = await context.withApp((app) => buildOversightReport(app.store.db));
  if (directory) {
    await unwritableAsError(directory, () => writeReportFiles(directory, report));
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

async function writableDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  await access(directory, constants.W_OK);
}

/** The three files, each written beside its name and renamed once all are written: all or none. */
async function writeReportFiles(directory: string, report: OversightReport): Promise<void> {
  const { oversightReportCsv, oversightReportHtml } = await import("@passage/server");
  const files: [string, string][] = [
    ["oversight.json", `${JSON.stringify(report, null, 2)}\n`],
    ["oversight.csv", oversightReportCsv(report)],
    ["oversight.html", oversightReportHtml(report)],
  ];
  const partial = (name: string) => path.join(directory, `.${name}.partial`);
  try {
    for (const [name, content] of files) await writeFile(partial(name), content);
    for (const [name] of files) await rename(partial(name), path.join(directory, name));
  } finally {
    for (const [name] of files) await rm(partial(name), { force: true });
  }
}

async function unwritableAsError(directory: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== "string") throw error;
    throw CliErrors.outputUnwritable.create(directory, `${code} (${(error as Error).message})`);
  }
}
