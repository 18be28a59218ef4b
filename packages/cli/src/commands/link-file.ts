import { linkFiles } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";

interface LinkFileOptions {
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
    .option("--input <file.csv>", "input CSV (give once to deduplicate, twice to link across)", collect, [])
    .requiredOption("--out <pairs.csv>", "every scored pair: left_id,right_id,match_weight,match_probability")
    .option("--clusters <clusters.csv>", "each record's cluster: id,cluster_id")
    .option("--evaluate <truth-column>", "evaluate against a column holding each row's true person")
    .option("--model-out <model.json>", "also write the trained model artefact (reusable as --config)")
    .action((options: LinkFileOptions, command: Command) => {
      const context = createCommandContext(command);
      if (options.input.length < 1 || options.input.length > 2) {
        throw CliErrors.usage.create(
          `give --input once (dedupe) or twice (link across), not ${options.input.length} times`,
        );
      }
      const summary = linkFiles({
        configFile: options.config,
        inputFiles: options.input,
        pairsFile: options.out,
        clustersFile: options.clusters,
        truthColumn: options.evaluate,
        modelFile: options.modelOut,
      });
      if (context.output.json) {
        context.output.document(summary);
        return;
      }
      const evaluation = summary.evaluation;
      if (evaluation) {
        const { precision, recall, f1 } = evaluation.pairwise;
        context.output.line(
          `precision=${precision.toFixed(6)} recall=${recall.toFixed(6)} f1=${f1.toFixed(6)}`,
        );
        context.output.line("threshold  precision  recall     f1");
        for (const row of evaluation.table) {
          context.output.line(
            `${String(row.threshold).padEnd(10)} ${row.precision.toFixed(6)}   ${row.recall.toFixed(6)}   ${row.f1.toFixed(6)}`,
          );
        }
        const clusters = evaluation.clusters;
        context.output.line(
          `clusters: predicted=${clusters.predictedPersons} true=${clusters.truePersons} exact=${clusters.exactClusters} ` +
            `split=${clusters.truePersonsSplit} merged=${clusters.clustersMergingPersons} ` +
            `b-cubed precision=${clusters.bCubedPrecision.toFixed(6)} recall=${clusters.bCubedRecall.toFixed(6)}`,
        );
      }
      context.output.line(
        `records=${summary.records} pairs=${summary.pairs} links=${summary.links} review=${summary.review} clusters=${summary.clusters}`,
      );
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
