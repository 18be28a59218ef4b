import { randomUUID } from "node:crypto";
import { CoreErrors, FEEDS, type Feed, type FieldIssue, isFeed } from "@passage/core";
import {
  findKeyValueConfidentiality,
  type RecordOutcome,
  type StagedRecord,
  StagedRows,
  writeRecordBatch,
} from "@passage/store";
import type pg from "pg";
import { IngestErrors } from "./ingest-errors.ts";
import { findRefusedKey } from "./ndjson-rows.ts";
import { prepareRow, type RowAdmission } from "./prepare-row.ts";

export type { RowAdmission } from "./prepare-row.ts";

/**
 * A caller's check of what is already stored under a row's key value: given the confidentiality
 * flags of every version of every record under it (`asylum`, `vawa1367`; none when nothing
 * flagged is stored), an issue rejects the row and nothing of it is stored. A caller passes one
 * function for all its rows, and its `admit` rejects a row whose own content holds a flag this
 * refuses (so its own earlier rows need not be written before its later ones are checked).
 */
export type StoredKeyAdmission = (storedConfidentiality: readonly string[]) => FieldIssue | undefined;

/** What became of one streamed row, known only once its batch has committed. */
export type RowIngestResult =
  | {
      readonly outcome: "new" | "corrected" | "unchanged";
      readonly feed: Feed;
      readonly keyValue: string;
      readonly recordKey: string;
      readonly recordId: string;
      readonly version: number;
      readonly warnings: readonly FieldIssue[];
      /**
       * Present (outcome `unchanged`) when the row re-sends content its key had before a redress
       * resolution corrected it: the correction (`recordId`, `version`) stays current.
       */
      readonly heldByRedress?: true;
    }
  | { readonly outcome: "rejected"; readonly feed: Feed; readonly issues: readonly FieldIssue[] };

export interface RowIngestorOptions {
  readonly pool: pg.Pool;
  /**
   * Provenance of every row, e.g. `nats:passage.feed.departure`, or of every row of a feed (one
   * ingestor serving `POST /api/v1/feeds/{feed}/records` names the feed's own path).
   */
  readonly sourceName: string | ((feed: Feed) => string);
  /** A batch commits at this many rows... */
  readonly maxBatchRows?: number;
  /**
   * ...or this long after its first row arrived, whichever comes first (never while the feed's
   * previous batch is still being written: rows wait for it, then for their own time).
   */
  readonly maxDelayMs?: number;
}

export interface RowOptions {
  /** The row's place in its source (a request body's line), kept as provenance. */
  readonly sourceRow?: number;
  readonly receivedAt?: string;
  /** The caller's own check of the row's normalised fields (e.g. what the poster may write). */
  readonly admit?: RowAdmission;
  /**
   * The caller's check of what is stored under the row's key value, decided as the row's batch
   * commits, after the rows queued before it that share its key (so a confidential record written
   * just before, by another caller, is seen).
   */
  readonly admitStored?: StoredKeyAdmission;
}

/** Streamed ingest: rows one at a time, grouped into few transactions (group commit). */
export interface RowIngestor {
  /**
   * Validates and stores one row. Resolves once the row's batch has committed (or at once for a
   * rejected row, which writes nothing). A row carrying a refused key (SOURCES.md denylist)
   * fails with PASSAGE_ERR_INGEST_REFUSED_COLUMN and nothing of it is stored.
   */
  ingest(
    feed: string,
    raw: Readonly<Record<string, unknown>>,
    options?: RowOptions,
  ): Promise<RowIngestResult>;
  /** Ingests rows in order and yields their results in the same order, a bounded number in flight. */
  ingestRows(
    feed: string,
    rows: AsyncIterable<Readonly<Record<string, unknown>>> | Iterable<Readonly<Record<string, unknown>>>,
  ): AsyncGenerator<RowIngestResult>;
  /** Commits whatever is queued now and waits for it. */
  flush(): Promise<void>;
  /** Flushes, then refuses further rows. */
  close(): Promise<void>;
}

interface QueuedRow {
  /** The row's place in its feed's queue (1, 2, ...): what a flush waits for. */
  readonly sequence: number;
  /** When the row was queued (`performance.now()`). */
  readonly queuedAt: number;
  readonly staged: StagedRecord;
  readonly warnings: readonly FieldIssue[];
  readonly admitStored: StoredKeyAdmission | undefined;
  readonly resolve: (result: RowIngestResult) => void;
  readonly reject: (error: unknown) => void;
}

