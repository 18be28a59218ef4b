import { simulateDepartures } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";

/**
 * `passage simulate departures --rate N`: an in-repo fake of the departure systems streaming
 * departure records for persons still here, through the same row ingestor as any streamed feed,
 * until interrupted (or `--count` records).
 */
export function registerSimulateCommand(program: Command): void {
  const simulate = program
    .command("simulate")
    .description("in-repo fakes of external systems, for demos and load");
  simulate
    .command("departures")
    .description("stream departure records (exit manifests, removals, VD verifications, self-reports)")
    .requiredOption("--rate <n>", "records per second", (text) => positiveNumber("--rate", text, 10_000))
    .option("--count <n>", "stop after this many records (default: until interrupted)", (text) =>
      positiveNumber("--count", text, 100_000_000),
    )
    .option("--self-report-share <x>", "share of self-reports (claimed departures), 0 to 1", (text) =>
      share("--self-report-share", text),
    )
    .option("--corroboration-share <x>", "share of self-reports later corroborated, 0 to 1", (text) =>
      share("--corroboration-share", text),
    )
    .action(
      async (
        options: { rate: number; count?: number; selfReportShare?: number; corroborationShare?: number },
        command: Command,
      ) => {
        const context = createCommandContext(command);
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
        try {
          const report = await context.withApp((app) =>
            simulateDepartures(app.store, {
              rate: options.rate,
              count: options.count,
              selfReportShare: options.selfReportShare,
              corroborationShare: options.corroborationShare,
              signal: stop.signal,
              onRecord: (result, row) => {
                if (!context.output.json) {
                  context.output.note(`${row.evidence} ${row.departure_id} -> ${result.outcome}`);
                }
              },
            }),
          );
          if (context.output.json) context.output.document(report);
          else
            context.output.line(
              `sent=${report.sent} rejected=${report.rejected} by evidence: ${JSON.stringify(report.byEvidence)}`,
            );
        } finally {
          process.removeListener("SIGINT", onSignal);
          process.removeListener("SIGTERM", onSignal);
        }
      },
    );
}

function positiveNumber(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw CliErrors.usage.create(`${flag} must be a number above 0 and at most ${max}, got "${text}"`);
  }
  return value;
}

function share(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw CliErrors.usage.create(`${flag} must be a number from 0 to 1, got "${text}"`);
  }
  return value;
}
