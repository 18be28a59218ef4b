import { JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { isPassageError } from "@passage/core";
import {
  type Database,
  getConsumerOffset,
  latestOutboxPosition,
  lockConsumerOffset,
  outboxBacklog,
  outboxPartitionOf,
  readOutboxEvents,
  setConsumerOffset,
} from "@passage/store";
import type { Kysely } from "kysely";
import type pg from "pg";
import { type ConsumerLogger, SILENT_LOGGER } from "../consumers/consumer-logger.ts";
import { type OutboxWatcher, watchOutbox } from "../consumers/outbox-watcher.ts";
import { LAYOUT_HEARTBEAT_MS } from "../consumers/partition-layout-guard.ts";
import { startWakeLoop, type WakeLoop } from "../consumers/wake-loop.ts";
import {
  connectToNats,
  DEFAULT_STARTUP_TIMEOUT_MS,
  describeJetStreamError,
  encodeSignal,
  ensurePassageStreams,
  eventStreamSpec,
  eventSubjectOf,
  retryWhileJetStreamUnavailable,
} from "./event-stream.ts";
import { feedStreamSpec } from "./feed-subscriber.ts";
import type { NatsConfig } from "./nats-config.ts";
import { checkRelayPartitionsOrThrow } from "./relay-layout-check.ts";
import { ScaleOutErrors } from "./scale-out-errors.ts";

/** Events published per transaction: their acknowledgements are awaited together. */
const DEFAULT_RELAY_BATCH = 1_000;
/** How long one publish may wait for JetStream's acknowledgement (a node failing over takes seconds). */
const PUBLISH_TIMEOUT_MS = 5_000;

export interface OutboxRelayOptions {
  readonly db: Kysely<Database>;
  readonly pool: pg.Pool;
  readonly nats: NatsConfig;
  readonly batchSize?: number | undefined;
  readonly fallbackPollMs?: number | undefined;
  readonly logger?: ConsumerLogger | undefined;
  /** How long start-up retries while JetStream has no leader (default 30 s). */
  readonly startupTimeoutMs?: number | undefined;
  /** How often the running relay checks that live workers read its partition count (default 20 s). */
  readonly layoutCheckMs?: number | undefined;
}

export interface RelayStatus {
  /** The relay's own offset name in consumer_offset. */
  readonly consumer: string;
  /** The last position this process has had acknowledged by JetStream. */
  readonly offset: string | undefined;
  readonly published: number;
  readonly lastError: string | undefined;
}

/** A running relay from the outbox to the JetStream stream. */
export interface OutboxRelay {
  /**
   * Resolves with the error when the relay has stopped publishing for good: workers of another
   * partition count started while it ran (PASSAGE_ERR_SCALE_OUT_RELAY_PARTITIONS_MISMATCH).
   * Never resolves otherwise; the caller should then stop it and fail.
   */
  readonly halted: Promise<Error>;
  status(): RelayStatus;
  /** Events not yet published, from the stored offset. */
  eventsBehind(): Promise<number>;
  /** Publishes everything committed before the call, then returns (tests, benchmarks). */
  flush(): Promise<void>;
  /** Finishes the batch in flight, then closes the NATS connection and the LISTEN connection. */
  stop(): Promise<void>;
}

/** The relay's offset name: not a valid handler name, so it never collides with a consumer's. */
export function relayConsumerName(stream: string): string {
  return `relay:${stream}`;
}

/**
 * Starts the relay: reads the outbox in position order after its own offset and publishes one
 * signal per event to `passage.events.<partition>`, with the position as JetStream message id.
 * A batch is one database transaction holding the relay's offset row: publish every event,
 * await every acknowledgement, store the offset, commit. A crash or a NATS failure mid-batch
 * rolls the offset back and the batch is published again; JetStream drops the repeats by message
 * id, and workers ignore any that get through (their offsets are already past them).
 *
 * It refuses to start, and stops publishing while running, when running workers read another
 * partition count (PASSAGE_NATS_PARTITIONS) than its own: its signals would reach none of them.
 */
export async function startOutboxRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
  const { db, nats } = options;
  const logger = options.logger ?? SILENT_LOGGER;
  const consumer = relayConsumerName(nats.stream);
  const batchSize = options.batchSize ?? DEFAULT_RELAY_BATCH;
  await checkRelayPartitionsOrThrow(db, nats.partitions, { running: false });
  const connection: NatsConnection = await connectToNats(nats, "passage-relay");
  let loop: WakeLoop | undefined;
  let watcher: OutboxWatcher | undefined;
  try {
    // Every deployment runs a relay: rows streamed before any feed subscriber ran wait in the feed
    // stream. Both are checked before either is changed.
    await retryWhileJetStreamUnavailable(
      () => ensurePassageStreams(connection, nats, [eventStreamSpec(nats), feedStreamSpec(nats)], logger),
      { timeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS, what: "relay start-up", logger },
    );
  } catch (error) {
    await connection.close();
    throw error;
  }
  const client = jetstream(connection, { timeout: PUBLISH_TIMEOUT_MS });
  let offset: string | undefined;
  let published = 0;
  let lastError: string | undefined;

  async function publishNextBatch(upTo?: string): Promise<boolean> {
    const result = await db.transaction().execute(async (transaction) => {
      const stored = await lockConsumerOffset(transaction, consumer);
      if (upTo !== undefined && BigInt(stored) >= BigInt(upTo)) return undefined;
      const events = await readOutboxEvents(transaction, stored, batchSize);
      if (events.length === 0) return undefined;
      await Promise.all(
        events.map((event) =>
          client.publish(
            eventSubjectOf(outboxPartitionOf(event.partitionKey, nats.partitions)),
            encodeSignal({ position: event.position, type: event.type, partitions: nats.partitions }),
            { msgID: event.position, timeout: PUBLISH_TIMEOUT_MS },
          ),
        ),
      );
      const last = events.at(-1)!.position;
      await setConsumerOffset(transaction, consumer, last);
      return { last, count: events.length };
    });
    if (!result) return false;
    offset = result.last;
    published += result.count;
    return true;
  }

  async function publishAll(shouldStop: () => boolean, upTo?: string): Promise<void> {
    try {
      while (!shouldStop() && (await publishNextBatch(upTo))) {}
      lastError = undefined;
    } catch (error) {
      const diagnosed = await diagnosePublishFailure(error);
      lastError = diagnosed.message;
      throw diagnosed;
    }
  }

  /**
   * A publish that fails says little ("jetstream is not enabled" when no stream takes the subject,
   * "timeout" when no leader answers): asks JetStream about the stream. A missing stream (deleted)
   * is created again, checked as at start (never another application's); otherwise the error
   * says whether the stream or JetStream's leader is missing. The batch is then retried.
   */
  async function diagnosePublishFailure(error: unknown): Promise<Error> {
    try {
      const manager = await jetstreamManager(connection, { timeout: PUBLISH_TIMEOUT_MS });
      try {
        await manager.streams.info(nats.stream);
      } catch (infoError) {
        if (infoError instanceof JetStreamApiError && infoError.code === JetStreamApiCodes.StreamNotFound) {
          await ensurePassageStreams(connection, nats, [eventStreamSpec(nats)], logger);
          logger.warn({ stream: nats.stream }, "stream was missing (deleted?); created it again");
          return new Error(`publishing failed because stream ${nats.stream} was missing; created it again`);
        }
        throw infoError;
      }
      return new Error(`publishing to stream ${nats.stream} failed: ${describeJetStreamError(error)}`);
    } catch (diagnosisError) {
      if (isPassageError(diagnosisError)) return diagnosisError;
      return new Error(
        `publishing to stream ${nats.stream} failed (${(error as Error).message}); JetStream does not answer ` +
          `about the stream either: ${describeJetStreamError(diagnosisError)}`,
      );
    }
  }

  let haltedBy: Error | undefined;
  let halt: ((error: Error) => void) | undefined;
  const halted = new Promise<Error>((resolve) => {
    halt = resolve;
  });
  /*
   * Workers of another count may start after the relay did (a layout changed by starting workers
   * with a new --partition I/N): the relay then stops publishing and reports it, as it would have
   * refused to start, rather than signal subjects no worker reads.
   */
  async function checkLayout(): Promise<void> {
    try {
      await checkRelayPartitionsOrThrow(db, nats.partitions, { running: true });
    } catch (error) {
      if (!isPassageError(error) || error.code !== ScaleOutErrors.relayPartitionsMismatch.code) {
        logger.warn({ error: (error as Error).message }, "partition layout check failed; trying again");
        return;
      }
      haltedBy ??= error;
      clearInterval(layoutCheck);
      logger.warn({ partitions: nats.partitions, error: error.message }, "outbox relay halted");
      halt?.(error);
    }
  }

  loop = startWakeLoop({
    name: consumer,
    logger,
    work: (shouldStop) => publishAll(() => haltedBy !== undefined || shouldStop()),
  });
  watcher = await watchOutbox({
    pool: options.pool,
    fallbackPollMs: options.fallbackPollMs,
    logger,
    onWake: () => loop?.wake(),
  });
  logger.info(
    { stream: nats.stream, partitions: nats.partitions, servers: nats.servers },
    "outbox relay started",
  );
  const layoutCheck = setInterval(() => void checkLayout(), options.layoutCheckMs ?? LAYOUT_HEARTBEAT_MS);
  layoutCheck.unref();

  let stopping: Promise<void> | undefined;
  return {
    halted,
    status: () => ({ consumer, offset, published, lastError: haltedBy?.message ?? lastError }),
    async eventsBehind() {
      return (await outboxBacklog(db, await getConsumerOffset(db, consumer))).events;
    },
    async flush() {
      if (haltedBy) throw haltedBy;
      const head = await latestOutboxPosition(db);
      await publishAll(() => false, head);
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(layoutCheck);
        await watcher?.close();
        await loop?.stop();
        await connection.drain().catch(() => connection.close());
        logger.info({ published }, "outbox relay stopped");
      })();
      return stopping;
    },
  };
}
