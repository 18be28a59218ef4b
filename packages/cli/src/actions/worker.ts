import { CoreErrors, FEEDS, isFeed } from "@passage/core";
import {
  createApp,
  createProjectionHandlers,
  createStderrLogger,
  type FeedSubscriber,
  type PartitionWorker,
  parsePartitionOrThrow,
  resolveHandlerNamesOrThrow,
  startFeedSubscriber,
  startPartitionWorker,
} from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { WorkerOptions } from "../commands/worker.ts";

/** `passage worker`: applies projection handlers to one outbox partition until stopped. */
export async function runPartitionWorker(options: WorkerOptions, command: Command): Promise<void> {
  const context = createCommandContext(command);
  // Everything is checked before the database starts: a typo fails at once.
  const feeds = listOf(options.feeds, "--feeds");
  if (!options.partition && !feeds) throw CliErrors.usage.create("give --partition I/N, --feeds, or both");
  for (const feed of feeds ?? []) if (!isFeed(feed)) throw CoreErrors.unknownFeed.create(feed, FEEDS);
  const partition = options.partition ? parsePartitionOrThrow(options.partition) : undefined;
  const batchSize = Number(options.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw CliErrors.usage.create(
      `--batch-size must be an integer from 1 to 100000, got "${options.batchSize}"`,
    );
  }
  const names = partition ? resolveHandlerNamesOrThrow(listOf(options.handlers, "--handlers")) : [];
  const config = context.config();
  const app = await createApp(config);
  let worker: PartitionWorker | undefined;
  let subscriber: FeedSubscriber | undefined;
  try {
    if (partition) {
      const handlers = createProjectionHandlers({ config, db: app.store.db }, names);
      worker = await startPartitionWorker({
        db: app.store.db,
        nats: config.nats,
        partition,
        handlers,
        batchSize,
        logger: createStderrLogger(`worker ${options.partition}`, config.logLevel),
      });
      context.output.note(`worker ${options.partition}: ${names.join(", ")} (durable ${worker.durableName})`);
    }
    if (feeds) {
      subscriber = await startFeedSubscriber({
        pool: app.store.pool,
        nats: config.nats,
        feeds,
        logger: createStderrLogger("feeds", config.logLevel),
      });
      context.output.note(
        `worker: ingesting rows streamed on ${feeds.map((feed) => `passage.feed.${feed}`).join(", ")}`,
      );
    }
    context.output.note("SIGINT or SIGTERM stops the worker");
    // A worker whose partition layout is not the handlers' cannot apply anything: it fails at once
    // (`error CODE: message`, non-zero exit) instead of retrying and looking healthy.
    const stop = new AbortController();
    const outcome = await Promise.race([untilStopSignal(stop.signal), ...(worker ? [worker.halted] : [])]);
    stop.abort();
    if (outcome instanceof Error) throw outcome;
    const signal = outcome;
    await worker?.stop();
    await subscriber?.stop();
    const status = {
      stoppedBy: signal,
      partition: worker?.status() ?? null,
      feeds: subscriber?.status() ?? null,
    };
    if (context.output.json) context.output.document(status);
    else context.output.line(describe(status));
  } finally {
    await worker?.stop();
    await subscriber?.stop();
    await app.shutdown();
  }
}

/**
 * A comma-separated option's items; undefined when the option was not given. Given but naming
 * nothing (`--handlers ,`, `--handlers ""`) is a usage error: it must not mean "every handler".
 */
export function listOf(text: string | undefined, option: string): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  if (items.length === 0) {
    throw CliErrors.usage.create(
      `${option} names nothing ("${text}"): give a comma-separated list, or leave ${option} out`,
    );
  }
  return items;
}

/** The one-line stop summary: signals and events applied, rows ingested, rejected and refused. */
export function describe(status: {
  stoppedBy: string;
  partition: ReturnType<PartitionWorker["status"]> | null;
  feeds: ReturnType<FeedSubscriber["status"]> | null;
}): string {
  const parts = [`worker stopped (${status.stoppedBy})`];
  if (status.partition) {
    const applied = status.partition.consumers.map((consumer) => `${consumer.consumer}:${consumer.applied}`);
    parts.push(`signals=${status.partition.signalsAcknowledged} applied=${applied.join(",")}`);
  }
  if (status.feeds) {
    const { ingested, rejected, refused } = status.feeds;
    parts.push(`rows ingested=${ingested} rejected=${rejected} messages refused=${refused}`);
  }
  return parts.join(": ");
}

/**
 * Resolves with the signal's name at the first SIGINT or SIGTERM: a service's normal stop. An
 * abort (the service stopped for another reason) removes the listeners; the promise then stays
 * pending.
 */
export function untilStopSignal(abort?: AbortSignal): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const remove = () => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
    };
    const stop = (signal: NodeJS.Signals) => {
      remove();
      resolve(signal);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    abort?.addEventListener("abort", remove, { once: true });
  });
}
