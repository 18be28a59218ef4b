import { FEEDS, type Feed } from "@passage/core";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { OUTBOX_APPEND_LOCK_KEY, OUTBOX_CHANNEL } from "./outbox-repository.ts";
import type { StagedRows } from "./record-staging.ts";
import { copyText } from "./record-staging.ts";

/**
 * The source-record aggregate: an append-only, versioned table of every row every feed sent.
 * Writes go through one bulk path: a batch none of whose keys is stored yet is copied straight
 * into the table as version 1; any other is copied into a staging table and versioned by one
 * INSERT...SELECT. Its outbox events are built in SQL from the rows stored. A key whose latest
 * version a redress resolution wrote keeps it against rows re-sending an earlier content of the key
 * (held: unchanged); new content supersedes it and appends a `source_superseded` event to the
 * request's history in the same statement. The reads are in record-queries.ts.
 */

/** One ingest transaction: the rows of one feed that commit together, with their provenance. */
export interface RecordBatch {
  readonly batchId: string;
  readonly feed: Feed;
  readonly sourceKind: "file" | "stream";
  readonly sourceName: string;
  readonly firstRow: number | null;
  readonly lastRow: number | null;
  /**
   * For files: digest of every accepted row of the source up to `lastRow`. A batch whose chain
   * is already committed is skipped whole (the re-run of a file, or its resumption after a crash),
   * unless one of its keys has a version written since by anything but that batch's run: then it
   * is versioned row by row like a first ingest (a re-send that reverts a correction).
   */
  readonly chainHash: Buffer | null;
  /**
   * For files: the ingest run the batch belongs to. Versions written by later batches of the
   * committed batch's own run do not stop a skip (a file holding two versions of one key).
   */
  readonly runId?: string | null;
  /** Rows read for this batch, rejected ones included. */
  readonly rowsReceived: number;
  readonly startedAt: string;
  readonly rows: StagedRows;
}

export type RecordOutcomeKind = "new" | "corrected" | "unchanged";

/** What happened to one staged record: a new key, a new version of a key, or nothing new. */
export interface RecordOutcome {
  readonly kind: RecordOutcomeKind;
  /**
   * The version that holds this row's key now: the row's own content, or (unchanged) the existing
   * version, which is a redress correction when `heldByRedress`.
   */
  readonly recordId: string;
  readonly version: number;
  /**
   * Present (kind `unchanged`) when the row re-sends content the key had before a redress
   * resolution corrected it: the correction stays current (the source still sends the corrected value).
   */
  readonly heldByRedress?: true;
}

export type RecordBatchResult =
  | { readonly status: "written"; readonly outcomes: readonly RecordOutcome[] }
  /** Skipped: `runId` is the run of the committed batch it repeats (null for a batch of no run). */
  | { readonly status: "already_committed"; readonly runId: string | null };

/**
 * Ingest transactions of one feed serialise on this advisory lock (class, feed index) so that
 * two writers never compute the same next version of a key; feeds proceed in parallel.
 */
const INGEST_LOCK_CLASS = 1346458451; // "PASS" as a 32-bit integer

const STAGE_TABLE = `
  CREATE TEMP TABLE IF NOT EXISTS passage_ingest_stage (
    record_key text NOT NULL,
    key_value text NOT NULL,
    content_hash bytea NOT NULL,
    fields jsonb NOT NULL,
    raw json NOT NULL,
    warnings jsonb NOT NULL,
    source_row integer,
    received_at timestamptz NOT NULL,
    ordinal integer NOT NULL
  ) ON COMMIT DELETE ROWS`;

/**
 * The latest stored version of the staged row's key (`s`), with where it came from: a version
 * written by a redress resolution is held against the source re-sending what it corrected.
 */
