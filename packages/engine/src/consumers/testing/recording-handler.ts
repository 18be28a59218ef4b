import type { Database } from "@passage/store";
import { appendOutboxEvents, type NewOutboxEvent } from "@passage/store";
import { type Kysely, sql } from "kysely";
import { ALL_EVENT_TYPES, type EventHandler } from "../event-handler.ts";

/**
 * Test fixtures: a handler whose effect is one row per applied event, in a table keyed by
 * position. A second apply of the same event is not hidden by the key: it is recorded in the
 * duplicates table, so a test counts doubles instead of seeing a stuck consumer.
 */
export async function createRecordingTables(db: Kysely<Database>, prefix: string): Promise<void> {
  await sql`
    CREATE TABLE IF NOT EXISTS ${sql.table(`${prefix}_applied`)} (
      position bigint PRIMARY KEY,
      handler text NOT NULL,
      partition_key text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`.execute(db);
  await sql`
    CREATE TABLE IF NOT EXISTS ${sql.table(`${prefix}_duplicate`)} (
      position bigint NOT NULL,
      handler text NOT NULL
    )`.execute(db);
}

/** A handler that records every event it applies under `prefix` (see createRecordingTables). */
export function recordingHandler(options: {
  name: string;
  prefix: string;
  eventTypes?: readonly string[];
  /** Called before each apply: a test may throw from it to fail an event. */
  beforeApply?: (position: string) => void;
  /** Also implement `applyBatch` (one set-based statement per batch). */
  batched?: boolean;
}): EventHandler {
  const applied = sql.table(`${options.prefix}_applied`);
  const duplicate = sql.table(`${options.prefix}_duplicate`);
  const applyBatch: EventHandler["applyBatch"] = async (transaction, events) => {
    for (const event of events) options.beforeApply?.(event.position);
    await sql`
      WITH incoming AS (
        SELECT * FROM unnest(${events.map((event) => event.position)}::bigint[],
                             ${events.map((event) => event.partitionKey)}::text[]) AS e(position, partition_key)
      ), inserted AS (
        INSERT INTO ${applied} (position, handler, partition_key)
        SELECT position, ${options.name}, partition_key FROM incoming
        ON CONFLICT (position) DO NOTHING RETURNING position
      )
      INSERT INTO ${duplicate} (position, handler)
      SELECT position, ${options.name} FROM incoming WHERE position NOT IN (SELECT position FROM inserted)`.execute(
      transaction,
    );
  };
  return {
    ...(options.batched ? { applyBatch } : {}),
    name: options.name,
    eventTypes: options.eventTypes ?? ALL_EVENT_TYPES,
    async apply(transaction, event) {
      options.beforeApply?.(event.position);
      const inserted = await sql<{ position: string }>`
        INSERT INTO ${applied} (position, handler, partition_key)
        VALUES (${event.position}::bigint, ${options.name}, ${event.partitionKey})
        ON CONFLICT (position) DO NOTHING RETURNING position`.execute(transaction);
      if (inserted.rows.length === 0) {
        await sql`INSERT INTO ${duplicate} (position, handler) VALUES (${event.position}::bigint, ${options.name})`.execute(
          transaction,
        );
      }
    },
  };
}

/** What a recording handler left: applied positions and how many applies were doubles. */
export async function readRecording(
  db: Kysely<Database>,
  prefix: string,
): Promise<{ applied: Set<string>; duplicates: number }> {
  const applied = await sql<{
    position: string;
  }>`SELECT position FROM ${sql.table(`${prefix}_applied`)}`.execute(db);
  const duplicates = await sql<{ count: number }>`
    SELECT count(*)::int AS count FROM ${sql.table(`${prefix}_duplicate`)}`.execute(db);
  return {
    applied: new Set(applied.rows.map((row) => String(row.position))),
    duplicates: duplicates.rows[0]!.count,
  };
}

/**
 * Appends `count` test events in transactions of `perTransaction`, keys spread over 97 persons,
 * and returns their positions.
 */
export async function appendTestEvents(
  db: Kysely<Database>,
  count: number,
  options: { perTransaction?: number; type?: string; firstIndex?: number } = {},
): Promise<string[]> {
  const perTransaction = options.perTransaction ?? 100;
  const first = options.firstIndex ?? 0;
  const positions: string[] = [];
  for (let start = 0; start < count; start += perTransaction) {
    const events: NewOutboxEvent[] = [];
    for (let index = start; index < Math.min(count, start + perTransaction); index++) {
      events.push({
        type: options.type ?? "TestEvent",
        partitionKey: `person-${(first + index) % 97}`,
        payload: { index: first + index },
      });
    }
    positions.push(
      ...(await db.transaction().execute((transaction) => appendOutboxEvents(transaction, events))),
    );
  }
  return positions;
}