interface FeedQueue {
  rows: QueuedRow[];
  timer: NodeJS.Timeout | undefined;
  draining: Promise<void> | undefined;
  /** The sequence of the last row queued, and of the last row whose batch is done. */
  queued: number;
  done: number;
  /** Rows up to this sequence commit now, whatever their wait (asked by `flush`). */
  flushTo: number;
  /** Flushes waiting for the rows up to their sequence to be done. */
  waiters: { readonly upTo: number; readonly resolve: () => void }[];
}

const DEFAULT_MAX_BATCH_ROWS = 500;
const DEFAULT_MAX_DELAY_MS = 5;
// Keys already found innocent are remembered, up to a bound (a stream may send arbitrary keys).
const CHECKED_KEYS_LIMIT = 10_000;

/** Creates a row ingestor: one queue per feed, each committing micro-batches in arrival order. */
export function createRowIngestor(options: RowIngestorOptions): RowIngestor {
  const maxBatchRows = options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const queues = new Map<Feed, FeedQueue>();
  const checkedKeys = new Set<string>();
  const { sourceName } = options;
  const sourceNameOf = (feed: Feed): string =>
    typeof sourceName === "function" ? sourceName(feed) : sourceName;
  let closed = false;

  const queueOf = (feed: Feed): FeedQueue => {
    let queue = queues.get(feed);
    if (queue === undefined) {
      queue = {
        rows: [],
        timer: undefined,
        draining: undefined,
        queued: 0,
        done: 0,
        flushTo: 0,
        waiters: [],
      };
      queues.set(feed, queue);
    }
    return queue;
  };

  /** Commits when the oldest queued row has waited `maxDelayMs` (or at once when none waits). */
  const schedule = (feed: Feed, queue: FeedQueue): void => {
    const oldest = queue.rows[0];
    if (oldest === undefined || queue.timer !== undefined || queue.draining !== undefined) return;
    const wait =
      oldest.sequence <= queue.flushTo ? 0 : Math.max(0, maxDelayMs - (performance.now() - oldest.queuedAt));
    queue.timer = setTimeout(() => void drain(feed, queue), wait);
  };

  // A batch commits when it is full or its first row has waited `maxDelayMs`. Rows that arrive
  // while a batch is being written wait for it, then for their own time: committed at once after
  // each write, a stream of 2,000 rows a second went in transactions of about 4 rows, each costing
  // PostgreSQL about 1 ms of CPU (a quarter of a streamed departure's cost in bench/lifecycle).
  const drain = (feed: Feed, queue: FeedQueue): Promise<void> => {
    if (queue.timer !== undefined) clearTimeout(queue.timer);
    queue.timer = undefined;
    queue.draining ??= (async () => {
      while (queue.rows.length > 0) {
        const oldest = queue.rows[0]!;
        const due =
          oldest.sequence <= queue.flushTo ||
          queue.rows.length >= maxBatchRows ||
          performance.now() - oldest.queuedAt >= maxDelayMs;
        if (!due) break;
        const batch = queue.rows.splice(0, maxBatchRows);
        try {
          await commit(feed, batch);
        } finally {
          queue.done = batch.at(-1)!.sequence;
          queue.waiters = queue.waiters.filter((waiter) => {
            if (waiter.upTo > queue.done) return true;
            waiter.resolve();
            return false;
          });
        }
      }
    })().finally(() => {
      queue.draining = undefined;
      schedule(feed, queue);
    });
    return queue.draining;
  };

  const commit = async (feed: Feed, queuedRows: QueuedRow[]): Promise<void> => {
    // A row checked against what is stored under its key is checked after the earlier rows of
    // its batch under that key are written (unless they came with the very same check, whose rows
    // cannot hold a flag it refuses): the batch is committed in two parts at that row.
    const split = storedCheckAfterSameKey(queuedRows);
    if (split > 0) {
      await commit(feed, queuedRows.slice(0, split));
      await commit(feed, queuedRows.slice(split));
      return;
    }
    let rows: QueuedRow[];
    try {
      rows = await admittedByStoredKeys(feed, queuedRows);
    } catch (error) {
      for (const row of queuedRows) row.reject(error);
      return;
    }
    if (rows.length === 0) return;
    let outcomes: readonly RecordOutcome[];
    try {
      outcomes = await write(feed, rows);
    } catch (error) {
      if (!isRowRefusal(error)) {
        for (const row of rows) row.reject(error);
        return;
      }
      // One row the database refuses must not fail the rows of other callers grouped with it: the
      // batch (rolled back whole) is written again in halves, in order, until the refused row is
      // alone, which is then rejected (about 2·log2(batch) transactions for one such row).
      if (rows.length === 1) {
        rows[0]!.resolve({ outcome: "rejected", feed, issues: [refusalIssue(error)] });
        return;
      }
      const middle = Math.ceil(rows.length / 2);
      await commit(feed, rows.slice(0, middle));
      await commit(feed, rows.slice(middle));
      return;
    }
    rows.forEach((row, index) => {
      const outcome = outcomes[index]!;
      row.resolve({
        outcome: outcome.kind,
        feed,
        keyValue: row.staged.keyValue,
        recordKey: row.staged.recordKey,
        recordId: outcome.recordId,
        version: outcome.version,
        warnings: row.warnings,
        ...(outcome.heldByRedress ? { heldByRedress: true } : {}),
      });
    });
  };

  /**
   * The rows whose stored-key check admits them; the others are resolved rejected with the
   * check's issue. One read of the flags stored under the checked rows' key values.
   */
  const admittedByStoredKeys = async (feed: Feed, rows: QueuedRow[]): Promise<QueuedRow[]> => {
    const checked = rows.filter((row) => row.admitStored !== undefined);
    if (checked.length === 0) return rows;
    const stored = await findKeyValueConfidentiality(
      options.pool,
      feed,
      checked.map((row) => row.staged.keyValue),
    );
    return rows.filter((row) => {
      const issue = row.admitStored?.(stored.get(row.staged.keyValue) ?? []);
      if (issue === undefined) return true;
      row.resolve({ outcome: "rejected", feed, issues: [issue] });
      return false;
    });
  };

  const write = async (feed: Feed, rows: QueuedRow[]): Promise<readonly RecordOutcome[]> => {
    const sourceRows = rows.map((row) => row.staged.sourceRow).filter((row): row is number => row !== null);
    const result = await writeRecordBatch(options.pool, {
      batchId: randomUUID(),
      feed,
      sourceKind: "stream",
      sourceName: sourceNameOf(feed),
      firstRow: sourceRows.length > 0 ? Math.min(...sourceRows) : null,
      lastRow: sourceRows.length > 0 ? Math.max(...sourceRows) : null,
      chainHash: null,
      rowsReceived: rows.length,
      startedAt: rows[0]!.staged.receivedAt,
      rows: StagedRows.of(rows.map((row) => row.staged)),
    });
    if (result.status !== "written") throw new Error("a stream batch cannot be already committed");
    return result.outcomes;
  };

  const ingest: RowIngestor["ingest"] = (feed, raw, rowOptions = {}) => {
    if (closed) return Promise.reject(new Error("the row ingestor is closed"));
    if (!isFeed(feed)) return Promise.reject(CoreErrors.unknownFeed.create(feed, FEEDS));
    if (checkedKeys.size > CHECKED_KEYS_LIMIT) checkedKeys.clear();
    const refused = findRefusedKey(raw, checkedKeys);
    if (refused) {
      return Promise.reject(
        IngestErrors.refusedColumn.create(`row of ${sourceNameOf(feed)}`, refused.column, refused.category),
      );
    }
    const receivedAt = rowOptions.receivedAt ?? new Date().toISOString();
    const prepared = prepareRow(feed, raw, rowOptions.sourceRow ?? null, receivedAt, rowOptions.admit);
    if (!prepared.ok) return Promise.resolve({ outcome: "rejected", feed, issues: prepared.issues });
    const queue = queueOf(feed);
    return new Promise<RowIngestResult>((resolve, reject) => {
      queue.rows.push({
        sequence: ++queue.queued,
        queuedAt: performance.now(),
        staged: prepared.staged,
        warnings: prepared.warnings,
        admitStored: rowOptions.admitStored,
        resolve,
        reject,
      });
      if (queue.rows.length >= maxBatchRows) void drain(feed, queue);
      else schedule(feed, queue);
    });
  };

  // Waits for the rows queued before the call, not for those that keep arriving after it: a flush
  // that chased the queue until it was empty returned only when every other caller's stream paused.
  const flush = async (): Promise<void> => {
    await Promise.all(
      [...queues.entries()].map(([feed, queue]) => {
        const upTo = queue.queued;
        if (queue.done >= upTo) return undefined;
        queue.flushTo = Math.max(queue.flushTo, upTo);
        const flushed = new Promise<void>((resolve) => queue.waiters.push({ upTo, resolve }));
        void drain(feed, queue);
        return flushed;
      }),
    );
  };

  return {
    ingest,
    ingestRows: (feed, rows) => {
      let sourceRow = 0;
      return settleInOrder(rows, (row) => ingest(feed, row, { sourceRow: ++sourceRow }), maxBatchRows * 2);
    },
    flush,
    async close() {
      closed = true;
      await flush();
    },
  };
}

