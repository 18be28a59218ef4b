import { linkFiles } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { LinkFileOptions } from "../commands/link-file.ts";

/** `passage link-file`: links the CSV files to the files asked for; never touches the database. */
export function linkCsvFiles(options: LinkFileOptions, command: Command): void {
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
    context.output.line(`precision=${precision.toFixed(6)} recall=${recall.toFixed(6)} f1=${f1.toFixed(6)}`);
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
}
