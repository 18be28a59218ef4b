import type { NoiseKind } from "@passage/synth";
import type { Command } from "commander";

/**
 * The command-line flag of each noise rate, in the order of NOISE_KINDS of @passage/synth (the
 * record type requires every kind; a test checks the order), so that registering the command
 * loads no part of the generator.
 */
export const NOISE_FLAGS: Readonly<Record<NoiseKind, string>> = {
  typo: "typo-rate",
  transliteration: "transliteration-rate",
  nameSwap: "name-swap-rate",
  surnameForm: "surname-form-rate",
  dobSwap: "dob-swap-rate",
  dobPlaceholder: "dob-placeholder-rate",
  missingField: "missing-field-rate",
  secondANumber: "second-a-number-rate",
  passportRenewal: "passport-renewal-rate",
};

/**
 * `passage synth --persons N --seed S --out DIR [--as-of DATE] [--gzip] [noise options]` (CLI.md):
 * writes a deterministic synthetic population with its ground truth. Never starts the database.
 */
export function registerSynthCommand(program: Command): void {
  const command = program
    .command("synth")
    .description(
      "generate a synthetic population: one CSV per feed, truth.csv, truth.lifecycle.ndjson, summary.json",
    )
    .requiredOption("--out <dir>", "output directory (created if missing)")
    .option("--persons <n>", "persons to generate", "20000")
    .option(
      "--seed <s>",
      "seed: the same seed, options and --as-of (default: today) give byte-identical files",
      "1",
    )
    .option(
      "--as-of <date>",
      "reference date YYYY-MM-DD: every event is on or before it (default: today, UTC)",
    )
    .option("--gzip", "write <feed>.csv.gz instead of <feed>.csv")
    .option("--flights <n>", "removal flights in the inventory (default: persons / 100, at least 24)")
    .option("--workers <n>", "worker threads generating persons (default: the cores available; 0: none)")
    .option("--malformed-rate <r>", "share of rows that also get a deliberately malformed copy (default 0)")
    .option("--no-noise", "generate every row without noise");
  for (const [kind, flag] of Object.entries(NOISE_FLAGS))
    command.option(`--${flag} <r>`, `rate of ${kind} noise`);
  command.action(async (options: Record<string, string | boolean | undefined>, self: Command) => {
    const { writeSynthPopulation } = await import("../actions/synth.ts");
    await writeSynthPopulation(options, self);
  });
}
