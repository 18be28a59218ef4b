import type { Feed, FieldIssue, NormalisedFields, SourceRecord } from "@passage/core";
import type pg from "pg";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/**
 * Reads of the source-record aggregate for other modules: the versions a `FEED:KEY` names (as
 * known at an instant), records by id, and the latest version of every record as a stream.
 * They return the core `SourceRecord`, with provenance where a caller may need it.
 */

/**
 * SQL formatting a timestamptz column exactly as `Date#toISOString` writes it (UTC, milliseconds),
 * whatever the session's time zone: parsed into a Date and formatted again, a value cost a few
 * microseconds of Node CPU.
 */
export function isoTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A stored version with its provenance (for the provenance view and audits). */
export interface StoredSourceRecord extends SourceRecord {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly warnings: readonly FieldIssue[];
  /** sha256 of the canonical normalised fields, hex. */
  readonly contentHash: string;
  readonly batchId: string;
  readonly sourceKind: "file" | "stream";
  readonly sourceName: string;
  readonly sourceRow: number | null;
  readonly receivedAt: string;
}

interface SourceRecordRow {
  id: string;
  feed: Feed;
  key_value: string;
  record_key: string;
  version: number;
  fields: NormalisedFields;
  recorded_at: string | Date;
  raw: Record<string, unknown>;
  warnings: FieldIssue[];
  content_hash: Buffer;
  batch_id: string;
  source_kind: "file" | "stream";
  source_name: string;
  source_row: number | null;
  received_at: string | Date;
}

const RECORD_COLUMNS =
  "id, feed, key_value, record_key, version, fields, recorded_at, raw, warnings, content_hash, batch_id, source_kind, source_name, source_row, received_at";
const CORE_COLUMNS = "id, feed, key_value, record_key, version, fields, recorded_at";