const LATEST_VERSION = `
    LEFT JOIN LATERAL (
      SELECT r.id, r.version, r.content_hash, r.source_kind = 'redress' AS from_redress, r.source_name
      FROM source_record r
      WHERE r.feed = $1 AND r.key_value = s.key_value AND r.record_key = s.record_key
      ORDER BY r.version DESC LIMIT 1
    ) latest ON true`;

/**
 * Whether the staged row re-sends what a redress resolution corrected: the key's latest version
 * was written by redress, and the row's content is that of a version the key had before it (the
 * source sending again the value the steward corrected is the same row again, a no-op). Only a key
 * whose latest version came from redress is looked up again (CASE evaluates the subquery for those
 * alone), so keys redress never touched cost nothing more.
 */
const RESENDS_CORRECTED = `
    CASE WHEN latest.from_redress AND latest.content_hash <> s.content_hash THEN EXISTS (
      SELECT 1 FROM source_record e
      WHERE e.feed = $1 AND e.key_value = s.key_value AND e.record_key = s.record_key
        AND e.version < latest.version AND e.content_hash = s.content_hash
    ) ELSE false END`;

/**
 * The history event of a redress request whose correction a source superseded: the key's latest
 * version was the request's correction (`source_name` = `redress:<request>`), and the source has
 * written a new version that is none of the key's earlier contents (`planned.supersedes_redress`,
 * one row a key). Placed after the insert of the records, so that $1..$4 (feed, batch id, source
 * kind, source name) take their types from the columns they are stored in.
 */
const RECORD_SUPERSEDED_CORRECTIONS = `
  superseded AS (
    INSERT INTO redress_event (request_id, actor, step, details)
    SELECT substr(x.latest_source, 9), 'ingest:' || $3, 'source_superseded',
           jsonb_build_object('record', $1 || ':' || x.key_value, 'recordKey', x.record_key,
                              'correctedVersion', x.latest_version, 'version', x.current_version,
                              'sourceKind', $3, 'source', $4, 'batchId', $2)
    FROM planned x WHERE x.supersedes_redress
  )`;

/**
 * Versions the staged rows against the latest stored version of each key and inserts the new
 * versions. A row is a change when its hash differs from the state before it: the previous row
 * of the same key in this batch (file order), else the latest stored version. Its version is
 * the latest stored one plus the number of changes of that key up to and including it. Every
 * staged row comes back, in order, with the version that now holds its content.
 *
 * A key whose latest version came from redress keeps it against rows re-sending an earlier
 * content of the key (`held`: unchanged) until the batch's first row with other content (`first_change`):
 * from that row on, the key is versioned as any other. Every row up to that one compares with the
 * latest stored version (those before it re-send the latest or were held), every row after it with
 * the previous row; one sort serves both windows.
 */
const VERSION_AND_INSERT = `
  WITH staged AS (
    SELECT s.ordinal, s.record_key, s.key_value, s.content_hash,
           latest.id AS latest_id, latest.version AS latest_version, latest.content_hash AS latest_hash,
           latest.from_redress, latest.source_name AS latest_source,
           ${RESENDS_CORRECTED} AS resends_corrected
    FROM pg_temp.passage_ingest_stage s
    ${LATEST_VERSION}
  ),
  compared AS (
    SELECT staged.*,
      min(ordinal) FILTER (WHERE NOT resends_corrected AND content_hash IS DISTINCT FROM latest_hash)
        OVER (keyed ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_change,
      lag(content_hash) OVER keyed AS previous_hash
    FROM staged
    WINDOW keyed AS (PARTITION BY record_key ORDER BY ordinal)
  ),
  decided AS (
    SELECT compared.*,
      resends_corrected AND ordinal < coalesce(first_change, 2147483647) AS held,
      NOT (resends_corrected AND ordinal < coalesce(first_change, 2147483647))
        AND CASE WHEN ordinal <= coalesce(first_change, 2147483647) THEN latest_hash ELSE previous_hash END
          IS DISTINCT FROM content_hash AS changed
    FROM compared
  ),
  planned AS (
    SELECT ordinal, record_key, key_value, changed, held, latest_id, latest_version, latest_source,
      from_redress AND ordinal = first_change AS supersedes_redress,
      coalesce(latest_version, 0) + count(*) FILTER (WHERE changed) OVER (PARTITION BY record_key ORDER BY ordinal)
        AS current_version
    FROM decided
  ),
  inserted AS (
    INSERT INTO source_record (feed, record_key, key_value, version, content_hash, fields, raw, warnings,
                               batch_id, source_kind, source_name, source_row, received_at)
    SELECT $1, s.record_key, s.key_value, p.current_version, s.content_hash, s.fields, s.raw, s.warnings,
           $2, $3, $4, s.source_row, s.received_at
    FROM planned p JOIN pg_temp.passage_ingest_stage s ON s.ordinal = p.ordinal
    WHERE p.changed ORDER BY p.ordinal
    RETURNING id, record_key, version
  ),
  ${RECORD_SUPERSEDED_CORRECTIONS}
  SELECT p.ordinal, p.changed, p.held, p.current_version::integer AS version, coalesce(i.id, p.latest_id) AS id
  FROM planned p LEFT JOIN inserted i ON i.record_key = p.record_key AND i.version = p.current_version
  ORDER BY p.ordinal`;

