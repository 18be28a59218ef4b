import type { Command } from "commander";

/**
 * `passage review list | show | decide | explain | unlink` (issue 3): the link review queue and
 * human decisions from the command line, each read and decision audited as the acting user
 * (`--as`) or the local operator, with `--purpose`.
 */
export function registerReviewCommand(program: Command): void {
  const review = program
    .command("review")
    .description("the link review queue: list, show, decide; explain a pair; unlink a record");

  review
    .command("list")
    .description("review items, strongest first")
    .option("--status <status>", "open | closed | all", "open")
    .option("--person <id>", "only items touching this person")
    .option("--limit <n>", "at most this many", "50")
    .option("--offset <n>", "skip this many", "0")
    .action(
      async (
        options: { status: string; person?: string; limit: string; offset: string },
        command: Command,
      ) => {
        const { listReviewItems } = await import("../actions/review.ts");
        await listReviewItems(options, command);
      },
    );

  review
    .command("show")
    .description("one item: both records side by side and each field's weight")
    .argument("<review>", "the review item id")
    .action(async (reviewId: string, _options: unknown, command: Command) => {
      const { showReviewItem } = await import("../actions/review.ts");
      await showReviewItem(reviewId, command);
    });

  review
    .command("decide")
    .description("accept (the records are one person), reject (they are not) or unsure (keep open, escalate)")
    .argument("<review>", "the review item id")
    .requiredOption("--outcome <outcome>", "accept | reject | unsure")
    .requiredOption("--reason <text>", "why (recorded with the decision)")
    .action(async (reviewId: string, options: { outcome: string; reason: string }, command: Command) => {
      const { decideReviewItem } = await import("../actions/review.ts");
      await decideReviewItem(reviewId, options, command);
    });

  review
    .command("explain")
    .description("why two records score as they do: each field's level and weight (the waterfall)")
    .argument("<left>", "FEED:KEY")
    .argument("<right>", "FEED:KEY")
    .action(async (left: string, right: string, _options: unknown, command: Command) => {
      const { explainRecordPair } = await import("../actions/review.ts");
      await explainRecordPair(left, right, command);
    });

  review
    .command("unlink")
    .description("take a record out of its person (cannot-links to its records; the person re-forms)")
    .argument("<record>", "FEED:KEY")
    .requiredOption("--reason <text>", "why (recorded with the decision)")
    .action(async (record: string, options: { reason: string }, command: Command) => {
      const { unlinkRecord } = await import("../actions/review.ts");
      await unlinkRecord(record, options, command);
    });
}
