import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { textArrayLiteral } from "./array-literals.ts";
import { jsonLines, jsonLinesOf } from "./json-lines.ts";
import { encodeCopyField } from "./linkage-bulk-repository.ts";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/** One row of the lifecycle projection. */
export interface PersonStatusRow {
  readonly personId: string;
  readonly asOf: string;
  readonly primaryState: string;
  readonly stateDetail: string | null;
  readonly overlays: readonly string[];
  readonly blockers: readonly string[];
  readonly gatesHolding: readonly string[];
  readonly finalOrderExecutable: boolean;
  readonly actionable: boolean;
  readonly nextChangeOn: string | null;
  /** The full derived status (core `PersonStatus`). */
  readonly status: unknown;
  /** The full gate evaluation (policy `GateEvaluation`). */
  readonly gates: unknown;
  /** Digest of the inputs (record versions, identity facts, as-of date): equal digest, equal row. */
  readonly inputDigest: string;
}

const COLUMNS = [
  "person_id",
  "as_of",
  "primary_state",
  "state_detail",
  "overlays",
  "blockers",
  "gates_holding",
  "final_order_executable",
  "actionable",
  "next_change_on",
  "status",
  "gates",
  "input_digest",
] as const;

/** Every column but the key set from the incoming row (`ON CONFLICT ... DO UPDATE`). */
const UPDATE_COLUMNS = COLUMNS.filter((column) => column !== "person_id")
  .map((column) => `${column} = EXCLUDED.${column}`)
  .join(", ");

/** The rows as JSON lines (snake_case keys, the columns' names). */
function rowLines(rows: readonly PersonStatusRow[]): string {
  return jsonLines(
    rows.map((row) => ({
      person_id: row.personId,
      as_of: row.asOf,
      primary_state: row.primaryState,
      state_detail: row.stateDetail,
      overlays: row.overlays,
      blockers: row.blockers,
      gates_holding: row.gatesHolding,
      final_order_executable: row.finalOrderExecutable,
      actionable: row.actionable,
      next_change_on: row.nextChangeOn,
      status: row.status,
      gates: row.gates,
      input_digest: row.inputDigest,
    })),
  );
}

/** Inserts or replaces the status rows of these persons in one set-based statement (rows as JSON lines). */
export async function upsertPersonStatuses(
  executor: SqlExecutor,
  rows: readonly PersonStatusRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await executeSql(
    executor,
    `INSERT INTO person_status (${COLUMNS.join(", ")})
     SELECT ${COLUMNS.join(", ")}
     FROM ${jsonLinesOf("$1")} AS e(line, ordinal), jsonb_to_record(e.line) AS incoming(
       person_id text, as_of date, primary_state text, state_detail text, overlays text[], blockers text[],
       gates_holding text[], final_order_executable boolean, actionable boolean, next_change_on date,
       status jsonb, gates jsonb, input_digest text)
     ON CONFLICT (person_id) DO UPDATE SET ${UPDATE_COLUMNS}, derived_at = clock_timestamp()`,
    [rowLines(rows)],
  );
}

/** JSON as a COPY text field: JSON text has no raw tab or newline, so only backslashes are escaped. */
function copyJsonField(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes("\\") ? json.replaceAll("\\", "\\\\") : json;
}

const COPY_CHUNK_BYTES = 1 << 20;

/** Status rows encoded as COPY text as they are added, for `insertPersonStatuses`. */
export interface PersonStatusCopy {
  /** Encodes one row; the row object is not kept. */
  add(row: PersonStatusRow): void;
  /** How many rows were added. */
  readonly rows: number;
  /** The encoded rows in the order added, as UTF-8 chunks of COPY text. */
  chunks(): readonly Buffer[];
}

/**
 * An empty batch of status rows for COPY. Each row is encoded into an off-heap chunk as soon as
 * it is added: holding a batch of rows (or their lines as strings) until the write kept them
 * alive through several young-generation collections, each of which copied them.
 */
