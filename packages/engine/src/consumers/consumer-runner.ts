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

/** Backoff after a failed batch: doubling from 200 ms up to 30 s, so a poison event does not spin. */
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 30_000;

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
  const loops: Promise<void>[] = [];
  const wanted = new Set<OutboxConsumer>();
  const waiters = new Map<OutboxConsumer, () => void>();

  const wake = (consumer: OutboxConsumer) => {
    wanted.add(consumer);
    const resume = waiters.get(consumer);
    waiters.delete(consumer);
    resume?.();
  };
  const pause = (consumer: OutboxConsumer, milliseconds?: number) =>
    new Promise<void>((resolve) => {
      const timer = milliseconds === undefined ? undefined : setTimeout(resolve, milliseconds);
      waiters.set(consumer, () => {
        if (timer) clearTimeout(timer);
        resolve();
      });
    });

  async function loop(consumer: OutboxConsumer): Promise<void> {
    let failures = 0;
    while (running) {
      if (!wanted.has(consumer)) await pause(consumer);
      if (!running) break;
      wanted.delete(consumer);
      try {
        await consumer.drain({ shouldStop: () => !running });
        failures = 0;
      } catch (error) {
        failures++;
        const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (failures - 1));
        logger.warn(
          { consumer: consumer.name, error: (error as Error).message, retryInMs: delay },
          "consumer failed",
        );
        await pause(consumer, delay);
        wanted.add(consumer);
      }
    }
  }

  return {
    consumers: consumers.map((consumer) => consumer.name),
    async start() {
      if (running) return;
      running = true;
      for (const consumer of consumers) loops.push(loop(consumer));
      watcher = await watchOutbox({
        pool: options.pool,
        fallbackPollMs: options.fallbackPollMs,
        logger,
        onWake: () => {
          for (const consumer of consumers) wake(consumer);
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
      for (const consumer of consumers) wake(consumer);
      await Promise.all(loops.splice(0));
      logger.info({}, "outbox consumers stopped");
    },
  };
}
