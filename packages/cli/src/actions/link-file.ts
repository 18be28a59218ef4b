import { linkFiles } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { LinkFileOptions } from "../commands/link-file.ts";
import { printLinkEvaluation } from "./print-link-evaluation.ts";

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
  for (const dates of summary.unparsedDates) {
    context.output.note(
      `warning: ${dates.unparsed} of ${dates.present} dates in column "${dates.column}" do not match ${dates.format} (e.g. "${dates.example}") and counted as missing`,
    );
  }
  if (summary.defaultParameters !== null) {
    context.output.note(
      `warning: linked with built-in default parameters, not trained ones (${summary.defaultParameters})`,
    );
  }
  if (context.output.json) {
    context.output.document(summary);
    return;
  }
  const evaluation = summary.evaluation;
  if (evaluation) printLinkEvaluation(context.output, { ...evaluation, thresholds: evaluation.table });
  context.output.line(
    `records=${summary.records} pairs=${summary.pairs} links=${summary.links} review=${summary.review} clusters=${summary.clusters} held=${summary.held}`,
  );
}
