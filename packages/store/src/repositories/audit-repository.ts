import type { Kysely } from "kysely";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { Database } from "../database-schema.ts";

/**
 * The audit log's SQL (issue 6). The repository stores what the access layer computed — the
 * canonical content, its leaf hash — and hands out gapless positions: a position is taken by
 * moving the one-row head forward, and the row lock on the head serialises appenders from that
 * update to their commit, so entries become visible in position order and a rolled-back append
 * leaves no gap. Callers batch entries to keep that lock short.
 *
 * Appends go through connections of their own: every audited read waits for its entry's commit,
 * and in the shared pool a batch waited behind the queries of a burst of reads, so reads with
 * their answer ready waited on reads not yet started.
 */

/** Connections kept for appends: one for the batch in flight, one for a caller's own `append`. */
const APPEND_CONNECTIONS = 2;

/** An entry to append, its content built for the position it was given. */
export interface AuditRowToAppend {
  readonly content: string;
  readonly leafHash: Buffer;
  readonly actor: string;
  readonly resourceType: string;
  readonly resourceId: string;
}

/**
 * An entry as stored: its content and leaf hash, and the columns search filters on (UTF-8). The
 * Merkle tree covers only the content; the columns must say what it says, which `verify` checks.
 */
export interface StoredAuditRow {
  readonly sequence: number;
  readonly content: Buffer;
  readonly leafHash: Buffer;
  readonly actor: Buffer;
  readonly resourceType: Buffer;
  readonly resourceId: Buffer;
}

/**
 * The columns of a stored entry, in the order `StoredAuditRow` and the COPY of a snapshot read them.
 * The verifier compares the search columns with the content in Node, on the bytes as read: asking
 * PostgreSQL instead (parsing the content as jsonb, or matching each column's JSON string in it)
 * cost it 2-3.5 µs of CPU per entry, more than the Node check, and on 2 cores it slowed verify.
 */
const ENTRY_COLUMNS = "sequence, content, leaf_hash, actor, resource_type, resource_id";

/** A signed checkpoint as stored, with the frontier to resume the tree from. */
export interface AuditCheckpointRow {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly signedAt: string;
  readonly keyId: string;
  readonly signature: Buffer;
  readonly document: Record<string, unknown>;
  readonly frontier: Buffer[];
}

/** A consistent read of the whole log: the head, the checkpoints and the entries of one snapshot. */
export interface AuditSnapshot {
  readonly recordedSize: number;
  readonly checkpoints: readonly AuditCheckpointRow[];
  /** Every entry in position order, in batches; iterate once. */
  entries(batchSize?: number): AsyncIterable<StoredAuditRow[]>;
  close(): Promise<void>;
}

export interface AuditEntryQuery {
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly actor?: string;
  /** Only entries before this position (for paging backwards). */
  readonly before?: number;
  readonly limit: number;
}

export interface AuditRepository {
  /** Takes `count` positions, builds the rows for them and stores them, in one transaction. Returns the first position. */
  append(count: number, build: (firstIndex: number) => readonly AuditRowToAppend[]): Promise<number>;
  /**
   * Stores rows built for positions from `firstIndex` in one statement (one round trip instead of
   * four), provided the head is still at `firstIndex`; false, with nothing written, when another
   * writer moved it meanwhile.
   */
  appendAt(firstIndex: number, rows: readonly AuditRowToAppend[]): Promise<boolean>;
  recordedSize(): Promise<number>;
  /** Ends the connections kept for appends; later appends use the shared pool. */
  close(): Promise<void>;
  readEntry(index: number): Promise<StoredAuditRow | undefined>;
  /** The entries at positions `from` .. `to - 1`, in order (fewer if some are missing). */
  readEntries(from: number, to: number): Promise<StoredAuditRow[]>;
  /**
   * The recorded leaf hashes of positions `from` .. `to - 1`, in order, one per position:
   * `undefined` where that entry is missing (deleted behind the triggers' back).
   */
  readLeafHashes(from: number, to: number): Promise<(Buffer | undefined)[]>;
  findEntries(query: AuditEntryQuery): Promise<StoredAuditRow[]>;
  insertCheckpoint(checkpoint: AuditCheckpointRow): Promise<void>;
  /**
   * The stored checkpoint with the largest tree size, or with the largest at most `atMost` when
   * given. Rows are returned as stored: the caller checks their signature and frontier.
   */
  latestCheckpoint(atMost?: number): Promise<AuditCheckpointRow | undefined>;
  openSnapshot(): Promise<AuditSnapshot>;
}

