import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { NatsConfig } from "./nats-config.ts";
import { ScaleOutErrors } from "./scale-out-errors.ts";

/** Subjects of the outbox stream: `passage.events.<partition>`. */
export const EVENT_SUBJECT_PREFIX = "passage.events";

/** Subjects of streamed source rows: `passage.feed.<feed>` (the ingest row API consumes them). */
export const FEED_SUBJECT_PREFIX = "passage.feed";

/** How long JetStream remembers a message id, so a relay that republishes after a crash adds nothing. */
const DUPLICATE_WINDOW_MS = 10 * 60_000; // 10 minutes
/** How long the stream keeps signals: workers read events from the outbox, so a week is plenty. */
const MAX_AGE_MS = 7 * 24 * 3_600_000;
const NANOSECONDS_PER_MILLISECOND = 1_000_000;

/** The subject a partition's signals are published on. */
export function eventSubjectOf(partitionIndex: number): string {
  return `${EVENT_SUBJECT_PREFIX}.${partitionIndex}`;
}

/**
 * What a NATS message says: "the outbox holds events up to `position`" for one partition. It
 * carries no payload: the outbox stays the source of truth (a worker reads the events from it),
 * and no person's record travels over the bus.
 */
export interface OutboxSignal {
  readonly position: string;
  readonly type: string;
  /** The partition count the relay used, so a worker of another layout can tell. */
  readonly partitions: number;
}

export function encodeSignal(signal: OutboxSignal): string {
  return JSON.stringify(signal);
}

/** Reads a signal; undefined for a message that is not one (logged and acknowledged by the worker). */
export function decodeSignal(text: string): OutboxSignal | undefined {
  try {
    const value = JSON.parse(text) as Partial<OutboxSignal>;
    if (typeof value.position !== "string" || !/^[1-9]\d{0,18}$/.test(value.position)) return undefined;
    if (typeof value.partitions !== "number" || typeof value.type !== "string") return undefined;
    return { position: value.position, type: value.type, partitions: value.partitions };
  } catch {
    return undefined;
  }
}

/**
 * Connects to any server of the list and keeps reconnecting for as long as the process runs
 * (a node going down moves the connection to another node).
 */
export async function connectToNats(config: NatsConfig, name: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers: [...config.servers],
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 5_000,
      timeout: 5_000,
    });
  } catch (error) {
    throw ScaleOutErrors.natsUnreachable.create(config.servers, (error as Error).message);
  }
}

/**
 * Creates the outbox stream if it does not exist (file storage, `replicas` copies, message ids
 * remembered for the duplicate window), and returns its manager.
 */
export function ensureEventStream(connection: NatsConnection, config: NatsConfig): Promise<JetStreamManager> {
  return addStreamIfMissing(connection, config, {
    name: config.stream,
    subjects: [`${EVENT_SUBJECT_PREFIX}.>`],
    maxAgeMs: MAX_AGE_MS,
    duplicateWindowMs: DUPLICATE_WINDOW_MS,
  });
}

/** JetStream's code for "a stream of that name already exists" (another process just created it). */
const STREAM_NAME_IN_USE = 10058;

/**
 * Creates a replicated, file-backed stream unless one of that name exists; returns the manager.
 * A stream of that name whose subjects differ (one made by an older version) is given these
 * subjects: the messages it holds stay, and a publish on a subject no longer listed is refused.
 */
export async function addStreamIfMissing(
  connection: NatsConnection,
  config: NatsConfig,
  stream: { name: string; subjects: string[]; maxAgeMs: number; duplicateWindowMs: number },
): Promise<JetStreamManager> {
  try {
    const manager = await jetstreamManager(connection, { timeout: 10_000 });
    try {
      const existing = await manager.streams.info(stream.name);
      const subjects = [...(existing.config.subjects ?? [])].sort();
      const wanted = [...stream.subjects].sort();
      if (subjects.length !== wanted.length || subjects.some((subject, index) => subject !== wanted[index])) {
        await manager.streams.update(stream.name, { subjects: stream.subjects });
      }
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound)
        throw error;
      try {
        await manager.streams.add({
          name: stream.name,
          subjects: stream.subjects,
          num_replicas: config.replicas,
          storage: StorageType.File,
          retention: RetentionPolicy.Limits,
          discard: DiscardPolicy.Old,
          duplicate_window: stream.duplicateWindowMs * NANOSECONDS_PER_MILLISECOND,
          max_age: stream.maxAgeMs * NANOSECONDS_PER_MILLISECOND,
        });
      } catch (error) {
        if (!(error instanceof JetStreamApiError) || error.code !== STREAM_NAME_IN_USE) throw error;
      }
    }
    return manager;
  } catch (error) {
    throw ScaleOutErrors.streamUnavailable.create(stream.name, config.replicas, (error as Error).message);
  }
}
