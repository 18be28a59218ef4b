import type { Command } from "commander";
import { UsageProblem } from "../usage-problem.ts";

/**
 * The lowest `--rate`: one record in about 17 minutes (the engine's MIN_SIMULATION_RATE, repeated
 * here so `--help` and a usage error need not load the engine).
 */
const MIN_RATE = 0.001;

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
 * until interrupted (or `--count` records, or no one is left). Linkage and the projections catch
 * up first, so a person sent a departure by an earlier run is not sent another. Ctrl-C (SIGINT)
 * or SIGTERM stops it cleanly: the records in flight are committed and the summary printed.
 */
export function registerSimulateCommand(program: Command): void {
  const simulate = program
    .command("simulate")
    .description("in-repo fakes of external systems, for demos and load");
  simulate
    .command("departures")
    .description("stream departure records (exit manifests, removals, VD verifications, self-reports)")
    .requiredOption("--rate <n>", `records per second, ${MIN_RATE} to 10000`, (text) =>
      rate("--rate", text, MIN_RATE, 10_000),
    )
    .option(
      "--count <n>",
      "stop after this many records, a whole number (default: until interrupted or no one is left)",
      (text) => positiveInteger("--count", text, 100_000_000),
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

function rate(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageProblem(
      `${flag} must be a number from ${min} to ${max} (records per second), got "${text}"`,
    );
  }
  return value;
}

function positiveInteger(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageProblem(`${flag} must be a whole number from 1 to ${max}, got "${text}"`);
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
