import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { EventDefinition } from "@passage/core";
import { CompiledQuery, type Kysely } from "kysely";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { z } from "zod";
import type { Database } from "../database-schema.ts";
import { jsonLines, jsonLinesOf } from "./json-lines.ts";
import { copyJson, copyText } from "./record-staging.ts";

/**
 * The transactional outbox (ARCHITECTURE.md "Storage and streams"): events commit with the state
 * change that caused them, and in-process consumers read them in position order, each keeping
 * its own offset.
 */

/** The NOTIFY channel that wakes outbox consumers. */
export const OUTBOX_CHANNEL = "passage_outbox";

/**
 * The one advisory lock every outbox append takes first (an arbitrary constant: "passage
 * outbox"). Positions come from an identity sequence, handed out when a row is inserted, not
 * when its transaction commits. Without the lock, transaction A could take position 10 and
 * transaction B position 11, B commit first, and a consumer reading `position > 9` would see 11,
 * store offset 11, and never see 10 once A commits. Holding the lock from the insert to the
 * commit makes positions become visible in the order they were handed out. Keep appends at the
 * end of a transaction: the lock serialises every writer from the append to its commit.
 */
export const OUTBOX_APPEND_LOCK_KEY = "7061737361676501";

/** Something that runs SQL inside the caller's transaction: a pg client or a Kysely transaction. */
export type SqlExecutor = pg.ClientBase | Kysely<Database>;

