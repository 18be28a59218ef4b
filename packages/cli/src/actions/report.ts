import path from "node:path";
import {
  buildOversightReport,
  prepareOutputDirectoryOrThrow,
  writeOutputFilesOrThrow,
} from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";

/** `passage report [--out DIR]`: the oversight report (`report.read`, audited), printed or written as files. */
export async function printOversightReport(options: { out?: string }, command: Command): Promise<void> {
  const context = createCommandContext(command);
  // An empty --out (an unset shell variable, say) resolved to the working directory, and the
  // report was written there and printed as well; it names no directory, so it is refused.
  if (options.out !== undefined && options.out.trim() === "") {
    throw CliErrors.usage.create(
      "--out needs a directory, got an empty one; leave --out out to print the report instead",
    );
  }
  const directory = options.out === undefined ? undefined : path.resolve(options.out);
  // Checked before the report is built: a directory that cannot be written fails at once.
  if (directory) await prepareOutputDirectoryOrThrow(directory, unwritableIn(directory));
  const report = await context.withCurrentApp(async (app) => {
    const access = await context.access(app);
    return access.run("report.read", { type: "Report", id: "oversight" }, () =>
      buildOversightReport(app.store.db),
    );
  });
  if (directory) {
    const { oversightReportCsv, oversightReportHtml } = await import("@passage/server");
    await writeOutputFilesOrThrow(
      directory,
      [
        ["oversight.json", `${JSON.stringify(report, null, 2)}\n`],
        ["oversight.csv", oversightReportCsv(report)],
        ["oversight.html", oversightReportHtml(report)],
      ],
      unwritableIn(directory),
    );
    if (!context.output.json) {
      context.output.line(
        `wrote ${["oversight.json", "oversight.csv", "oversight.html"].map((name) => path.join(directory, name)).join(", ")}`,
      );
    }
  }
  if (context.output.json) return context.output.document(report);
  if (directory) return;
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
  if (report.policies.length === 0) context.output.line("policy versions: none activated yet");
  for (const policy of report.policies) {
    context.output.line(
      `policy ${policy.policyId} ${policy.version} (${policy.active ? "in force" : "replaced"}), activated ${policy.activatedAt}: ${policy.reason} [${policy.digest.slice(0, 12)}]`,
    );
  }
  for (const note of report.notes) context.output.line(`note: ${note}`);
}

function unwritableIn(directory: string) {
  return (reason: string) => CliErrors.outputUnwritable.create(directory, reason);
}