export function createPersonStatusCopy(): PersonStatusCopy {
  const done: Buffer[] = [];
  let chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  let used = 0;
  let rows = 0;
  return {
    add(row) {
      const line =
        `${encodeCopyField(row.personId)}\t${encodeCopyField(row.asOf)}\t${encodeCopyField(row.primaryState)}\t` +
        `${encodeCopyField(row.stateDetail)}\t${encodeCopyField(textArrayLiteral(row.overlays))}\t` +
        `${encodeCopyField(textArrayLiteral(row.blockers))}\t${encodeCopyField(textArrayLiteral(row.gatesHolding))}\t` +
        `${row.finalOrderExecutable}\t${row.actionable}\t${encodeCopyField(row.nextChangeOn)}\t` +
        `${copyJsonField(row.status)}\t${copyJsonField(row.gates)}\t${encodeCopyField(row.inputDigest)}\n`;
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      const room = line.length * 3;
      if (used + room > chunk.length) {
        if (used > 0) done.push(chunk.subarray(0, used));
        chunk = Buffer.allocUnsafe(Math.max(COPY_CHUNK_BYTES, room));
        used = 0;
      }
      used += chunk.write(line, used, "utf8");
      rows++;
    },
    get rows() {
      return rows;
    },
    chunks() {
      return used > 0 ? [...done, chunk.subarray(0, used)] : done;
    },
  };
}

const UNIQUE_VIOLATION = "23505";
const COPY_TARGET = `person_status (${COLUMNS.join(", ")})`;

/**
 * Inserts status rows into the projection with COPY (no statement to parse or plan, no line to
 * split). If any of these persons has a row already, that COPY fails as a whole and the batch
 * goes through a staging table into an upsert instead, so the result is always that of
 * `upsertPersonStatuses`. (A rebuild fills a table of its own: `copyIntoPersonStatusRebuild`.)
 */
export async function insertPersonStatuses(pool: pg.Pool, batch: PersonStatusCopy): Promise<void> {
  if (batch.rows === 0) return;
  const chunks = batch.chunks();
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    try {
      await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${COPY_TARGET} FROM STDIN`)));
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await upsertThroughStaging(client, chunks);
    }
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    client.release(failed);
  }
}

async function upsertThroughStaging(client: pg.PoolClient, chunks: readonly Buffer[]): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(
      "CREATE TEMPORARY TABLE person_status_incoming (LIKE person_status INCLUDING DEFAULTS) ON COMMIT DROP",
    );
    await pipeline(
      Readable.from(chunks),
      client.query(copyFrom(`COPY person_status_incoming (${COLUMNS.join(", ")}) FROM STDIN`)),
    );
    await client.query(
      `INSERT INTO ${COPY_TARGET} SELECT ${COLUMNS.join(", ")} FROM person_status_incoming
       ON CONFLICT (person_id) DO UPDATE SET ${UPDATE_COLUMNS}, derived_at = clock_timestamp()`,
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/**
 * The table a rebuild fills beside the live projection. Readers go on reading `person_status`
 * while it fills; `swapInPersonStatusRebuild` replaces the projection with it in one short
 * transaction, so a rebuild that fails or is killed leaves the projection as it was.
 */
const REBUILD_TABLE = "person_status_rebuild";
/** Index and constraint names of the rebuild table carry this prefix until the swap. */
const REBUILD_PREFIX = "rebuild__";

/**
 * The advisory lock a rebuild of the projection holds from start to swap (an arbitrary constant:
 * "passage" and 3), so that a second rebuild cannot drop or swap in the first one's table. It is
 * a session lock: a killed rebuild's connection ends, and the lock with it.
 */
const REBUILD_LOCK_KEY = "7061737361676503";

/** The rebuild lock, held on a connection of its own until `release`. */
export interface PersonStatusRebuildLock {
  release(): Promise<void>;
}

/** Takes the rebuild lock if no other rebuild holds it; `undefined` if one does. */
export async function tryLockPersonStatusRebuild(
  pool: pg.Pool,
): Promise<PersonStatusRebuildLock | undefined> {
  const client = await pool.connect();
  try {
    const result = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(${REBUILD_LOCK_KEY}) AS locked`,
    );
    if (!result.rows[0]!.locked) {
      client.release();
      return undefined;
    }
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  return {
    async release() {
      try {
        await client.query(`SELECT pg_advisory_unlock(${REBUILD_LOCK_KEY})`);
        client.release();
      } catch (error) {
        // The connection is closed instead, which ends the lock too.
        client.release(error as Error);
      }
    },
  };
}

/** A rebuild of the projection under way (`beginPersonStatusRebuild`). */
export interface PersonStatusRebuild {
  /**
   * When the rebuild began, as the database's clock, moved back to the start of any transaction
   * then open: a row of the live projection derived since (its `derived_at`) may rest on inputs
   * the rebuild did not see, and is derived again at the swap.
   */
  readonly startedAt: string;
}