interface CheckpointRecord {
  tree_size: string;
  root_hash: Buffer;
  signed_at: string;
  key_id: string;
  signature: Buffer;
  document: Record<string, unknown>;
  frontier: Buffer;
}

/** The `audit_entry` columns of rows stored from position `firstIndex`, one array per column. */
function entryColumnsOf(firstIndex: number, rows: readonly AuditRowToAppend[]): unknown[][] {
  return [
    rows.map((_, offset) => firstIndex + offset),
    rows.map((row) => row.content),
    rows.map((row) => row.leafHash),
    rows.map((row) => row.actor),
    rows.map((row) => row.resourceType),
    rows.map((row) => row.resourceId),
  ];
}

/** The audit repository over a pooled database handle. */
export function createAuditRepository(handle: {
  readonly db: Kysely<Database>;
  readonly pool: pg.Pool;
}): AuditRepository {
  const { db, pool } = handle;
  let appendPool: pg.Pool | undefined;
  let closed = false;
  const appending = (): pg.Pool => {
    if (closed) return pool;
    if (!appendPool) {
      // The shared pool's connection settings; idle connections never keep a process alive.
      appendPool = new pg.Pool({ ...pool.options, max: APPEND_CONNECTIONS, allowExitOnIdle: true });
      // An idle connection's error (the server stopped) must not crash the process.
      appendPool.on("error", () => undefined);
    }
    return appendPool;
  };
  return {
    async append(count, build) {
      if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`cannot append ${count} entries`);
      const client = await appending().connect();
      try {
        await client.query("BEGIN");
        const head = await client.query<{ size: string }>(
          "UPDATE audit_log_head SET size = size + $1 RETURNING size",
          [count],
        );
        const firstIndex = Number(head.rows[0]!.size) - count;
        const rows = build(firstIndex);
        if (rows.length !== count) throw new Error(`built ${rows.length} audit rows for ${count} positions`);
        await client.query(
          `INSERT INTO audit_entry (sequence, content, leaf_hash, actor, resource_type, resource_id)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::text[], $5::text[], $6::text[])`,
          entryColumnsOf(firstIndex, rows),
        );
        await client.query("COMMIT");
        return firstIndex;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },

    async appendAt(firstIndex, rows) {
      if (!Number.isSafeInteger(firstIndex) || firstIndex < 0 || rows.length < 1) {
        throw new RangeError(`cannot append ${rows.length} entries at ${firstIndex}`);
      }
      // The head's row lock is held to the statement's commit, as in `append`: entries still
      // become visible in position order, and the head and its entries move together or not at all.
      const result = await appending().query({
        name: "passage.audit_append_at",
        text: `WITH head AS (
                 UPDATE audit_log_head SET size = size + $1::bigint WHERE size = $2::bigint RETURNING size)
               INSERT INTO audit_entry (sequence, content, leaf_hash, actor, resource_type, resource_id)
               SELECT entry.* FROM head,
                 unnest($3::bigint[], $4::text[], $5::bytea[], $6::text[], $7::text[], $8::text[]) AS entry`,
        values: [rows.length, firstIndex, ...entryColumnsOf(firstIndex, rows)],
      });
      return result.rowCount === rows.length;
    },

    async close() {
      closed = true;
      const ending = appendPool;
      appendPool = undefined;
      await ending?.end();
    },

    async recordedSize() {
      const row = await db.selectFrom("audit_log_head").select("size").executeTakeFirstOrThrow();
      return Number(row.size);
    },

    async readEntry(index) {
      const row = await db
        .selectFrom("audit_entry")
        .select(["sequence", "content", "leaf_hash", "actor", "resource_type", "resource_id"])
        .where("sequence", "=", String(index))
        .executeTakeFirst();
      return row ? storedRowOf(row) : undefined;
    },

    async readEntries(from, to) {
      if (to <= from) return [];
      const result = await pool.query<EntryRecord>(
        `SELECT ${ENTRY_COLUMNS} FROM audit_entry WHERE sequence >= $1 AND sequence < $2 ORDER BY sequence`,
        [from, to],
      );
      return result.rows.map(storedRowOf);
    },

    async readLeafHashes(from, to) {
      if (to <= from) return [];
      const result = await pool.query<{ sequence: string; leaf_hash: Buffer }>(
        "SELECT sequence, leaf_hash FROM audit_entry WHERE sequence >= $1 AND sequence < $2 ORDER BY sequence",
        [from, to],
      );
      const hashes = new Array<Buffer | undefined>(to - from).fill(undefined);
      for (const row of result.rows) hashes[Number(row.sequence) - from] = row.leaf_hash;
      return hashes;
    },

    async findEntries(query) {
      let select = db
        .selectFrom("audit_entry")
        .select(["sequence", "content", "leaf_hash", "actor", "resource_type", "resource_id"]);
      if (query.resourceType !== undefined) select = select.where("resource_type", "=", query.resourceType);
      if (query.resourceId !== undefined) select = select.where("resource_id", "=", query.resourceId);
      if (query.actor !== undefined) select = select.where("actor", "=", query.actor);
      if (query.before !== undefined) select = select.where("sequence", "<", String(query.before));
      const rows = await select.orderBy("sequence", "desc").limit(query.limit).execute();
      return rows.map(storedRowOf);
    },

    async insertCheckpoint(checkpoint) {
      await pool.query(
        `INSERT INTO audit_checkpoint (tree_size, root_hash, signed_at, key_id, signature, document, frontier)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tree_size) DO NOTHING`,
        [
          checkpoint.treeSize,
          checkpoint.rootHash,
          checkpoint.signedAt,
          checkpoint.keyId,
          checkpoint.signature,
          JSON.stringify(checkpoint.document),
          Buffer.concat(checkpoint.frontier),
        ],
      );
    },

    async latestCheckpoint(atMost) {
      const result =
        atMost === undefined
          ? await pool.query<CheckpointRecord>(
              "SELECT * FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1",
            )
          : await pool.query<CheckpointRecord>(
              "SELECT * FROM audit_checkpoint WHERE tree_size <= $1 ORDER BY tree_size DESC LIMIT 1",
              [atMost],
            );
      return result.rows[0] ? checkpointOf(result.rows[0]) : undefined;
    },

    async openSnapshot() {
      const client = await pool.connect();
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        const head = await client.query<{ size: string }>("SELECT size FROM audit_log_head");
        const checkpoints = await client.query<CheckpointRecord>(
          "SELECT * FROM audit_checkpoint ORDER BY tree_size",
        );
        return snapshotOn(client, Number(head.rows[0]?.size ?? 0), checkpoints.rows.map(checkpointOf));
      } catch (error) {
        client.release(true);
        throw error;
      }
    },
  };
}

