import type { Command } from "commander";
import { UsageProblem } from "../usage-problem.ts";

/** Options of `passage simulate departures`. */
export interface DeparturesOptions {
  readonly rate: number;
  readonly count?: number;
  readonly selfReportShare?: number;
  readonly corroborationShare?: number;
}

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
    .action(async (options: DeparturesOptions, command: Command) => {
      const { simulateDepartureStream } = await import("../actions/simulate.ts");
      await simulateDepartureStream(options, command);
    });
}

function positiveNumber(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new UsageProblem(`${flag} must be a number above 0 and at most ${max}, got "${text}"`);
  }
  return value;
}

function share(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageProblem(`${flag} must be a number from 0 to 1, got "${text}"`);
  }
  return value;
}
