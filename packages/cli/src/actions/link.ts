import { writeFile } from "node:fs/promises";
import {
  type BatchLinkReport,
  FEW_TRAINING_RECORDS,
  type LinkEvaluation,
  RETRAIN_GROWTH_FACTOR,
  readLinkageTruthFileOrThrow,
} from "@passage/engine";
import type { Command } from "commander";
import { type CommandContext, createCommandContext } from "../cli-context.ts";
import type { LinkOptions } from "../commands/link.ts";
import { createProgress } from "../progress.ts";
import { printLinkEvaluation } from "./print-link-evaluation.ts";

/** `passage link`: links the records table into persons and prints the report. */
export async function linkRecords(options: LinkOptions, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const truth =
    options.evaluate === undefined ? undefined : await readLinkageTruthFileOrThrow(options.evaluate);
  const { report, artefact } = await context.withApp(async (app) => {
    const access = await context.access(app);
    const progress = createProgress("link", "records");
    let report: BatchLinkReport;
    try {
      report = await app.linkage.linkAll(access, {
        train: options.train ?? false,
        truth,
        onProgress: (phase, done) => {
          if (phase === "read" && done !== undefined) progress.update(done);
          else
            context.output.note(
              `link: ${phase === "link" ? "linking (standardise, block, score, cluster)" : "writing persons"}`,
            );
        },
      });
    } finally {
      progress.stop();
    }
    const artefact =
      options.modelOut === undefined
        ? undefined
        : (await app.linkage.activeModel(access, { includeArtefact: true }))?.artefact;
    return { report, artefact };
  });
  if (options.modelOut !== undefined && artefact !== undefined) await writeFile(options.modelOut, artefact);
  const warning = fewRecordsWarning(report);
  if (warning) context.output.note(warning);
  if (context.output.json) {
    context.output.document(report);
    return;
  }
  if (report.evaluation) printEvaluation(context, report.evaluation);
  printReport(context, report);
}

function printEvaluation(context: CommandContext, evaluation: LinkEvaluation): void {
  printLinkEvaluation(
    context.output,
    evaluation,
    `merged_with_different_a_numbers=${evaluation.clusters.mergesWithConflictingIdentifiers} `,
  );
  const band = evaluation.reviewBand;
  context.output.line(
    `review band: pairs=${band.pairs} true_matches=${band.truePairs} queue_items=${band.items} queue_true_matches=${band.trueItems}`,
  );
  context.output.line(
    `evaluated records=${evaluation.evaluatedRecords} of ${evaluation.truthRecords} in the truth file`,
  );
}

/**
 * The stderr warning when the model used holds built-in defaults (its table was too small to
 * train on) or was trained on fewer than FEW_TRAINING_RECORDS records (an older model: its
 * estimates are unreliable, every pair may go to review), and what makes a better one.
 */
export function fewRecordsWarning(report: BatchLinkReport): string | undefined {
  if (report.modelVersion !== null && report.modelDefaultParameters !== null)
    return (
      `warning: model v${report.modelVersion} holds built-in default parameters, not trained ones ` +
      `(${report.modelDefaultParameters}): passage link trains a model once the table holds ${FEW_TRAINING_RECORDS} records`
    );
  const trainedOn = report.modelTrainedOnRecords;
  if (report.modelVersion === null || trainedOn === null || trainedOn >= FEW_TRAINING_RECORDS)
    return undefined;
  return (
    `warning: model v${report.modelVersion} was trained on ${trainedOn} records only (fewer than ${FEW_TRAINING_RECORDS}): ` +
    "its estimates are unreliable and pairs may go to review rather than link; " +
    `passage link trains a new model once the table holds ${trainedOn * RETRAIN_GROWTH_FACTOR} records, ` +
    "or run passage link --train after ingesting more records"
  );
}

/**
 * `model=` of the report line: none, `vN (reused)`, `vN (trained)` or `vN (trained: why)`, and
 * `vN (defaults)` or `vN (defaults: why)` for a new model of built-in defaults (a table too small
 * to train on).
 */
export function modelOfReport(report: BatchLinkReport): string {
  if (report.modelVersion === null) return "none";
  if (!report.trained) return `v${report.modelVersion} (reused)`;
  const made = report.modelDefaultParameters === null ? "trained" : "defaults";
  return `v${report.modelVersion} (${made}${report.trainedBecause ? `: ${report.trainedBecause}` : ""})`;
}

function printReport(context: CommandContext, report: BatchLinkReport): void {
  const model = modelOfReport(report);
  const reasons = Object.entries(report.reviewReasons)
    .map(([reason, count]) => `${reason}=${count}`)
    .join(" ");
  context.output.line(
    `records=${report.records} persons=${report.persons} created=${report.personsCreated} retired=${report.personsRetired} ` +
      `changed=${report.personsChanged} moved=${report.recordsMoved} model=${model}`,
  );
  context.output.line(
    `auto_link_pairs=${report.autoLinkPairs} review_band_pairs=${report.reviewBandPairs} review_items=${report.reviewItems}${reasons ? ` (${reasons})` : ""} ` +
      `persons_with_identity_issues=${report.personsWithIdentityIssues} decisions_honoured=${report.decisionsHonoured}`,
  );
  const seconds = report.seconds;
  context.output.line(
    `seconds: read=${seconds.read.toFixed(1)} engine=${seconds.engine.toFixed(1)} prepare=${seconds.prepare.toFixed(1)} ` +
      `write=${seconds.write.toFixed(1)} total=${seconds.total.toFixed(1)}`,
  );
}