/** An event to append, its payload already validated by its definition. */
export interface NewOutboxEvent {
  readonly type: string;
  /** Consumers and the NATS relay partition by this (e.g. `feed:keyValue`). */
  readonly partitionKey: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** One stored event. Positions are decimal strings (bigint identities may exceed 2^53). */
export interface OutboxEvent {
  readonly position: string;
  readonly type: string;
  readonly partitionKey: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/** Validates a payload by its event definition and wraps it for `appendOutboxEvents`. */
export function outboxEventOf<Name extends string, Schema extends z.ZodType>(
  definition: EventDefinition<Name, Schema>,
  partitionKey: string,
  payload: z.input<Schema>,
): NewOutboxEvent {
  const parsed = definition.parseOrThrow(payload) as Record<string, unknown>;
  return { type: definition.name, partitionKey, payload: parsed };
}

/** Runs one parameterised statement on a pg client or a Kysely handle. */
export async function executeSql<Row>(
  executor: SqlExecutor,
  text: string,
  parameters: readonly unknown[] = [],
): Promise<Row[]> {
  if (isKysely(executor)) {
    const result = await executor.executeQuery<Row>(CompiledQuery.raw(text, [...parameters]));
    return result.rows;
  }
  const result = await executor.query(text, parameters as unknown[]);
  return result.rows as Row[];
}

function isKysely(executor: SqlExecutor): executor is Kysely<Database> {
  return typeof (executor as Kysely<Database>).executeQuery === "function";
}

/**
 * Appends events inside the caller's transaction, in the order given, and notifies listeners
 * (PostgreSQL delivers the notification only when the transaction commits). Returns the
 * positions handed out. Must run inside a transaction: the lock is released at its end.
 */
export async function appendOutboxEvents(
  executor: SqlExecutor,
  events: readonly NewOutboxEvent[],
): Promise<string[]> {
  if (events.length === 0) return [];
  if (isKysely(executor) && !executor.isTransaction) {
    throw new Error("appendOutboxEvents must run inside a transaction (pass the Kysely transaction)");
  }
  await executeSql(executor, `SELECT pg_advisory_xact_lock(${OUTBOX_APPEND_LOCK_KEY})`);
  const rows = await executeSql<{ position: string }>(
    executor,
    // The events as JSON lines (json-lines.ts). The notification (of the last position) is queued
    // by the same statement, one round trip fewer; the main query reads `notified`, so it runs.
    `WITH appended AS (
       INSERT INTO outbox_event (event_type, partition_key, payload)
       SELECT e.event->>'type', e.event->>'partitionKey', e.event->'payload'
       FROM ${jsonLinesOf("$1")} AS e(event, ordinal)
       ORDER BY ordinal
       RETURNING position
     ),
     notified AS (SELECT pg_notify($2, max(position)::text) FROM appended)
     SELECT appended.position FROM appended CROSS JOIN notified`,
    [
      jsonLines(
        events.map((event) => ({
          type: event.type,
          partitionKey: event.partitionKey,
          payload: event.payload,
        })),
      ),
      OUTBOX_CHANNEL,
    ],
  );
  return rows.map((row) => String(row.position)).sort(comparePositions);
}

/**
 * The bulk form of `appendOutboxEvents` for a pg client inside a transaction: the same lock and
 * notification, the rows sent with COPY (no array literal to build and parse: about a third of
 * the outbox's cost for a batch of thousands). Returns the last position handed out.
 */
export async function copyOutboxEvents(
  client: pg.ClientBase,
  events: readonly NewOutboxEvent[],
): Promise<string | undefined> {
  if (events.length === 0) return undefined;
  await client.query(`SELECT pg_advisory_xact_lock(${OUTBOX_APPEND_LOCK_KEY})`);
  let text = "";
  for (const event of events) {
    text += `${copyText(event.type)}\t${copyText(event.partitionKey)}\t${copyJson(JSON.stringify(event.payload))}\n`;
  }
  await pipeline(
    Readable.from([text]),
    client.query(copyFrom("COPY outbox_event (event_type, partition_key, payload) FROM STDIN")),
  );
  // currval: the last position this session drew, i.e. this append's last event.
  const { rows } = await client.query<{ position: string }>(
    "SELECT currval(pg_get_serial_sequence('outbox_event', 'position'))::text AS position",
  );
  const position = rows[0]!.position;
  await client.query("SELECT pg_notify($1, $2)", [OUTBOX_CHANNEL, position]);
  return position;
}

/** Orders decimal position strings numerically. */
export function comparePositions(left: string, right: string): number {
  return left.length - right.length || (left < right ? -1 : left > right ? 1 : 0);
}

/** Events after `afterPosition` (exclusive), oldest first, at most `limit`. */
export async function readOutboxEvents(
  executor: SqlExecutor,
  afterPosition: string,
  limit: number,
): Promise<OutboxEvent[]> {
  const rows = await executeSql<{
    position: string;
    event_type: string;
    partition_key: string;
    payload: Record<string, unknown>;
    created_at: string | Date;
  }>(
    executor,
    `SELECT position, event_type, partition_key, payload, created_at
     FROM outbox_event WHERE position > $1::bigint ORDER BY position LIMIT $2`,
    [afterPosition, limit],
  );
  return rows.map((row) => ({
    position: String(row.position),
    type: row.event_type,
    partitionKey: row.partition_key,
    payload: row.payload,
    createdAt: new Date(row.created_at).toISOString(),
  }));
}

/** The highest position appended so far ("0" when the outbox is empty). */
export async function latestOutboxPosition(executor: SqlExecutor): Promise<string> {
  const rows = await executeSql<{ position: string | null }>(
    executor,
    "SELECT max(position) AS position FROM outbox_event",
  );
  return String(rows[0]?.position ?? "0");
}

/** A consumer's offset: the last position it has processed ("0" before its first event). */
export async function getConsumerOffset(executor: SqlExecutor, consumer: string): Promise<string> {
  const rows = await executeSql<{ position: string }>(
    executor,
    "SELECT position FROM consumer_offset WHERE consumer = $1",
    [consumer],
  );
  return rows.length === 0 ? "0" : String(rows[0]!.position);
}

/**
 * Stores a consumer's offset inside the caller's transaction, so the consumer's own writes and
 * its offset commit together (exactly-once effect for an idempotent consumer).
 */
export async function setConsumerOffset(
  executor: SqlExecutor,
  consumer: string,
  position: string,
): Promise<void> {
  await executeSql(
    executor,
    `INSERT INTO consumer_offset (consumer, position, updated_at) VALUES ($1, $2::bigint, now())
     ON CONFLICT (consumer) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
    [consumer, position],
  );
}

/**
 * Moves every offset of a handler (the whole-outbox one and each partition's, `name#i/n`) forward
 * to at least `position` — after a rebuild has already covered the events up to it. Creates the
 * whole-outbox offset when the handler has none yet. Never moves an offset back.
 */
export async function advanceHandlerOffsets(
  executor: SqlExecutor,
  handlerName: string,
  position: string,
): Promise<void> {
  await executeSql(
    executor,
    `UPDATE consumer_offset SET position = GREATEST(position, $2::bigint), updated_at = now()
     WHERE consumer = $1 OR consumer LIKE $1 || '#%'`,
    [handlerName, position],
  );
  await executeSql(
    executor,
    `INSERT INTO consumer_offset (consumer, position, updated_at)
     SELECT $1, $2::bigint, now()
     WHERE NOT EXISTS (SELECT 1 FROM consumer_offset WHERE consumer = $1 OR consumer LIKE $1 || '#%')`,
    [handlerName, position],
  );
}

/** A running LISTEN on the outbox channel. */
export interface OutboxListener {
  /** Stops listening and returns the connection to the pool. */
  close(): Promise<void>;
}

export interface OutboxListenerOptions {
  /** Called with the last position of each committed append (coalesced by PostgreSQL per transaction). */
  readonly onNotify: (latestPosition: string) => void;
  /** Called if the listening connection fails; the listener is closed then. */
  readonly onError?: (error: Error) => void;
}

/**
 * Listens on the outbox channel on a dedicated pooled connection. Consumers read the outbox
 * when woken and also on start (a notification sent while nobody listened is not replayed).
 */
export async function listenToOutbox(pool: pg.Pool, options: OutboxListenerOptions): Promise<OutboxListener> {
  const client = await pool.connect();
  let closed = false;
  const onNotification = (message: pg.Notification) => {
    if (message.channel === OUTBOX_CHANNEL) options.onNotify(message.payload ?? "");
  };
  const onError = (error: Error) => {
    if (closed) return;
    closed = true;
    client.removeListener("notification", onNotification);
    client.release(error);
    options.onError?.(error);
  };
  client.on("notification", onNotification);
  client.on("error", onError);
  try {
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
  } catch (error) {
    onError(error as Error);
    throw error;
  }
  return {
    async close() {
      if (closed) return;
      closed = true;
      client.removeListener("notification", onNotification);
      client.removeListener("error", onError);
      try {
        await client.query(`UNLISTEN ${OUTBOX_CHANNEL}`);
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    },
  };
}

/** Which events a consumer sees: some event types, one partition of the partition keys. */
export interface OutboxFilter {
  /** Only these event types; all types when absent. */
  readonly eventTypes?: readonly string[] | undefined;
  /** Only keys that hash to `index` of `count` partitions; every key when absent. */
  readonly partition?: { readonly index: number; readonly count: number } | undefined;
}

/**
 * The partition a key falls in: the first 32 bits of its MD5, modulo `count`. MD5 because
 * PostgreSQL computes the very same digest (`md5(text)`, documented and stable across versions),
 * so SQL can filter a partition without reading other partitions' payloads, and JavaScript (the
 * NATS relay choosing a subject) agrees with it. Not for security: only an even, stable spread.
 */
export function outboxPartitionOf(partitionKey: string, count: number): number {
  return createHash("md5").update(partitionKey, "utf8").digest().readUInt32BE(0) % count;
}

/** The SQL twin of `outboxPartitionOf` for column `partition_key`. */
const PARTITION_SQL = "(('x' || substr(md5(partition_key), 1, 8))::bit(32)::bigint % $COUNT::int)";

/**
 * Locks a consumer's offset row for the rest of the caller's transaction (creating it at "0"
 * first) and returns the offset. Two runners of one consumer thus never apply the same events:
 * the second waits, then reads the offset the first committed.
 */
export async function lockConsumerOffset(executor: SqlExecutor, consumer: string): Promise<string> {
  await executeSql(
    executor,
    "INSERT INTO consumer_offset (consumer, position) VALUES ($1, 0) ON CONFLICT (consumer) DO NOTHING",
    [consumer],
  );
  const rows = await executeSql<{ position: string }>(
    executor,
    "SELECT position FROM consumer_offset WHERE consumer = $1 FOR UPDATE",
    [consumer],
  );
  return String(rows[0]!.position);
}

/** A slice of the outbox: the matching events, and how far it was read. */
export interface OutboxSlice {
  /** The last position read, matching or not ("null" when nothing was left to read). */
  readonly scannedTo: string | null;
  readonly events: OutboxEvent[];
}

/**
 * Reads up to `scanLimit` positions after `after` (and not past `upTo`), returning the events
 * among them that match the filter, oldest first, and the last position read. A consumer stores
 * `scannedTo` as its offset, so it moves past other partitions' and other types' events without
 * fetching their payloads. With `maxEvents`, at most that many events are returned, and when
 * that many match, the slice ends at the last of them (the rest is read next time).
 */
export async function readOutboxSlice(
  executor: SqlExecutor,
  options: {
    after: string;
    scanLimit: number;
    upTo?: string | undefined;
    filter?: OutboxFilter;
    maxEvents?: number | undefined;
  },
): Promise<OutboxSlice> {
  const { filter = {} } = options;
  const rows = await executeSql<{
    scanned_to: string | null;
    position: string | null;
    event_type: string;
    partition_key: string;
    payload: Record<string, unknown>;
    created_at: string | Date;
  }>(
    executor,
    `WITH scanned AS (
       SELECT position FROM outbox_event
       WHERE position > $1::bigint AND ($3::bigint IS NULL OR position <= $3::bigint)
       ORDER BY position LIMIT $2
     ), bound AS (SELECT max(position) AS scanned_to FROM scanned)
     SELECT bound.scanned_to, e.position, e.event_type, e.partition_key, e.payload, e.created_at
     FROM bound LEFT JOIN outbox_event e
       ON e.position > $1::bigint AND e.position <= bound.scanned_to
      AND ($4::text[] IS NULL OR e.event_type = ANY ($4::text[]))
      AND ($5::int IS NULL OR ${PARTITION_SQL.replace("$COUNT", "$5")} = $6::int)
     ORDER BY e.position
     LIMIT $7`,
    [
      options.after,
      options.scanLimit,
      options.upTo ?? null,
      filter.eventTypes ? [...filter.eventTypes] : null,
      filter.partition?.count ?? null,
      filter.partition?.index ?? null,
      options.maxEvents ?? null,
    ],
  );
  // (With nothing matching, the one row is the bound's, its position null.)
  const last = rows.at(-1)?.position ?? null;
  const full = options.maxEvents !== undefined && last !== null && rows.length >= options.maxEvents;
  const scannedTo = full ? last : (rows[0]?.scanned_to ?? null);
  const events = rows
    .filter((row) => row.position !== null)
    .map((row) => ({
      position: String(row.position),
      type: row.event_type,
      partitionKey: row.partition_key,
      payload: row.payload,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  return { scannedTo: scannedTo === null ? null : String(scannedTo), events };
}

/** How far a consumer is behind: matching events after `after`, and the oldest one's time. */
export async function outboxBacklog(
  executor: SqlExecutor,
  after: string,
  filter: OutboxFilter = {},
): Promise<{ events: number; oldestCreatedAt: string | null; oldestAgeMs: number }> {
  // The age is measured by the database's clock, the one that stamped created_at.
  const rows = await executeSql<{ events: number; oldest: string | Date | null; age_ms: number | null }>(
    executor,
    `SELECT count(*)::int AS events, min(created_at) AS oldest,
            (extract(epoch FROM clock_timestamp() - min(created_at)) * 1000)::float8 AS age_ms
     FROM outbox_event
     WHERE position > $1::bigint
       AND ($2::text[] IS NULL OR event_type = ANY ($2::text[]))
       AND ($3::int IS NULL OR ${PARTITION_SQL.replace("$COUNT", "$3")} = $4::int)`,
    [
      after,
      filter.eventTypes ? [...filter.eventTypes] : null,
      filter.partition?.count ?? null,
      filter.partition?.index ?? null,
    ],
  );
  const row = rows[0]!;
  return {
    events: row.events,
    oldestCreatedAt: row.oldest ? new Date(row.oldest).toISOString() : null,
    oldestAgeMs: row.age_ms === null ? 0 : Math.max(0, Math.round(Number(row.age_ms))),
  };
}

/**
 * Every stored offset of one handler, under any partition layout: its bare name and each
 * `name#I/N`. A consumer starting under a new layout reads them so that it never re-applies what
 * the old layout already applied.
 */
export async function listHandlerOffsets(
  executor: SqlExecutor,
  handlerName: string,
): Promise<Array<{ consumer: string; position: string }>> {
  const rows = await executeSql<{ consumer: string; position: string }>(
    executor,
    `SELECT consumer, position FROM consumer_offset
     WHERE consumer = $1 OR (starts_with(consumer, $1 || '#') AND consumer ~ '#[0-9]+/[0-9]+$')
     ORDER BY consumer`,
    [handlerName],
  );
  return rows.map((row) => ({ consumer: row.consumer, position: String(row.position) }));
}