function snapshotOn(
  client: pg.PoolClient,
  recordedSize: number,
  checkpoints: AuditCheckpointRow[],
): AuditSnapshot {
  let released = false;
  const release = async (broken: boolean) => {
    if (released) return;
    released = true;
    if (broken) {
      client.release(true);
      return;
    }
    await client.query("COMMIT").catch(() => undefined);
    client.release();
  };
  return {
    recordedSize,
    checkpoints,
    async *entries(batchSize = 8192) {
      const stream = client.query(
        copyTo(`COPY (SELECT ${ENTRY_COLUMNS} FROM audit_entry ORDER BY sequence) TO STDOUT (FORMAT binary)`),
      );
      let completed = false;
      try {
        yield* parseBinaryCopy(stream, batchSize);
        completed = true;
      } finally {
        // A reader that stops early leaves the COPY half-sent: that connection cannot be reused.
        if (!completed) {
          stream.destroy();
          await release(true);
        }
      }
    },
    close: () => release(false),
  };
}

// PostgreSQL's binary COPY format: an 11-byte signature, flags, a header extension, then per
// row a 16-bit field count and, per field, a 32-bit length and the bytes; -1 ends the data.
const COPY_HEADER_LENGTH = 19;

async function* parseBinaryCopy(
  stream: AsyncIterable<Buffer>,
  batchSize: number,
): AsyncGenerator<StoredAuditRow[]> {
  let pending: Buffer = Buffer.alloc(0);
  let headerRead = false;
  let batch: StoredAuditRow[] = [];
  for await (const chunk of stream) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    if (!headerRead) {
      if (pending.length < COPY_HEADER_LENGTH) continue;
      offset = COPY_HEADER_LENGTH + pending.readUInt32BE(15);
      headerRead = true;
    }
    for (;;) {
      if (pending.length - offset < 2) break;
      if (pending.readInt16BE(offset) === -1) {
        offset += 2;
        break;
      }
      const next = readRow(pending, offset, batch);
      if (next === INCOMPLETE) break;
      offset = next;
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    pending = pending.subarray(offset);
  }
  if (batch.length > 0) yield batch;
}

