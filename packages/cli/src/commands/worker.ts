import {
  createApp,
  createProjectionHandlers,
  createStderrLogger,
  parsePartitionOrThrow,
  resolveHandlerNamesOrThrow,
  startPartitionWorker,
} from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";

/**
 * `passage worker --partition I/N [--handlers a,b]`: runs projection handlers for one partition
 * of the outbox, driven by the relay's JetStream signals, until SIGINT or SIGTERM (exit 0).
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("apply projection handlers to one partition of the outbox, fed by `passage relay` over NATS")
    .requiredOption(
      "--partition <I/N>",
      "the partition to consume: I of N (0 <= I < N; N as PASSAGE_NATS_PARTITIONS)",
    )
    .option("--handlers <names>", "comma-separated handler names (default: every registered handler)")
    .option("--batch-size <n>", "events applied per transaction", "500")
    .action(
      async (options: { partition: string; handlers?: string; batchSize: string }, command: Command) => {
        const context = createCommandContext(command);
        const partition = parsePartitionOrThrow(options.partition);
        const batchSize = Number(options.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
          throw CliErrors.usage.create(
            `--batch-size must be an integer from 1 to 100000, got "${options.batchSize}"`,
          );
        }
        // Checked before the database starts: a typo should fail at once.
        const names = resolveHandlerNamesOrThrow(
          options.handlers
            ?.split(",")
            .map((name) => name.trim())
            .filter((name) => name !== ""),
        );
        const config = context.config();
        const app = await createApp(config);
        try {
          const handlers = createProjectionHandlers({ config, db: app.store.db }, names);
          const worker = await startPartitionWorker({
            db: app.store.db,
            nats: config.nats,
            partition,
            handlers,
            batchSize,
            logger: createStderrLogger(`worker ${options.partition}`),
          });
          context.output.note(
            `worker ${options.partition}: ${handlers.map((handler) => handler.name).join(", ")} ` +
              `(durable ${worker.durableName}); SIGINT or SIGTERM stops it`,
          );
          const signal = await untilStopSignal();
          await worker.stop();
          const status = worker.status();
          if (context.output.json) context.output.document({ stoppedBy: signal, ...status });
          else
            context.output.line(
              `worker stopped (${signal}): signals=${status.signalsAcknowledged} applied=` +
                status.consumers.map((consumer) => `${consumer.consumer}:${consumer.applied}`).join(","),
            );
        } finally {
          await app.shutdown();
        }
      },
    );
}

/** Resolves with the signal's name at the first SIGINT or SIGTERM: a service's normal stop. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      resolve(signal);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