/**
 * Starts each input (`start`) while at most `window` are unresolved, and yields each result as
 * soon as it and all before it are known: results stream back while input is still arriving. An
 * error reading the input ends it: the results of the inputs before are yielded, then the error is
 * thrown.
 */
export async function* settleInOrder<Input, Result>(
  inputs: AsyncIterable<Input> | Iterable<Input>,
  start: (input: Input) => Promise<Result>,
  window: number,
): AsyncGenerator<Result> {
  const iterator =
    Symbol.asyncIterator in inputs
      ? (inputs as AsyncIterable<Input>)[Symbol.asyncIterator]()
      : (inputs as Iterable<Input>)[Symbol.iterator]();
  const pending: Array<{ promise: Promise<Result>; settled: boolean }> = [];
  type Pulled = { readonly input: IteratorResult<Input> | undefined } | { readonly failed: unknown };
  const HEAD_SETTLED: Pulled = { input: undefined };
  const pull = (): Promise<Pulled> =>
    Promise.resolve(iterator.next()).then(
      (result): Pulled => ({ input: result }),
      (error: unknown): Pulled => ({ failed: error }),
    );
  let next: Promise<Pulled> | undefined = pull();
  let inputFailed: { readonly error: unknown } | undefined;
  try {
    while (next !== undefined || pending.length > 0) {
      while (pending[0]?.settled) yield await pending.shift()!.promise;
      if (next === undefined || pending.length >= window) {
        if (pending.length > 0) yield await pending.shift()!.promise;
        continue;
      }
      const head = pending[0];
      // The head's failure is reported when it is yielded, so its race entry never rejects.
      const winner = await Promise.race([
        next,
        ...(head
          ? [
              head.promise.then(
                () => HEAD_SETTLED,
                () => HEAD_SETTLED,
              ),
            ]
          : []),
      ]);
      if ("failed" in winner) {
        inputFailed = { error: winner.failed };
        next = undefined;
        continue;
      }
      if (winner.input === undefined) continue; // the head settled first: yield it at the loop's top
      if (winner.input.done) {
        next = undefined;
        continue;
      }
      const entry = { promise: start(winner.input.value), settled: false };
      const settle = () => {
        entry.settled = true;
      };
      entry.promise.then(settle, settle);
      pending.push(entry);
      next = pull();
    }
  } finally {
    if (inputFailed === undefined) await iterator.return?.();
  }
  if (inputFailed !== undefined) throw inputFailed.error;
}