/**
 * The same plan for the usual batch, in which no key appears twice: each row is compared with the
 * latest stored version only, so the window functions and their sorts are not needed (about a
 * quarter of the statement's cost). `writeRecordBatch` picks it when the keys are distinct.
 */
const VERSION_AND_INSERT_DISTINCT_KEYS = `
  WITH compared AS (
    SELECT s.ordinal, s.record_key, s.key_value, latest.id AS latest_id, latest.version AS latest_version,
           latest.from_redress, latest.source_name AS latest_source,
           latest.content_hash IS DISTINCT FROM s.content_hash AS differs,
           ${RESENDS_CORRECTED} AS held
    FROM pg_temp.passage_ingest_stage s
    ${LATEST_VERSION}
  ),
  planned AS (
    SELECT ordinal, record_key, key_value, latest_id, latest_version, latest_source, held,
           differs AND NOT held AS changed, from_redress AND differs AND NOT held AS supersedes_redress,
           coalesce(latest_version, 0) + CASE WHEN differs AND NOT held THEN 1 ELSE 0 END AS current_version
    FROM compared
  ),
  inserted AS (
    INSERT INTO source_record (feed, record_key, key_value, version, content_hash, fields, raw, warnings,
                               batch_id, source_kind, source_name, source_row, received_at)
    SELECT $1, s.record_key, s.key_value, p.current_version, s.content_hash, s.fields, s.raw, s.warnings,
           $2, $3, $4, s.source_row, s.received_at
    FROM planned p JOIN pg_temp.passage_ingest_stage s ON s.ordinal = p.ordinal
    WHERE p.changed ORDER BY p.ordinal
    RETURNING id, record_key
  ),
  ${RECORD_SUPERSEDED_CORRECTIONS}
  SELECT p.ordinal, p.changed, p.held, p.current_version::integer AS version, coalesce(i.id, p.latest_id) AS id
  FROM planned p LEFT JOIN inserted i ON i.record_key = p.record_key
  ORDER BY p.ordinal`;

export interface WriteRecordBatchOptions {
  /**
   * Awaited before the feed lock is taken. A caller writing several batches of one source passes
   * "the previous batch has committed": the next batch then sees the previous one's keys, and
   * batches commit in order. If it rejects, this batch rolls back.
   */
  readonly afterStaging?: () => Promise<unknown>;
}

/**
 * Writes one batch in one transaction: the batch row, the new versions and their outbox events
 * (RecordsIngested for the version-1 records, RecordsCorrected for the later versions) commit
 * together or not at all.
 */
