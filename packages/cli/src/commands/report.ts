import type { Command } from "commander";

/**
 * `passage report [--out DIR]` (issue 6): the oversight report — aggregates safe to publish, small
 * cells withheld — as `DIR/oversight.json`, `DIR/oversight.csv` and `DIR/oversight.html` (charts
 * rendered to SVG). Without `--out`, prints the tables (or the JSON document with `--json`).
 */
export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .description("oversight report: aggregates safe to publish (counts under 11 withheld), CSV and HTML")
    .option("--out <dir>", "write oversight.json, oversight.csv and oversight.html here")
    .action(async (options: { out?: string }, command: Command) => {
      const { printOversightReport } = await import("../actions/report.ts");
      await printOversightReport(options, command);
    });
}
