import type { Command } from "commander";

/** Options of `passage link`. */
export interface LinkOptions {
  readonly evaluate?: string;
  readonly train?: boolean;
  readonly modelOut?: string;
}

/**
 * `passage link [--evaluate TRUTH] [--train] [--model-out FILE]` (CLI.md): links the records table
 * into persons with one model, honouring every human decision and keeping person ids stable.
 * With `--evaluate truth.csv` (`passage synth`'s `feed,key,person_id`) the first stdout line is
 * exactly `precision=P recall=R f1=F` — pairwise at the auto-link threshold, review-band pairs
 * counting as not linked — then the precision-recall table, cluster figures and the review band.
 * Progress goes to stderr.
 */
export function registerLinkCommand(program: Command): void {
  program
    .command("link")
    .description("link the records table into persons (batch); the incremental handler links new records")
    .option(
      "--evaluate <truth.csv>",
      "compare with a truth file (feed,key,person_id), e.g. from passage synth",
    )
    .option(
      "--train",
      "train a new model even when one is active (default: reuse the active model, retraining once the table has doubled since it was trained)",
    )
    .option(
      "--model-out <model.json>",
      "write the model used (a versioned artefact, reloadable) to this file",
    )
    .action(async (options: LinkOptions, command: Command) => {
      const { linkRecords } = await import("../actions/link.ts");
      await linkRecords(options, command);
    });
}