/**
 * Starts a rebuild beside the projection: an empty table with `person_status`'s columns,
 * defaults, NOT NULL and CHECK constraints and column storage, but no index yet (the load is
 * faster without). What a failed or killed rebuild left behind is dropped first.
 */
export async function beginPersonStatusRebuild(executor: SqlExecutor): Promise<PersonStatusRebuild> {
  await executeSql(executor, `DROP TABLE IF EXISTS ${REBUILD_TABLE}`);
  await executeSql(
    executor,
    `CREATE TABLE ${REBUILD_TABLE}
       (LIKE person_status INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`,
  );
  const [row] = await executeSql<{ started_at: string }>(
    executor,
    `SELECT least(clock_timestamp(), (
       SELECT min(xact_start) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
     ))::text AS started_at`,
  );
  return { startedAt: row!.started_at };
}

/** Appends status rows to the rebuild's table with COPY (`beginPersonStatusRebuild`). */
export async function copyIntoPersonStatusRebuild(pool: pg.Pool, batch: PersonStatusCopy): Promise<void> {
  if (batch.rows === 0) return;
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    await pipeline(
      Readable.from(batch.chunks()),
      client.query(copyFrom(`COPY ${REBUILD_TABLE} (${COLUMNS.join(", ")}) FROM STDIN`)),
    );
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    client.release(failed);
  }
}

/**
 * Gives the filled rebuild table the projection's primary key and indexes (built from
 * `person_status`'s own definitions, under temporary names) and its planner statistics: the slow
 * part of the swap, done before it while readers still read the projection.
 */
export async function indexPersonStatusRebuild(executor: SqlExecutor): Promise<void> {
  const constraints = await executeSql<{ name: string; definition: string }>(
    executor,
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = 'person_status'::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname`,
  );
  for (const { name, definition } of constraints) {
    await executeSql(
      executor,
      `ALTER TABLE ${REBUILD_TABLE} ADD CONSTRAINT ${quoteIdentifier(REBUILD_PREFIX + name)} ${definition}`,
    );
  }
  const indexes = await executeSql<{ name: string; definition: string }>(
    executor,
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = 'person_status'::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
     ORDER BY i.relname`,
  );
  for (const { name, definition } of indexes) {
    // "CREATE [UNIQUE] INDEX name ON [ONLY] schema.person_status USING ...": only the name and table change.
    const rewritten = definition.replace(
      /^(CREATE (?:UNIQUE )?INDEX )(\S+)( ON (?:ONLY )?)((?:\S+\.)?)person_status( USING )/,
      (_match, create: string, _name: string, on: string, schema: string, using: string) =>
        `${create}${quoteIdentifier(REBUILD_PREFIX + name)}${on}${schema}${REBUILD_TABLE}${using}`,
    );
    if (rewritten === definition)
      throw new Error(`cannot rebuild index ${name} of person_status: ${definition}`);
    await executeSql(executor, rewritten);
  }
  await executeSql(executor, `ANALYZE ${REBUILD_TABLE}`);
}

/**
 * In the caller's transaction: waits for every writer of the projection to finish and keeps new
 * ones out until commit (readers too, for the few statements of the swap), and answers which
 * persons' rows were derived while the rebuild ran (see `PersonStatusRebuild.startedAt`). The
 * lifecycle handler's offsets are locked first, in the order its own transactions take them.
 */
export async function lockPersonStatusForSwap(
  executor: SqlExecutor,
  handlerName: string,
  rebuild: PersonStatusRebuild,
): Promise<string[]> {
  await executeSql(
    executor,
    `SELECT consumer FROM consumer_offset WHERE consumer = $1 OR consumer LIKE $1 || '#%'
     ORDER BY consumer FOR UPDATE`,
    [handlerName],
  );
  await executeSql(executor, "LOCK TABLE person_status IN ACCESS EXCLUSIVE MODE");
  const rows = await executeSql<{ person_id: string }>(
    executor,
    "SELECT person_id FROM person_status WHERE derived_at >= $1::timestamptz",
    [rebuild.startedAt],
  );
  return rows.map((row) => row.person_id);
}

/**
 * In the caller's transaction, after `lockPersonStatusForSwap`: drops the projection and puts the
 * rebuild's table in its place under its names.
 */
