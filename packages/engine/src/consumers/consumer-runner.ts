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
        onWake: () => {
          for (const loop of loops) loop.wake();
        },
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