export async function writeRecordBatch(
  pool: pg.Pool,
  batch: RecordBatch,
  options: WriteRecordBatchOptions = {},
): Promise<RecordBatchResult> {
  if (batch.rows.size === 0) {
    await options.afterStaging?.();
    return { status: "written", outcomes: [] };
  }
  const client = await pool.connect();
  // A connection that dies while this transaction waits (e.g. in afterStaging) emits "error";
  // unheard, that would crash the process. The next query on it fails and is handled below.
  const ignoreClientError = () => undefined;
  client.on("error", ignoreClientError);
  const release = (error?: Error | boolean) => {
    client.removeListener("error", ignoreClientError);
    client.release(error);
  };
  try {
    // The feed lock, and the last record id drawn so far: every id this transaction draws will be
    // above it (identities only grow), which bounds the read of what it wrote.
    const feedLock = `SELECT pg_advisory_xact_lock(${INGEST_LOCK_CLASS}, ${FEEDS.indexOf(batch.feed)}), ${LAST_RECORD_ID} AS id`;
    let afterId: string;
    if (batch.chainHash === null && options.afterStaging === undefined) {
      // A stream batch has nothing to check or wait for before the lock: one round trip (a
      // small batch's statements cost more than its rows).
      const results = (await client.query(`BEGIN; ${feedLock}`)) as unknown as pg.QueryResult<{
        id: string;
      }>[];
      afterId = results[1]!.rows[0]!.id;
    } else {
      await client.query("BEGIN");
      await options.afterStaging?.();
      afterId = (await client.query<{ id: string }>(feedLock)).rows[0]!.id;
      // Under the lock: what was written since the committed batch decides, and it may be the
      // previous batch of this very run (afterStaging).
      const repeated =
        batch.chainHash === null ? undefined : await repeatedBatch(client, batch, batch.chainHash);
      if (repeated !== undefined) {
        await client.query("ROLLBACK");
        release();
        return { status: "already_committed", runId: repeated.runId };
      }
    }
    const { outcomes, events } = await insertBatch(client, batch, afterId);
    // Listeners hear of the events once they commit (PostgreSQL delivers a notification at commit).
    await client.query(events > 0 ? `${NOTIFY_LAST_EVENT}; COMMIT` : "COMMIT");
    release();
    return { status: "written", outcomes };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    // The connection may be broken (server gone, COPY aborted): never hand it back to the pool.
    release(error instanceof Error ? error : true);
    throw error;
  }
}

/**
 * Inside the batch's transaction, holding the feed lock: versions, then the batch row and the
 * outbox events (one statement). Returns each row's outcome and how many events were appended.
 *
 * A batch whose keys are distinct and none of them stored yet (the first load of a source, most
 * batches of a large file, every stream of new records) is all version 1: its rows are copied
 * straight into source_record, which spares PostgreSQL a second write and read of every row (the
 * staging table). Whether none is stored is found by trying (copiedAsAllNew).
 */
async function insertBatch(
  client: pg.PoolClient,
  batch: RecordBatch,
  afterId: string,
): Promise<{ outcomes: RecordOutcome[]; events: number }> {
  const distinctKeys = hasDistinctKeys(batch.rows.recordKeys);
  if (distinctKeys && (await copiedAsAllNew(client, batch))) {
    const written = await appendBatchAndEvents(client, batch, afterId, 0);
    return { outcomes: await newRecordOutcomes(client, batch, afterId, written), events: written.events };
  }
  const outcomes = await stageAndVersion(client, batch, distinctKeys);
  let heldByRedress = 0;
  for (const outcome of outcomes) if (outcome.heldByRedress) heldByRedress++;
  await client.query(OUTBOX_LOCK);
  const written = await appendBatchAndEvents(client, batch, afterId, heldByRedress);
  return { outcomes, events: written.events };
}

