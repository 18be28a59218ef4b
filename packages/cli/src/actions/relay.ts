import { createApp, createStderrLogger, startOutboxRelay } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { untilStopSignal } from "./worker.ts";

/**
 * `passage relay`: publishes the outbox to NATS until SIGINT or SIGTERM, or until workers of another
 * partition count run (it refuses to start while they do).
 */
export async function runOutboxRelay(command: Command): Promise<void> {
  const context = createCommandContext(command);
  const config = context.config();
  const app = await createApp(config);
  try {
    const relay = await startOutboxRelay({
      db: app.store.db,
      pool: app.store.pool,
      nats: config.nats,
      logger: createStderrLogger("relay", app.config.logLevel),
    });
    context.output.note(
      `relay: publishing the outbox to stream ${config.nats.stream} (${config.nats.partitions} partitions, ` +
        `${config.nats.replicas} replicas) on ${config.nats.servers.join(", ")}; SIGINT or SIGTERM stops it`,
    );
    // A relay whose partition count running workers do not read fails (`error CODE: message`,
    // non-zero exit) instead of publishing to subjects no worker reads.
    const stop = new AbortController();
    const outcome = await Promise.race([untilStopSignal(stop.signal), relay.halted]);
    stop.abort();
    await relay.stop();
    if (outcome instanceof Error) throw outcome;
    const signal = outcome;
    const status = relay.status();
    if (context.output.json) {
      context.output.document({
        stoppedBy: signal,
        consumer: status.consumer,
        published: status.published,
        offset: status.offset ?? null,
        lastError: status.lastError ?? null,
      });
    } else
      context.output.line(
        `relay stopped (${signal}): published=${status.published} offset=${status.offset ?? "-"}`,
      );
  } finally {
    await app.shutdown();
  }
}
