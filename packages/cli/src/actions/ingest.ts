import path from "node:path";
import { checkIngestArgumentsOrThrow, ingestCountsOf, ingestFile } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { createProgress } from "../progress.ts";

/**
 * `passage ingest FEED FILE`: ingests the file as the command's actor (`feed.ingest` on the feed,
 * as the HTTP feed route asks; audited when it starts, and when it ends with the counts) and prints
 * the counts line of CLI.md.
 */
export async function ingestFeedFile(
  feed: string,
  file: string,
  options: { batchSize?: number },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  checkIngestArgumentsOrThrow(feed, file);
  const summary = await context.withApp(async (app) => {
    const access = await context.access(app);
    // Batches commit one by one: an ingest killed midway has stored records, and its entry from
    // the start says who stored them.
    return access.run(
      "feed.ingest",
      { type: "Feed", id: feed },
      async () => {
        const progress = createProgress(`ingest ${feed}`, "KiB");
        try {
          return await ingestFile({
            pool: app.store.pool,
            feed,
            file,
            batchSize: options.batchSize,
            onProgress: ({ bytesRead, totalBytes }) =>
              progress.update(Math.round(bytesRead / 1024), Math.round(totalBytes / 1024)),
          });
        } finally {
          progress.stop();
        }
      },
      { file: path.resolve(file) },
      ingestCountsOf,
    );
  });
  const counts = ingestCountsOf(summary);

  if (context.output.json) {
    context.output.document({
      feed: summary.feed,
      file: summary.file,
      ...counts,
      rejectsFile: summary.rejectsFile,
      warnings: summary.warnings,
      warningsFile: summary.warningsFile,
    });
    return;
  }
  if (summary.rejected > 0) context.output.line(`rejected rows and their reasons: ${summary.rejectsFile}`);
  if (summary.warningsFile !== null) {
    context.output.line(
      `warnings=${summary.warnings}: rows stored with a warning (a malformed optional identifier dropped as SOURCES.md says, or a date that cannot be right, kept as received); each line, field and reason: ${summary.warningsFile}`,
    );
  }
  if (summary.heldByRedress > 0) {
    // Counted as unchanged (the last line is CLI.md's); the operator learns the source still sends them.
    context.output.line(
      `heldByRedress=${summary.heldByRedress}: rows re-sending values a redress resolution corrected; the corrections stay current`,
    );
  }
  context.output.line(
    `read=${counts.read} new=${counts.new} corrected=${counts.corrected} unchanged=${counts.unchanged} rejected=${counts.rejected}`,
  );
}