/** Copies the batch into the staging table and versions it into source_record: one outcome a row. */
async function stageAndVersion(
  client: pg.PoolClient,
  batch: RecordBatch,
  distinctKeys: boolean,
): Promise<RecordOutcome[]> {
  await client.query(STAGE_TABLE);
  await copyIn(client, "COPY pg_temp.passage_ingest_stage FROM STDIN", batch.rows.copyData());
  const planned = await client.query<{
    ordinal: number;
    changed: boolean;
    held: boolean;
    version: number;
    id: string;
  }>(distinctKeys ? VERSION_AND_INSERT_DISTINCT_KEYS : VERSION_AND_INSERT, [
    batch.feed,
    batch.batchId,
    batch.sourceKind,
    batch.sourceName,
  ]);
  const outcomes: RecordOutcome[] = new Array(batch.rows.size);
  for (const row of planned.rows) {
    const kind: RecordOutcomeKind = !row.changed ? "unchanged" : row.version === 1 ? "new" : "corrected";
    outcomes[row.ordinal] = row.held
      ? { kind, recordId: String(row.id), version: row.version, heldByRedress: true }
      : { kind, recordId: String(row.id), version: row.version };
  }
  return outcomes;
}

const LAST_RECORD_ID = `coalesce(pg_sequence_last_value(pg_get_serial_sequence('source_record', 'id')::regclass), 0)::text`;

/**
 * The lock every outbox append takes first (outbox-repository.ts): from here to the commit, this
 * transaction is the only one appending, so positions become visible in order.
 */
const OUTBOX_LOCK = `SELECT pg_advisory_xact_lock(${OUTBOX_APPEND_LOCK_KEY})`;

/** Wakes outbox consumers with the last position this transaction appended. */
const NOTIFY_LAST_EVENT = `SELECT pg_notify('${OUTBOX_CHANNEL}', currval(pg_get_serial_sequence('outbox_event', 'position'))::text)`;

const COPY_NEW_RECORDS = `COPY source_record (record_key, key_value, content_hash, fields, raw, warnings, source_row,
  received_at, feed, batch_id, source_kind, source_name, version) FROM STDIN`;

/** The columns after `received_at` in COPY_NEW_RECORDS: the same for every row of the batch. */
function directCopyTail(batch: RecordBatch): string {
  return `${copyText(batch.feed)}\t${copyText(batch.batchId)}\t${batch.sourceKind}\t${copyText(batch.sourceName)}\t1`;
}

/**
 * Copies a batch of distinct keys straight into source_record as version 1, under a savepoint.
 * If one of its keys is already stored, the unique (feed, key_value, record_key, version) index
 * refuses that row's version 1, the savepoint is rolled back and the batch takes the staging path
 * instead. Cheaper than asking first whether any key is stored (an array parameter and an index
 * probe per row, about 4 µs of PostgreSQL and 2 µs of Node CPU a row): the index checks every row
 * as it is inserted anyway, and a batch of stored keys fails at its first stored one. The feed
 * lock is held, so no other writer can store one of these keys meanwhile.
 */
async function copiedAsAllNew(client: pg.PoolClient, batch: RecordBatch): Promise<boolean> {
  await client.query("SAVEPOINT passage_all_new");
  try {
    await copyIn(client, COPY_NEW_RECORDS, batch.rows.copyDataWithTail(directCopyTail(batch)));
  } catch (error) {
    if (!isStoredKeyViolation(error)) throw error;
    await client.query("ROLLBACK TO SAVEPOINT passage_all_new");
    return false;
  }
  // What follows a copy is always the append of its events, so the outbox lock is taken with
  // the release (one round trip).
  await client.query(`RELEASE SAVEPOINT passage_all_new; ${OUTBOX_LOCK}`);
  return true;
}

/**
 * Sends one buffer through `COPY ... FROM STDIN`. A batch is one buffer, so it is written to the
 * copy stream directly: a Readable and a stream pipeline per batch (with the abort controller and
 * the AbortError a pipeline makes when it ends) cost more than a small batch's rows.
 */
