import { createHash } from "node:crypto";
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JsMsg,
  jetstream,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Database } from "@passage/store";
import type { Kysely } from "kysely";
import { type ConsumerLogger, SILENT_LOGGER } from "../consumers/consumer-logger.ts";
import { type EventHandler, validateHandlersOrThrow } from "../consumers/event-handler.ts";
import {
  type BatchReport,
  type ConsumerStatus,
  createOutboxConsumer,
  isPartitionLayoutError,
} from "../consumers/outbox-consumer.ts";
import type { Partition } from "../consumers/partition.ts";
import { LAYOUT_HEARTBEAT_MS, markLayoutAlive } from "../consumers/partition-layout-guard.ts";
import { startWakeLoop } from "../consumers/wake-loop.ts";
import {
  connectToNats,
  DEFAULT_STARTUP_TIMEOUT_MS,
  decodeSignal,
  ensureEventStream,
  eventSubjectOf,
  jetStreamUnavailable,
  retryWhileJetStreamUnavailable,
} from "./event-stream.ts";
import type { NatsConfig } from "./nats-config.ts";
import { ScaleOutErrors } from "./scale-out-errors.ts";

/** Slow poll of the outbox itself, covering the last signal of a burst lost downstream. */
const DEFAULT_WORKER_FALLBACK_POLL_MS = 30_000;
/** Time JetStream waits for an acknowledgement before it redelivers a signal. */
const ACK_WAIT_MS = 60_000;
const NANOSECONDS_PER_MILLISECOND = 1_000_000;
/** Lifetime of one pull request; heartbeats come at half of it. */
const PULL_EXPIRES_MS = 5_000;
/** Signals fetched ahead: their positions are coalesced, so one drain covers many. */
const SIGNAL_BUFFER = 1_000;
/**
 * JetStream removes a durable consumer no worker has pulled from for this long (a one-off worker's,
 * or one of a layout no longer run), so abandoned consumers do not pile up signals. A worker that
 * starts again after that gets a new one: it catches up from the outbox anyway.
 */
export const WORKER_CONSUMER_INACTIVE_THRESHOLD_MS = 60 * 60_000;

export interface PartitionWorkerOptions {
  readonly db: Kysely<Database>;
  readonly nats: NatsConfig;
  readonly partition: Partition;
  readonly handlers: readonly EventHandler[];
  readonly batchSize?: number | undefined;
  readonly fallbackPollMs?: number | undefined;
  readonly logger?: ConsumerLogger | undefined;
  readonly onBatch?: ((report: BatchReport) => void) | undefined;
  /** How long start-up retries while JetStream has no leader (default 30 s). */
  readonly startupTimeoutMs?: number | undefined;
}

export interface WorkerStatus {
  /** The JetStream durable consumer this worker pulls from. */
  readonly durableName: string;
  readonly signalsReceived: number;
  readonly signalsAcknowledged: number;
  /** The highest position any signal announced. */
  readonly lastSignalPosition: string | undefined;
  readonly consumers: readonly ConsumerStatus[];
}

export interface PartitionWorker {
  readonly durableName: string;
  /**
   * Resolves with the error when the worker has stopped applying for good: its partition layout
   * is not the handler's (PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_*), which retrying cannot change.
   * The caller stops the worker and fails; never resolves otherwise.
   */
  readonly halted: Promise<Error>;
  status(): WorkerStatus;
  /** Finishes the drain in flight (unacknowledged signals are redelivered), then disconnects. */
  stop(): Promise<void>;
}

/** The durable consumer's name for a set of handlers on one partition (one per distinct set). */
export function workerDurableName(handlers: readonly EventHandler[], partition: Partition): string {
  const names = handlers.map((handler) => handler.name).sort();
  const joined = names.join("_");
  const key = joined.length <= 40 ? joined : createHash("sha256").update(joined).digest("hex").slice(0, 16);
  return `worker-${key}-${partition.index}-of-${partition.count}`;
}

/**
 * Starts a worker for one partition: it pulls the partition's signals from JetStream and, for a
 * signal "events up to p exist", applies in order every event of its partition in (offset, p],
 * read from the outbox, through the same exactly-once batches as the in-process runner. A signal
 * is acknowledged only after that commit. A lost signal is covered by any later one (and by a slow
 * poll of the outbox); a duplicate finds the offset already past it. The outbox stays the source
 * of truth.
 */