function toSourceRecord(row: SourceRecordRow): SourceRecord {
  return {
    id: String(row.id),
    feed: row.feed,
    keyValue: row.key_value,
    recordKey: row.record_key,
    version: row.version,
    fields: row.fields,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

function toStoredSourceRecord(row: SourceRecordRow): StoredSourceRecord {
  return {
    ...toSourceRecord(row),
    raw: row.raw,
    warnings: row.warnings,
    contentHash: Buffer.from(row.content_hash).toString("hex"),
    batchId: row.batch_id,
    sourceKind: row.source_kind,
    sourceName: row.source_name,
    sourceRow: row.source_row,
    receivedAt: new Date(row.received_at).toISOString(),
  };
}

/**
 * Every version of the record(s) a `FEED:KEY` names (all rows of composite-key feeds), ordered
 * by record key then version; with `knownAt`, only versions stored at or before that instant.
 */
export async function findRecordVersions(
  executor: SqlExecutor,
  feed: Feed,
  keyValue: string,
  options: { readonly knownAt?: string | Date } = {},
): Promise<StoredSourceRecord[]> {
  const knownAt = options.knownAt === undefined ? null : new Date(options.knownAt).toISOString();
  const rows = await executeSql<SourceRecordRow>(
    executor,
    `SELECT ${RECORD_COLUMNS} FROM source_record
     WHERE feed = $1 AND key_value = $2 AND ($3::timestamptz IS NULL OR date_trunc('milliseconds', recorded_at) <= $3::timestamptz)
     ORDER BY record_key, version`,
    [feed, keyValue, knownAt],
  );
  return rows.map(toStoredSourceRecord);
}

/** The stored versions with these ids (in id order; unknown ids are absent). */
export async function findRecordsByIds(
  executor: SqlExecutor,
  ids: readonly string[],
): Promise<StoredSourceRecord[]> {
  if (ids.length === 0) return [];
  const rows = await executeSql<SourceRecordRow>(
    executor,
    `SELECT ${RECORD_COLUMNS} FROM source_record WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [ids],
  );
  return rows.map(toStoredSourceRecord);
}

/**
 * The latest version of every record (of one feed, or of all), streamed page by page from one
 * consistent snapshot: memory stays bounded by the page size whatever the table's size. Breaking
 * out of the loop ends the snapshot and returns the connection.
 */
export async function* streamLatestRecords(
  pool: pg.Pool,
  options: { readonly feed?: Feed; readonly pageSize?: number } = {},
): AsyncGenerator<SourceRecord> {
  const pageSize = options.pageSize ?? 2000;
  const client = await pool.connect();
  // Between pages the connection is idle: its failure must not crash the process (see above).
  const ignoreClientError = () => undefined;
  client.on("error", ignoreClientError);
  let failed: Error | undefined;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    let after: readonly string[] | undefined;
    for (;;) {
      // Keyset pagination down the (feed, key_value, record_key, version) index, newest version
      // first; the conditions are written out only when present so that they stay index bounds.
      const conditions: string[] = [];
      const parameters: unknown[] = [];
      if (options.feed !== undefined) {
        parameters.push(options.feed);
        conditions.push(`feed = $${parameters.length}`);
      }
      if (after !== undefined) {
        parameters.push(...after);
        const [feed, key, record] = [parameters.length - 2, parameters.length - 1, parameters.length];
        conditions.push(`(feed, key_value, record_key) < ($${feed}, $${key}, $${record})`);
      }
      parameters.push(pageSize);
      const { rows } = await client.query<SourceRecordRow>(
        `SELECT DISTINCT ON (feed, key_value, record_key) ${CORE_COLUMNS} FROM source_record
         ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
         ORDER BY feed DESC, key_value DESC, record_key DESC, version DESC
         LIMIT $${parameters.length}`,
        parameters,
      );
      for (const row of rows) yield toSourceRecord(row);
      if (rows.length < pageSize) break;
      const last = rows.at(-1)!;
      after = [last.feed, last.key_value, last.record_key];
    }
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    client.removeListener("error", ignoreClientError);
    if (failed) {
      client.release(failed);
    } else {
      // Ends the read-only snapshot, also when the consumer stopped early.
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
    }
  }
}

/** How many stored versions a batch wrote (for tests and audits). */
export async function countBatchRecords(executor: SqlExecutor, batchId: string): Promise<number> {
  const rows = await executeSql<{ count: number }>(
    executor,
    "SELECT count(*)::integer AS count FROM source_record WHERE batch_id = $1",
    [batchId],
  );
  return rows[0]?.count ?? 0;
}

/** The records one RecordsIngested / RecordsCorrected event names (its payload's fields and kind). */
export interface StoredRecordRange {
  readonly batchId: string;
  readonly firstRecordId: string;
  readonly lastRecordId: string;
  /** RecordsCorrected (versions 2 and up), not RecordsIngested (version 1). */
  readonly corrections: boolean;
}

/**
 * The distinct record keys (feed, key_value) of the records these events name: each batch's
 * records of the event's kind within its id range, found down the primary key. In order of
 * first appearance.
 */
export async function findKeysOfStoredRecords(
  executor: SqlExecutor,
  ranges: readonly StoredRecordRange[],
): Promise<{ feed: Feed; keyValue: string }[]> {
  if (ranges.length === 0) return [];
  const rows = await executeSql<{ feed: Feed; key_value: string }>(
    executor,
    // Each range is read by its own scan of the primary key (the lateral subquery, kept apart by
    // OFFSET 0): joined plainly, the planner cannot tell how few rows an id range holds and hashed
    // the whole table instead, about 1.2 s a batch at 260k records (and growing with the table).
    `SELECT r.feed, r.key_value
     FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::boolean[]) AS range (batch_id, first_id, last_id, corrections)
     CROSS JOIN LATERAL (
       SELECT r.id, r.feed, r.key_value FROM source_record r
       WHERE r.id BETWEEN range.first_id AND range.last_id AND r.batch_id = range.batch_id
         AND (r.version > 1) = range.corrections
       OFFSET 0) r
     GROUP BY r.feed, r.key_value
     ORDER BY min(r.id)`,
    [
      ranges.map((range) => range.batchId),
      ranges.map((range) => range.firstRecordId),
      ranges.map((range) => range.lastRecordId),
      ranges.map((range) => range.corrections),
    ],
  );
  return rows.map((row) => ({ feed: row.feed, keyValue: row.key_value }));
}
