import type { Database } from "@passage/store";
import { latestOutboxPosition } from "@passage/store";
import type { Kysely } from "kysely";
import type pg from "pg";
import { type ConsumerLag, measureLag } from "./consumer-lag.ts";
import { type ConsumerLogger, SILENT_LOGGER } from "./consumer-logger.ts";
import { type EventHandler, validateHandlersOrThrow } from "./event-handler.ts";
import {
  type BatchReport,
  type ConsumerStatus,
  createOutboxConsumer,
  type OutboxConsumer,
} from "./outbox-consumer.ts";
import { type OutboxWatcher, watchOutbox } from "./outbox-watcher.ts";
import { partitionsOf } from "./partition.ts";
import { startWakeLoop, type WakeLoop } from "./wake-loop.ts";

export interface ConsumerRunnerOptions {
  readonly db: Kysely<Database>;
  /** The pool that lends the LISTEN connection (held for as long as the runner is started). */
  readonly pool: pg.Pool;
  readonly handlers: readonly EventHandler[];
  /** Partitions per handler, each with its own offset and run concurrently (default 1: the whole outbox). */
  readonly partitions?: number | undefined;
  /** Events applied per transaction (default 500). */
  readonly batchSize?: number | undefined;
  /** Slow poll covering a lost notification (default 5 s). */
  readonly fallbackPollMs?: number | undefined;
  readonly logger?: ConsumerLogger | undefined;
  /** Called after each committed batch (metrics, benchmarks). */
  readonly onBatch?: ((report: BatchReport) => void) | undefined;
}

/** What `catchUp()` did. */
export interface CatchUpReport {
  /** The last position committed when the catch-up began: every consumer has reached it. */
  readonly position: string;
  /** Events applied during the catch-up, over all consumers. */
  readonly applied: number;
}

/** The in-process runner of every registered handler (ARCHITECTURE.md "Storage and streams"). */
export interface ConsumerRunner {
  /** Offset names of every consumer, e.g. `lifecycle`, or `lifecycle#3/8` when partitioned. */
  readonly consumers: readonly string[];
  /** Starts listening and applying in the background until `stop()`. */
  start(): Promise<void>;
  /**
   * Applies everything committed before the call and returns. Commands that read projections
   * (`passage worklist`, `status`) call it first so what they print is current. Works whether or
   * not the runner is started; throws the first consumer's failure (the others still finish).
   */
  catchUp(): Promise<CatchUpReport>;
  /** Events behind and age of the oldest unprocessed event, per consumer. */
  lag(): Promise<ConsumerLag[]>;
  status(): ConsumerStatus[];
  /** Stops after the batches in flight commit; releases the LISTEN connection. */
  stop(): Promise<void>;
}

/**
 * Builds the in-process runner: one consumer per handler and partition, each woken by
 * LISTEN/NOTIFY (with a slow fallback poll) and draining the outbox in order in batches.
 */
export function createConsumerRunner(options: ConsumerRunnerOptions): ConsumerRunner {
  validateHandlersOrThrow(options.handlers);
  const logger = options.logger ?? SILENT_LOGGER;
  const consumers: OutboxConsumer[] = options.handlers.flatMap((handler) =>
    partitionsOf(options.partitions ?? 1).map((partition) =>
      createOutboxConsumer({
        db: options.db,
        handler,
        partition,
        batchSize: options.batchSize,
        onBatch: options.onBatch,
      }),
    ),
  );
  let running = false;
  let watcher: OutboxWatcher | undefined;
  let loops: WakeLoop[] = [];

  /**
   * Wakes the consumers that may have something to apply: those not known to have read up to
   * `latest`, the position a notification names or, for the fallback poll (and the start), the
   * last position read once for all. A quiet outbox then costs one statement per poll instead of
   * a transaction per consumer (32 in `passage serve`, about 20 ms of the event loop every 5 s,
   * which requests being served waited behind). An offset known here is never ahead of the stored
   * one (offsets only grow), so a consumer skipped has nothing new; when the position cannot be
   * read, every consumer wakes and meets the failure itself.
   */
  async function wakeThoseBehind(latest: string | undefined): Promise<void> {
    let position = latest;
    if (position === undefined) position = await latestOutboxPosition(options.db).catch(() => undefined);
    consumers.forEach((consumer, index) => {
      const offset = consumer.status().offset;
      const caughtUp = position !== undefined && offset !== undefined && BigInt(offset) >= BigInt(position);
      if (!caughtUp) loops[index]?.wake();
    });
  }
  return {
    consumers: consumers.map((consumer) => consumer.name),
    async start() {
      if (running) return;
      running = true;
      loops = consumers.map((consumer) =>
        startWakeLoop({ name: consumer.name, logger, work: (shouldStop) => consumer.drain({ shouldStop }) }),
      );
      watcher = await watchOutbox({
        pool: options.pool,
        fallbackPollMs: options.fallbackPollMs,
        logger,
        onWake: (latest) => void wakeThoseBehind(latest),
      });
      logger.info({ consumers: consumers.map((consumer) => consumer.name) }, "outbox consumers started");
    },
    async catchUp() {
      const position = await latestOutboxPosition(options.db);
      const results = await Promise.allSettled(
        consumers.map((consumer) => consumer.drain({ upTo: position })),
      );
      const failure = results.find((result) => result.status === "rejected");
      if (failure) throw failure.reason;
      const applied = results.reduce(
        (sum, result) => sum + (result.status === "fulfilled" ? result.value : 0),
        0,
      );
      return { position, applied };
    },
    lag() {
      return measureLag(options.db, consumers);
    },
    status() {
      return consumers.map((consumer) => consumer.status());
    },
    async stop() {
      if (!running) return;
      running = false;
      await watcher?.close();
      watcher = undefined;
      await Promise.all(loops.map((loop) => loop.stop()));
      loops = [];
      logger.info({}, "outbox consumers stopped");
    },
  };
}
