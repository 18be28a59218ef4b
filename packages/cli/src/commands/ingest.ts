import { checkIngestArgumentsOrThrow, ingestFile } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import { createProgress } from "../progress.ts";

/**
 * `passage ingest FEED FILE` (CLI.md): the last stdout line is exactly
 * `read=N new=N corrected=N unchanged=N rejected=N`; rejected rows go to `FILE.rejects.ndjson`
 * and still exit 0. An unknown feed, a missing file or a refused column exits non-zero.
 */
export function registerIngestCommand(program: Command): void {
  program
    .command("ingest")
    .description("ingest a source file of one feed (CSV or NDJSON, optionally .gz) into the records table")
    .argument("<feed>", "feed of SOURCES.md (visa, admission, departure, benefit, court, custody, ...)")
    .argument("<file>", "file to ingest: .csv, .ndjson or .jsonl, optionally .gz")
    .option("--batch-size <rows>", "rows per transaction", parseBatchSize)
    .action(async (feed: string, file: string, options: { batchSize?: number }, command: Command) => {
      const context = createCommandContext(command);
      checkIngestArgumentsOrThrow(feed, file);
      const summary = await context.withApp(async (app) => {
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
      });
      const counts = {
        read: summary.read,
        new: summary.new,
        corrected: summary.corrected,
        unchanged: summary.unchanged,
        rejected: summary.rejected,
      };
      if (context.output.json) {
        context.output.document({
          feed: summary.feed,
          file: summary.file,
          ...counts,
          rejectsFile: summary.rejectsFile,
        });
        return;
      }
      if (summary.rejected > 0)
        context.output.line(`rejected rows and their reasons: ${summary.rejectsFile}`);
      context.output.line(
        `read=${counts.read} new=${counts.new} corrected=${counts.corrected} unchanged=${counts.unchanged} rejected=${counts.rejected}`,
      );
    });
}

function parseBatchSize(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) {
    throw CliErrors.usage.create(`--batch-size must be a whole number from 1 to 100000, got "${text}"`);
  }
  return value;
}
