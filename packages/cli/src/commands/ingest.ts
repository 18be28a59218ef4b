import type { Command } from "commander";
import { UsageProblem } from "../usage-problem.ts";

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
      const { ingestFeedFile } = await import("../actions/ingest.ts");
      await ingestFeedFile(feed, file, options, command);
    });
}

function parseBatchSize(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new UsageProblem(`--batch-size must be a whole number from 1 to 100000, got "${text}"`);
  }
  return value;
}