function copyIn(client: pg.PoolClient, statement: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(statement));
    stream.once("error", reject);
    // Emitted once PostgreSQL has acknowledged the whole copy (pg-copy-streams waits for it).
    stream.once("finish", resolve);
    stream.end(data);
  });
}

/** A unique violation on source_record: only the version index can raise it (ids are drawn). */
function isStoredKeyViolation(error: unknown): boolean {
  const { code, table } = error as { code?: unknown; table?: unknown };
  return code === "23505" && table === "source_record";
}

/**
 * Records one outbox event names at most: consumers weigh an event by its records and split their
 * transactions between events (the linkage handler at 2,000 records), never inside one, so a
 * 5,000-row file batch is ten events.
 */
export const RECORDS_PER_EVENT = 500;

/**
 * Writes the batch row and appends the batch's outbox events: RecordsIngested for its version-1
 * records and RecordsCorrected for its new versions of stored keys, each naming the batch, the
 * kind's records from one id to another, and how many (at most RECORDS_PER_EVENT an event), built
 * in SQL from the stored rows; one statement. The payloads have exactly the fields of the core
 * event definitions; a test parses every event written with its definition. Partitioned by feed,
 * so a feed's batches stay in order on any partition layout. The caller holds the outbox lock and
 * notifies at commit, as `appendOutboxEvents` does.
 */
async function appendBatchAndEvents(
  client: pg.PoolClient,
  batch: RecordBatch,
  afterId: string,
  heldByRedress: number,
): Promise<{ records: number; events: number; firstId: string | null; lastId: string | null }> {
  const { rows } = await client.query<{
    records: number;
    events: number;
    first_id: string | null;
    last_id: string | null;
  }>(BATCH_AND_RECORD_EVENTS, [
    afterId,
    batch.batchId,
    batch.feed,
    batch.sourceKind,
    batch.sourceName,
    batch.firstRow,
    batch.lastRow,
    batch.chainHash,
    batch.rowsReceived,
    batch.startedAt,
    batch.runId ?? null,
    heldByRedress,
  ]);
  const written = rows[0]!;
  return {
    records: written.records,
    events: written.events,
    firstId: written.first_id,
    lastId: written.last_id,
  };
}

const BATCH_AND_RECORD_EVENTS = `
  WITH batch AS (
    INSERT INTO ingest_batch (id, feed, source_kind, source_name, first_row, last_row, chain_hash, rows_received,
                              started_at, run_id, records_before, held_by_redress)
    VALUES ($2::text::uuid, $3::text, $4, $5, $6, $7, $8, $9, $10, $11::text::uuid, $1::bigint, $12::integer)
  ),
  written AS (
    SELECT id, version = 1 AS ingested,
           (row_number() OVER (PARTITION BY version = 1 ORDER BY id) - 1) / ${RECORDS_PER_EVENT} AS part
    FROM source_record
    WHERE id > $1::bigint AND batch_id = $2::text::uuid
  ),
  parts AS (
    SELECT ingested, part, count(*)::integer AS records, min(id) AS first_id, max(id) AS last_id
    FROM written GROUP BY ingested, part
  ),
  appended AS (
    INSERT INTO outbox_event (event_type, partition_key, payload)
    SELECT CASE WHEN ingested THEN 'RecordsIngested' ELSE 'RecordsCorrected' END, $3::text,
           jsonb_build_object('batchId', $2::text, 'feed', $3::text, 'firstRecordId', first_id::text,
                              'lastRecordId', last_id::text, 'records', records)
    FROM parts ORDER BY ingested DESC, part
  )
  SELECT coalesce(sum(records), 0)::integer AS records, count(*)::integer AS events,
         min(first_id)::text AS first_id, max(last_id)::text AS last_id
  FROM parts`;

/**
 * The outcomes of a batch copied straight in: all new, version 1, with ids in copy order. The
 * ids are usually consecutive; when another writer drew ids meanwhile, they are read back.
 */
