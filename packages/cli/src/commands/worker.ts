import type { Command } from "commander";

/** Options of `passage worker`. */
export interface WorkerOptions {
  readonly partition?: string;
  readonly handlers?: string;
  readonly feeds?: string;
  readonly batchSize: string;
}

/**
 * `passage worker --partition I/N [--handlers a,b] [--feeds f,g]`: runs projection handlers for
 * one partition of the outbox, driven by the relay's JetStream signals, and/or ingests the rows
 * streamed on `passage.feed.<feed>`, until SIGINT or SIGTERM (exit 0).
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description(
      "apply projection handlers to one partition of the outbox (fed by `passage relay` over NATS)",
    )
    .option(
      "--partition <I/N>",
      "the partition to consume: I of N (0 <= I < N; N as PASSAGE_NATS_PARTITIONS)",
    )
    .option("--handlers <names>", "comma-separated handler names (default: every registered handler)")
    .option("--feeds <names>", "also ingest the rows streamed on passage.feed.<feed> for these feeds")
    .option("--batch-size <n>", "events applied per transaction", "500")
    .action(async (options: WorkerOptions, command: Command) => {
      const { runPartitionWorker } = await import("../actions/worker.ts");
      await runPartitionWorker(options, command);
    });
}