export async function swapInPersonStatusRebuild(executor: SqlExecutor): Promise<void> {
  const names = await executeSql<{ name: string; is_constraint: boolean }>(
    executor,
    `SELECT i.relname AS name, EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) AS is_constraint
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = '${REBUILD_TABLE}'::regclass ORDER BY i.relname`,
  );
  await executeSql(executor, "DROP TABLE person_status");
  await executeSql(executor, `ALTER TABLE ${REBUILD_TABLE} RENAME TO person_status`);
  for (const { name, is_constraint: constraint } of names) {
    if (!name.startsWith(REBUILD_PREFIX)) continue;
    const final = quoteIdentifier(name.slice(REBUILD_PREFIX.length));
    await executeSql(
      executor,
      constraint
        ? `ALTER TABLE person_status RENAME CONSTRAINT ${quoteIdentifier(name)} TO ${final}`
        : `ALTER INDEX ${quoteIdentifier(name)} RENAME TO ${final}`,
    );
  }
}

/**
 * The persons named (changed or retired) by events of this type after `position`: what a rebuild
 * reading a snapshot taken at `position` may have missed.
 */
export async function findPersonsNamedAfter(
  executor: SqlExecutor,
  eventType: string,
  position: string,
): Promise<string[]> {
  const rows = await executeSql<{ person_id: string }>(
    executor,
    `SELECT DISTINCT person_id FROM outbox_event e,
       jsonb_array_elements_text(coalesce(e.payload->'personIds', '[]') || coalesce(e.payload->'retiredPersonIds', '[]'))
         AS person_id
     WHERE e.position > $2::bigint AND e.event_type = $1`,
    [eventType, position],
  );
  return rows.map((row) => row.person_id);
}

/** Drops what a rebuild left beside the projection (after it failed; nothing if none). */
export async function abandonPersonStatusRebuild(executor: SqlExecutor): Promise<void> {
  await executeSql(executor, `DROP TABLE IF EXISTS ${REBUILD_TABLE}`);
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Removes the status rows of persons that no longer exist (merged or emptied). */
export async function deletePersonStatuses(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<void> {
  if (personIds.length === 0) return;
  await executeSql(executor, "DELETE FROM person_status WHERE person_id = ANY($1::text[])", [personIds]);
}

/** The digests and headline fields currently stored for these persons (to skip or report changes). */
export async function findStatusHeadlines(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, { primaryState: string; actionable: boolean; inputDigest: string }>> {
  const rows = await executeSql<{
    person_id: string;
    primary_state: string;
    actionable: boolean;
    input_digest: string;
  }>(
    executor,
    "SELECT person_id, primary_state, actionable, input_digest FROM person_status WHERE person_id = ANY($1::text[])",
    [personIds],
  );
  return new Map(
    rows.map((row) => [
      row.person_id,
      { primaryState: row.primary_state, actionable: row.actionable, inputDigest: row.input_digest },
    ]),
  );
}

/** The stored status row of one person. */
export async function findPersonStatus(
  executor: SqlExecutor,
  personId: string,
): Promise<PersonStatusRow | undefined> {
  const rows = await executeSql<Record<string, unknown>>(
    executor,
    `SELECT ${COLUMNS.join(", ")} FROM person_status WHERE person_id = $1`,
    [personId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    personId: row.person_id as string,
    asOf: row.as_of as string,
    primaryState: row.primary_state as string,
    stateDetail: row.state_detail as string | null,
    overlays: row.overlays as string[],
    blockers: row.blockers as string[],
    gatesHolding: row.gates_holding as string[],
    finalOrderExecutable: row.final_order_executable as boolean,
    actionable: row.actionable as boolean,
    nextChangeOn: row.next_change_on as string | null,
    status: row.status,
    gates: row.gates,
    inputDigest: row.input_digest as string,
  };
}

/**
 * Persons whose status may have changed by `today` with no new record (a deadline passed, a
 * grant ended): their stored `as_of` is before `today` and their next change is due.
 */
export async function findPersonsDueForChange(
  executor: SqlExecutor,
  today: string,
  limit: number,
): Promise<string[]> {
  const rows = await executeSql<{ person_id: string }>(
    executor,
    `SELECT person_id FROM person_status
     WHERE next_change_on IS NOT NULL AND next_change_on <= $1::date AND as_of < $1::date
     ORDER BY next_change_on, person_id LIMIT $2`,
    [today, limit],
  );
  return rows.map((row) => row.person_id);
}