async function newRecordOutcomes(
  client: pg.PoolClient,
  batch: RecordBatch,
  afterId: string,
  written: { records: number; firstId: string | null; lastId: string | null },
): Promise<RecordOutcome[]> {
  const count = batch.rows.size;
  if (written.records !== count) {
    throw new Error(`copied ${count} records of batch ${batch.batchId} but found ${written.records}`);
  }
  const first = BigInt(written.firstId!);
  let ids: string[];
  if (BigInt(written.lastId!) - first + 1n === BigInt(count)) {
    ids = new Array(count);
    if (first + BigInt(count) <= BigInt(Number.MAX_SAFE_INTEGER)) {
      const start = Number(first);
      for (let index = 0; index < count; index++) ids[index] = String(start + index);
    } else {
      for (let index = 0; index < count; index++) ids[index] = String(first + BigInt(index));
    }
  } else {
    const { rows } = await client.query<{ id: string }>(
      "SELECT id::text AS id FROM source_record WHERE id > $1::bigint AND batch_id = $2::text::uuid ORDER BY source_record.id",
      [afterId, batch.batchId],
    );
    ids = rows.map((row) => row.id);
  }
  return ids.map((recordId) => ({ kind: "new", recordId, version: 1 }));
}

function hasDistinctKeys(recordKeys: readonly string[]): boolean {
  return new Set(recordKeys).size === recordKeys.length;
}

/**
 * The committed batch a file batch repeats, if it may be skipped: one of the feed with the same
 * chain digest after which (ids above its `records_before`) none of the batch's keys got a version
 * from anything but that batch itself or later batches of its run (the rest of the same file, which
 * may hold a key twice). A version from another run, a stream or redress is a change since: the
 * batch is then versioned row by row like a first ingest (a re-send reverting a correction). A
 * batch that held rows against redress corrections (`held_by_redress`, migration 0066) is never
 * repeated: its rows are versioned, so held, again, and every re-send counts them (the operator
 * learns each time that the source still sends what redress corrected). The latest such batch is
 * taken. Batches committed before migration 0064 (no `records_before`) keep the old rule: a
 * committed digest is skipped. One statement: an index probe a key, per candidate.
 */
async function repeatedBatch(
  client: pg.PoolClient,
  batch: RecordBatch,
  chainHash: Buffer,
): Promise<{ runId: string | null } | undefined> {
  // A first load (nearly every batch) has no committed batch of its digest: found by the digest
  // alone, without sending the batch's keys (two arrays of every key a batch: about 3% of a 5M-row
  // ingest's throughput).
  const committed = await client.query(
    "SELECT 1 FROM ingest_batch WHERE feed = $1 AND chain_hash = $2 LIMIT 1",
    [batch.feed, chainHash],
  );
  if (committed.rowCount === 0) return undefined;
  const { rows } = await client.query<{ run_id: string | null }>(REPEATED_BATCH, [
    batch.feed,
    chainHash,
    batch.rows.keyValues,
    batch.rows.recordKeys,
  ]);
  return rows.length === 0 ? undefined : { runId: rows[0]!.run_id };
}

const REPEATED_BATCH = `
  SELECT c.run_id::text AS run_id
  FROM ingest_batch c
  WHERE c.feed = $1 AND c.chain_hash = $2 AND c.held_by_redress = 0
    AND (c.records_before IS NULL OR NOT EXISTS (
      SELECT 1
      FROM unnest($3::text[], $4::text[]) AS k(key_value, record_key)
      JOIN source_record r ON r.feed = $1 AND r.key_value = k.key_value AND r.record_key = k.record_key
      JOIN ingest_batch b ON b.id = r.batch_id
      WHERE r.id > c.records_before AND r.batch_id <> c.id
        AND (c.run_id IS NULL OR b.run_id IS DISTINCT FROM c.run_id)
    ))
  ORDER BY c.records_before DESC NULLS LAST
  LIMIT 1`;