const INCOMPLETE = -1;
const FIELDS = 6;
const SEQUENCE_LENGTH = 8;

/**
 * Reads the row at `start` (sequence, content, leaf hash, actor, resource type and id) into `rows` and returns where the next
 * begins, or INCOMPLETE when the buffer ends inside it. Verifying reads a million rows: the fields
 * are read in place, with no intermediate arrays or result objects (they cost a third of the read).
 */
function readRow(buffer: Buffer, start: number, rows: StoredAuditRow[]): number {
  const end = buffer.length;
  const fields = buffer.readInt16BE(start);
  if (fields !== FIELDS) throw new Error(`an audit COPY row has ${fields} fields, not ${FIELDS}`);
  let offset = start + 2;
  if (end - offset < 4 + SEQUENCE_LENGTH + 4) return INCOMPLETE;
  if (buffer.readInt32BE(offset) !== SEQUENCE_LENGTH)
    throw new Error("an audit COPY row has no bigint sequence");
  // bigint, big-endian; positions stay below 2^53, so two 32-bit halves avoid a BigInt per row.
  const sequence = buffer.readUInt32BE(offset + 4) * 2 ** 32 + buffer.readUInt32BE(offset + 8);
  offset += 4 + SEQUENCE_LENGTH;
  const contentLength = buffer.readInt32BE(offset);
  const contentStart = offset + 4;
  if (contentLength < 0 || end - contentStart < contentLength + 4) {
    if (contentLength < 0) throw new Error(`audit entry ${sequence} has no content`);
    return INCOMPLETE;
  }
  offset = contentStart + contentLength;
  const hashLength = buffer.readInt32BE(offset);
  const hashStart = offset + 4;
  if (hashLength < 0) throw new Error(`audit entry ${sequence} has no leaf hash`);
  if (end - hashStart < hashLength + 4) return INCOMPLETE;
  offset = hashStart + hashLength;
  const actorLength = buffer.readInt32BE(offset);
  const actorStart = offset + 4;
  if (actorLength < 0) throw new Error(`audit entry ${sequence} has no actor`);
  if (end - actorStart < actorLength + 4) return INCOMPLETE;
  offset = actorStart + actorLength;
  const typeLength = buffer.readInt32BE(offset);
  const typeStart = offset + 4;
  if (typeLength < 0) throw new Error(`audit entry ${sequence} has no resource type`);
  if (end - typeStart < typeLength + 4) return INCOMPLETE;
  offset = typeStart + typeLength;
  const idLength = buffer.readInt32BE(offset);
  const idStart = offset + 4;
  if (idLength < 0) throw new Error(`audit entry ${sequence} has no resource id`);
  if (end - idStart < idLength) return INCOMPLETE;
  rows.push({
    sequence,
    content: buffer.subarray(contentStart, contentStart + contentLength),
    leafHash: buffer.subarray(hashStart, hashStart + hashLength),
    actor: buffer.subarray(actorStart, actorStart + actorLength),
    resourceType: buffer.subarray(typeStart, typeStart + typeLength),
    resourceId: buffer.subarray(idStart, idStart + idLength),
  });
  return idStart + idLength;
}

interface EntryRecord {
  sequence: string;
  content: string;
  leaf_hash: Buffer;
  actor: string;
  resource_type: string;
  resource_id: string;
}

function storedRowOf(row: EntryRecord): StoredAuditRow {
  return {
    sequence: Number(row.sequence),
    content: Buffer.from(row.content, "utf8"),
    leafHash: row.leaf_hash,
    actor: Buffer.from(row.actor, "utf8"),
    resourceType: Buffer.from(row.resource_type, "utf8"),
    resourceId: Buffer.from(row.resource_id, "utf8"),
  };
}

function checkpointOf(row: CheckpointRecord): AuditCheckpointRow {
  const frontier: Buffer[] = [];
  for (let offset = 0; offset < row.frontier.length; offset += 32)
    frontier.push(row.frontier.subarray(offset, offset + 32));
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    signedAt: row.signed_at,
    keyId: row.key_id,
    signature: row.signature,
    document: row.document,
    frontier,
  };
}
