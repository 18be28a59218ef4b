import type { Command } from "commander";
import { collectValues } from "../collect-values.ts";

/** Options of `passage link-file`. */
export interface LinkFileOptions {
  readonly config: string;
  readonly input: string[];
  readonly out: string;
  readonly clusters?: string;
  readonly evaluate?: string;
  readonly modelOut?: string;
}

/**
 * `passage link-file --config M --input A [--input B] --out PAIRS [--clusters C]` (CLI.md):
 * stateless file-to-file linkage of any person-like CSV. It never starts or touches the
 * database and stores nothing beyond the files it is asked to write.
 */
export function registerLinkFileCommand(program: Command): void {
  program
    .command("link-file")
    .description(
      "link person-like CSV files by a model.json (one input: dedupe; two: link across); no database",
    )
    .requiredOption("--config <model.json>", "id column and compared columns with kinds, or a trained model")
    .option(
      "--input <file.csv>",
      "input CSV (give once to deduplicate, twice to link across)",
      collectValues,
      [],
    )
    .requiredOption(
      "--out <pairs.csv>",
      "every scored pair: left_id,right_id,match_weight,match_probability,decision",
    )
    .option("--clusters <clusters.csv>", "each record's cluster: id,cluster_id")
    .option("--evaluate <truth-column>", "evaluate against a column holding each row's true person")
    .option("--model-out <model.json>", "also write the trained model artefact (reusable as --config)")
    .action(async (options: LinkFileOptions, command: Command) => {
      const { linkCsvFiles } = await import("../actions/link-file.ts");
      linkCsvFiles(options, command);
    });
}
