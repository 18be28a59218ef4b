import { writeSyntheticPopulation } from "@passage/engine";
import { NOISE_KINDS, type NoiseKind, SynthErrors } from "@passage/synth";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { createProgress } from "../progress.ts";

/** The command-line flag of each noise rate. */
const NOISE_FLAGS: Readonly<Record<NoiseKind, string>> = {
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

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

function wholeNumberOrThrow(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,12}$/.test(text.trim()))
    throw SynthErrors.invalidOption.create(`--${flag}`, `"${text}" is not a whole number`);
  return Number(text);
}

function rateOrThrow(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
    throw SynthErrors.invalidOption.create(`--${flag}`, `"${text}" is not a rate between 0 and 1`);
  }
  return Number(trimmed);
}

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
    .option("--seed <s>", "seed: the same seed and options give byte-identical files", "1")
    .option(
      "--as-of <date>",
      "reference date YYYY-MM-DD: every event is on or before it (default: today, UTC)",
    )
    .option("--gzip", "write <feed>.csv.gz instead of <feed>.csv")
    .option("--flights <n>", "removal flights in the inventory (default: persons / 100, at least 24)")
    .option("--workers <n>", "worker threads generating persons (default: the cores available; 0: none)")
    .option("--malformed-rate <r>", "share of rows that also get a deliberately malformed copy (default 0)")
    .option("--no-noise", "generate every row without noise");
  for (const kind of NOISE_KINDS) command.option(`--${NOISE_FLAGS[kind]} <r>`, `rate of ${kind} noise`);
  command.action(async (options: Record<string, string | boolean | undefined>, self: Command) => {
    const context = createCommandContext(self);
    if (typeof options.out !== "string" || options.out.trim() === "") {
      throw SynthErrors.invalidOption.create("--out", "must name a directory");
    }
    const noise: Partial<Record<NoiseKind, number>> = {};
    for (const kind of NOISE_KINDS) {
      const flag = NOISE_FLAGS[kind];
      const rate = rateOrThrow(flag, options[camel(flag)] as string | undefined);
      if (options.noise === false) noise[kind] = 0;
      if (rate !== undefined) noise[kind] = rate;
    }
    const progress = createProgress("synth", "persons");
    let summary: Awaited<ReturnType<typeof writeSyntheticPopulation>>;
    try {
      summary = await writeSyntheticPopulation({
        outDir: options.out as string,
        gzip: options.gzip === true,
        workers: wholeNumberOrThrow("workers", options.workers as string | undefined),
        synth: {
          persons: wholeNumberOrThrow("persons", options.persons as string),
          seed: options.seed as string,
          asOf: options.asOf as string | undefined,
          flights: wholeNumberOrThrow("flights", options.flights as string | undefined),
          malformedRate: rateOrThrow("malformed-rate", options.malformedRate as string | undefined),
          noise,
        },
        onProgress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.stop();
    }
    if (context.output.json) {
      context.output.document(summary);
      return;
    }
    const rows = Object.values(summary.records).reduce((sum, feed) => sum + feed.rows, 0);
    context.output.line(`wrote ${summary.files.length} files to ${options.out}`);
    for (const [feed, counts] of Object.entries(summary.records)) {
      context.output.line(`  ${feed.padEnd(16)} rows=${counts.rows} records=${counts.keys}`);
    }
    context.output.line(
      `persons=${summary.persons} rows=${rows} actionable=${summary.actionable} ambiguous=${summary.ambiguous} ` +
        `seed=${summary.seed} as_of=${summary.asOf}`,
    );
  });
}