export async function startPartitionWorker(options: PartitionWorkerOptions): Promise<PartitionWorker> {
  const { db, nats, partition } = options;
  validateHandlersOrThrow(options.handlers);
  if (partition.count !== nats.partitions) {
    throw ScaleOutErrors.partitionMismatch.create(partition.index, partition.count, nats.partitions);
  }
  const logger = options.logger ?? SILENT_LOGGER;
  const consumers = options.handlers.map((handler) =>
    // A worker started with a partition count is the operator's choice of layout: it takes the
    // handlers over even from running workers of another (they stop); commands do not.
    createOutboxConsumer({
      db,
      handler,
      partition,
      batchSize: options.batchSize,
      onBatch: options.onBatch,
      takeOver: true,
    }),
  );
  const durableName = workerDurableName(options.handlers, partition);
  const pending: JsMsg[] = [];
  let signalsReceived = 0;
  let signalsAcknowledged = 0;
  let lastSignalPosition: bigint | undefined;
  let fullDrainWanted = true;
  let warnedLayout = false;
  let halt: ((error: Error) => void) | undefined;
  const halted = new Promise<Error>((resolve) => {
    halt = resolve;
  });
  let haltedBy: Error | undefined;
  const loop = startWakeLoop({ name: durableName, logger, work });
  let connection: NatsConnection;
  try {
    connection = await connectToNats(nats, `passage-${durableName}`);
  } catch (error) {
    await loop.stop();
    throw error;
  }
  const consumerConfig: Partial<ConsumerConfig> & { durable_name: string } = {
    durable_name: durableName,
    filter_subject: eventSubjectOf(partition.index),
    ack_policy: AckPolicy.Explicit,
    // A new worker catches up from the outbox itself, so old signals would only be acknowledged.
    deliver_policy: DeliverPolicy.New,
    ack_wait: ACK_WAIT_MS * NANOSECONDS_PER_MILLISECOND,
    max_ack_pending: SIGNAL_BUFFER * 4,
    inactive_threshold: WORKER_CONSUMER_INACTIVE_THRESHOLD_MS * NANOSECONDS_PER_MILLISECOND,
  };

  /** Creates the stream (if missing) and the durable consumer; one of an older version is updated. */
  async function addConsumer(): Promise<void> {
    const manager = await ensureEventStream(connection, nats);
    try {
      try {
        await manager.consumers.add(nats.stream, consumerConfig);
      } catch (error) {
        // A consumer made by an older version (no inactive threshold): give it the threshold.
        if (!(error instanceof JetStreamApiError) || !/already (exists|in use)/i.test(error.message))
          throw error;
        await manager.consumers.update(nats.stream, durableName, {
          inactive_threshold: consumerConfig.inactive_threshold,
        });
      }
    } catch (error) {
      throw jetStreamUnavailable(nats.stream, nats, error);
    }
  }

  let messages: ConsumerMessages;
  try {
    await retryWhileJetStreamUnavailable(addConsumer, {
      timeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
      what: `worker ${durableName} start-up`,
      logger,
    });
    try {
      messages = await (await jetstream(connection).consumers.get(nats.stream, durableName)).consume({
        max_messages: SIGNAL_BUFFER,
        // Short pulls: a pull parked on a node that dies is noticed (missed heartbeats) in seconds.
        expires: PULL_EXPIRES_MS,
        callback: (message) => {
          pending.push(message);
          signalsReceived++;
          loop.wake();
        },
      });
    } catch (error) {
      throw jetStreamUnavailable(nats.stream, nats, error);
    }
  } catch (error) {
    await loop.stop();
    await connection.close();
    throw error;
  }

  /*
   * The consumer (or its whole stream) can disappear while the worker runs: deleted by an operator,
   * removed after a long outage. The pull loop keeps asking and recovers once the consumer exists
   * again, so the worker re-creates it (and the stream, if missing) when the pull loop reports it
   * missing and at each fallback poll; events are never lost meanwhile (the poll reads the outbox).
   */
  let recreating: Promise<void> | undefined;
  function recreateConsumerIfMissing(reason: string): Promise<void> {
    recreating ??= (async () => {
      try {
        const manager = await jetstream(connection).jetstreamManager();
        try {
          await manager.consumers.info(nats.stream, durableName);
          return;
        } catch (error) {
          const missing =
            error instanceof JetStreamApiError &&
            (error.code === JetStreamApiCodes.ConsumerNotFound ||
              error.code === JetStreamApiCodes.StreamNotFound);
          if (!missing) return; // No answer (no leader): the next poll asks again.
        }
        await addConsumer();
        logger.warn(
          { durableName, stream: nats.stream, reason },
          "re-created the missing JetStream consumer",
        );
        fullDrainWanted = true;
        loop.wake();
      } catch (error) {
        logger.warn(
          { durableName, error: (error as Error).message },
          "could not re-create the JetStream consumer; trying again at the next poll",
        );
      } finally {
        recreating = undefined;
      }
    })();
    return recreating;
  }
  void (async () => {
    for await (const status of messages.status()) {
      if (
        status.type === "consumer_not_found" ||
        status.type === "stream_not_found" ||
        status.type === "consumer_deleted"
      ) {
        void recreateConsumerIfMissing(status.type);
      }
    }
  })().catch(() => undefined);

  /**
   * Marks this worker's consumers alive, idle or not: an in-process command of another partition
   * layout then refuses to take the handlers over instead of stopping this worker.
   */
  async function heartbeat(alive = true): Promise<void> {
    await markLayoutAlive(
      db,
      consumers.map((consumer) => consumer.name),
      alive,
    ).catch((error: Error) => logger.warn({ durableName, error: error.message }, "alive mark failed"));
  }

  async function work(shouldStop: () => boolean): Promise<void> {
    if (haltedBy) return;
    const signals = pending.splice(0);
    let upTo: bigint | undefined;
    for (const message of signals) {
      const signal = decodeSignal(message.string());
      if (!signal) {
        logger.warn(
          { subject: message.subject, seq: message.seq },
          "ignoring a message that is not an outbox signal",
        );
        continue;
      }
      if (signal.partitions !== partition.count && !warnedLayout) {
        warnedLayout = true;
        logger.warn(
          { relay: signal.partitions, worker: partition.count },
          "relay and worker partition counts differ",
        );
      }
      const position = BigInt(signal.position);
      if (upTo === undefined || position > upTo) upTo = position;
    }
    if (upTo !== undefined && (lastSignalPosition === undefined || upTo > lastSignalPosition)) {
      lastSignalPosition = upTo;
    }
    const full = fullDrainWanted;
    fullDrainWanted = false;
    try {
      for (const consumer of consumers) {
        if (full) await consumer.drain({ shouldStop });
        else if (upTo !== undefined) await consumer.drain({ upTo: upTo.toString(), shouldStop });
      }
    } catch (error) {
      // Keep the signals for the retry: acknowledging them now could lose the last of a burst.
      pending.unshift(...signals);
      if (full) fullDrainWanted = true;
      if (isPartitionLayoutError(error)) {
        // Retrying cannot fix the layout: stop applying and let the caller fail.
        haltedBy = error as Error;
        logger.warn({ durableName, error: haltedBy.message }, "partition worker halted");
        halt?.(haltedBy);
        return;
      }
      throw error;
    }
    if (shouldStop()) return;
    for (const message of signals) message.ack();
    signalsAcknowledged += signals.length;
  }

  loop.wake();
  await heartbeat();
  const beat = setInterval(() => {
    if (!haltedBy) void heartbeat();
  }, LAYOUT_HEARTBEAT_MS);
  beat.unref();
  const poll = setInterval(() => {
    fullDrainWanted = true;
    loop.wake();
    void recreateConsumerIfMissing("fallback poll");
  }, options.fallbackPollMs ?? DEFAULT_WORKER_FALLBACK_POLL_MS);
  poll.unref();
  logger.info(
    { durableName, consumers: consumers.map((consumer) => consumer.name) },
    "partition worker started",
  );

  let stopping: Promise<void> | undefined;
  return {
    durableName,
    halted,
    status: () => ({
      durableName,
      signalsReceived,
      signalsAcknowledged,
      lastSignalPosition: lastSignalPosition?.toString(),
      consumers: consumers.map((consumer) => consumer.status()),
    }),
    stop() {
      stopping ??= (async () => {
        clearInterval(poll);
        clearInterval(beat);
        await recreating;
        await messages.close().catch(() => undefined);
        await loop.stop();
        await connection.drain().catch(() => connection.close());
        await heartbeat(false);
        logger.info({ durableName, signalsAcknowledged }, "partition worker stopped");
      })();
      return stopping;
    },
  };
}