/**
 * The index of the first row with a stored-key check whose key value an earlier row of the batch
 * has, that row coming with another check or none (0: no such row). A row that came with the same
 * check (the same caller's earlier line) passed that caller's own content check, so it cannot
 * hold a flag the check refuses: a stream of one poster's rows is not split.
 */
function storedCheckAfterSameKey(rows: readonly QueuedRow[]): number {
  const earlier = new Map<string, Set<StoredKeyAdmission | undefined>>();
  for (const [index, row] of rows.entries()) {
    const { keyValue } = row.staged;
    const checks = earlier.get(keyValue);
    if (row.admitStored !== undefined && checks !== undefined) {
      for (const check of checks) if (check !== row.admitStored) return index;
    }
    if (checks === undefined) earlier.set(keyValue, new Set([row.admitStored]));
    else checks.add(row.admitStored);
  }
  return 0;
}

/**
 * SQLSTATE classes of an error caused by the data of the rows written, not by the connection or
 * the server: 22 data exception (a value jsonb refuses, such as a lone UTF-16 surrogate), 23
 * integrity constraint violation, 54 program limit exceeded (a value too large to index).
 */
const ROW_REFUSAL_CLASSES = new Set(["22", "23", "54"]);

/** Whether the database refused a batch for what one of its rows holds. */
function isRowRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.length === 5 && ROW_REFUSAL_CLASSES.has(code.slice(0, 2));
}

/** The issue of a row the database refused, with PostgreSQL's reason and its detail. */
function refusalIssue(error: unknown): FieldIssue {
  const { message, detail, code } = error as { message: string; detail?: string; code: string };
  return {
    field: "(row)",
    reason: `the database refused the row (SQLSTATE ${code}): ${message}${detail ? ` (${detail})` : ""}; nothing of it was stored`,
  };
}
