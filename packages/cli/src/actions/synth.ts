import { isPassageError } from "@passage/core";
import { writeSyntheticPopulation } from "@passage/engine";
import { NOISE_KINDS, type NoiseKind, SynthErrors } from "@passage/synth";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { NOISE_FLAGS } from "../commands/synth.ts";
import { createProgress } from "../progress.ts";

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

/** The flag that sets each option of the generator, whose refusals name the option. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  persons: "--persons",
  seed: "--seed",
  asOf: "--as-of",
  malformedRate: "--malformed-rate",
  flights: "--flights",
  ...Object.fromEntries(NOISE_KINDS.map((kind) => [`noise.${kind}`, `--${NOISE_FLAGS[kind]}`])),
};

/** The generator's refusal of an option (`asOf: ...`) as a refusal of its flag (`--as-of: ...`). */
function namingTheFlag(error: unknown): unknown {
  if (!isPassageError(error) || error.code !== SynthErrors.invalidOption.code) return error;
  const option = error.details?.option;
  if (typeof option !== "string" || !Object.hasOwn(FLAG_OF_OPTION, option)) return error;
  const prefix = `${option}: `;
  if (!error.message.startsWith(prefix)) return error;
  return SynthErrors.invalidOption.create(FLAG_OF_OPTION[option]!, error.message.slice(prefix.length));
}

/** `passage synth`: writes a synthetic population with its ground truth. */
export async function writeSynthPopulation(
  options: Record<string, string | boolean | undefined>,
  self: Command,
): Promise<void> {
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
  } catch (error) {
    throw namingTheFlag(error);
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
}
