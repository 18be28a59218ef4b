import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setImmediate as nextTurnOfEventLoop } from "node:timers/promises";
import { CoreErrors, FEEDS, type Feed, isFeed, isPassageError } from "@passage/core";
import { type RecordBatch, StagedRows, writeRecordBatch } from "@passage/store";
import type pg from "pg";
import { readCsvRows } from "./csv-rows.ts";
import { IngestErrors, isConnectionLoss } from "./ingest-errors.ts";
import { findRefusedNdjsonKey, readNdjsonRows } from "./ndjson-rows.ts";
import { prepareRow } from "./prepare-row.ts";
import { type RejectLine, RejectsWriter, rejectsFileOf, warningsFileOf } from "./rejects-writer.ts";
import { notARegularFile, openSource, type SourceFormat, sourceFormatOrThrow } from "./source-format.ts";
import type { SourceRow } from "./source-row.ts";

export interface IngestFileOptions {
  readonly pool: pg.Pool;
  /** A feed of SOURCES.md; anything else is refused before the file is opened. */
  readonly feed: string;
  readonly file: string;
  /** Rows per transaction (rejected rows included), so batch boundaries depend only on the file. */
  readonly batchSize?: number;
  readonly onProgress?: (progress: IngestProgress) => void;
}

export interface IngestCounts {
  read: number;
  new: number;
  corrected: number;
  unchanged: number;
  rejected: number;
  /**
   * Of the unchanged rows, those re-sending content a redress resolution corrected: the correction
   * stays current (README.md, "Redress corrections and re-sent sources"), and the source still
   * sends the value it corrected.
   */
  heldByRedress: number;
}

/**
 * The counts of an ingest alone (CLI.md's summary line, then `heldByRedress`; an audit entry's
 * details), in that order.
 */
export function ingestCountsOf(summary: Readonly<IngestCounts>): Record<keyof IngestCounts, number> {
  return {
    read: summary.read,
    new: summary.new,
    corrected: summary.corrected,
    unchanged: summary.unchanged,
    rejected: summary.rejected,
    heldByRedress: summary.heldByRedress,
  };
}

export interface IngestProgress {
  readonly rowsRead: number;
  /** Bytes of the file read so far (compressed bytes for .gz), against `totalBytes`. */
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface IngestSummary extends Readonly<IngestCounts> {
  readonly feed: Feed;
  readonly file: string;
  readonly rejectsFile: string;
  /**
   * Rows stored with one or more warnings (a malformed optional identifier dropped, SOURCES.md; an
   * impossible date kept as received), and the file naming each warning's line, field and reason
   * (`FILE.warnings.ndjson`), or null when none.
   */
  readonly warnings: number;
  readonly warningsFile: string | null;
  /** Batches committed by this run, and batches found already committed (a re-run or resumption). */
  readonly batchesWritten: number;
  readonly batchesSkipped: number;
}

/** 5,000 rows: a few MiB of COPY text per transaction, small enough to lose little to a crash. */
export const DEFAULT_BATCH_SIZE = 5000;

/** About 1 ms of parsing: how long a statement of a batch in flight may wait for the thread. */
const ROWS_BETWEEN_YIELDS = 50;

/**
 * Ingests one file of one feed (SOURCES.md): streams and validates every row, stores accepted
 * rows in batches of one transaction each, and writes rejected rows with their reasons to
 * `FILE.rejects.ndjson`. Memory stays bounded whatever the file's size: one batch is parsed
 * while the previous one is written, and reading waits for the database (back-pressure).
 *
 * Idempotent and crash-safe: every batch carries the chain digest of all accepted rows of the
 * file up to its end; a batch whose digest is already committed, with none of its keys changed
 * since by anything but that batch's run, is skipped, so a re-run changes nothing and a run after
 * a crash resumes where the committed batches end; a re-send after other versions were written
 * (one reverting a correction) is versioned row by row (README.md), except that a key whose latest
 * version a redress resolution wrote keeps it against rows re-sending what it corrected
 * (`heldByRedress`).
 */
export async function ingestFile(options: IngestFileOptions): Promise<IngestSummary> {
  const { feed, format } = checkIngestArgumentsOrThrow(options.feed, options.file);
  if (format.rows === "ndjson") await refuseNdjsonKeysOrThrow(options.file, format);
  return new FileIngest({ ...options, feed }, format).run();
}

/**
 * The checks that need no database: a known feed, a known format, an existing file. Callers
 * (the CLI) run them before starting the database, so a typo fails at once.
 */
export function checkIngestArgumentsOrThrow(
  feed: string,
  file: string,
): { feed: Feed; format: SourceFormat } {
  if (!isFeed(feed)) throw CoreErrors.unknownFeed.create(feed, FEEDS);
  const format = sourceFormatOrThrow(file);
  const problem = notARegularFile(file);
  if (problem !== undefined) throw IngestErrors.fileNotFound.create(problem);
  const rejectsFile = rejectsFileOf(file);
  if (!isWritableBeside(rejectsFile)) throw IngestErrors.rejectsUnwritable.create(rejectsFile);
  return { feed, format };
}

/** Whether the rejects file can be written: it exists and is writable, or its directory is. */
function isWritableBeside(rejectsFile: string): boolean {
  try {
    fs.accessSync(
      fs.existsSync(rejectsFile) ? rejectsFile : path.dirname(path.resolve(rejectsFile)),
      fs.constants.W_OK,
    );
    return true;
  } catch {
    return false;
  }
}

async function refuseNdjsonKeysOrThrow(file: string, format: SourceFormat): Promise<void> {
  const opened = openSource(file, format);
  try {
    const refused = await findRefusedNdjsonKey(opened.stream, file);
    if (refused)
      throw IngestErrors.refusedColumn.create(file, refused.column, refused.category, refused.line);
  } catch (error) {
    throw isPassageError(error) ? error : IngestErrors.unreadable.create(file, (error as Error).message, 0);
  } finally {
    opened.stream.destroy();
  }
}

interface PendingBatch {
  firstRow: number | null;
  lastRow: number | null;
  rowsReceived: number;
  rows: StagedRows;
  startedAt: string;
}

const emptyBatch = (): PendingBatch => ({
  firstRow: null,
  lastRow: null,
  rowsReceived: 0,
  rows: new StagedRows(),
  startedAt: new Date().toISOString(),
});

class FileIngest {
  readonly #options: IngestFileOptions & { feed: Feed };
  readonly #format: SourceFormat;
  readonly #sourceName: string;
  readonly #batchSize: number;
  readonly #counts: IngestCounts = {
    read: 0,
    new: 0,
    corrected: 0,
    unchanged: 0,
    rejected: 0,
    heldByRedress: 0,
  };
  readonly #rejects: RejectsWriter;
  readonly #warnings: RejectsWriter;
  #warningRows = 0;
  // Digest of every accepted row so far; copied at each batch end (see ingestFile).
  readonly #chain = createHash("sha256");
  #batch = emptyBatch();
  #inFlight: Promise<void> | undefined;
  #beforeLast: Promise<void> | undefined;
  #committedRows = 0;
  #batchesWritten = 0;
  #batchesSkipped = 0;
  // The run this ingest's batches belong to. Until it writes a batch, a run that finds its batches
  // committed carries on the run that committed them (a resumption or repeat is that run's rest).
  #runId: string = randomUUID();
  #runHasWritten = false;

  constructor(options: IngestFileOptions & { feed: Feed }, format: SourceFormat) {
    this.#options = options;
    this.#format = format;
    this.#sourceName = path.resolve(options.file);
    this.#batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.#rejects = new RejectsWriter(rejectsFileOf(options.file));
    this.#warnings = new RejectsWriter(warningsFileOf(options.file), { whenNone: "remove" });
    this.#chain.update(`passage-ingest-chain\n${options.feed}\n`);
  }

  async run(): Promise<IngestSummary> {
    const { file, feed } = this.#options;
    const opened = openSource(file, this.#format);
    const rows =
      this.#format.rows === "csv"
        ? readCsvRows(opened.stream, file, feed)
        : readNdjsonRows(opened.stream, file);
    try {
      for await (const chunk of rows) {
        await this.#take(chunk);
        this.#options.onProgress?.({
          rowsRead: this.#counts.read,
          bytesRead: opened.bytesRead(),
          totalBytes: opened.totalBytes,
        });
      }
      await this.#submit();
      await this.#inFlight;
      await this.#rejects.close();
      await this.#warnings.close();
    } catch (error) {
      opened.stream.destroy();
      this.#rejects.abandon();
      this.#warnings.abandon();
      await Promise.allSettled([this.#beforeLast, this.#inFlight]);
      throw this.#explain(error);
    }
    return {
      ...this.#counts,
      feed,
      file,
      rejectsFile: this.#rejects.path,
      warnings: this.#warningRows,
      warningsFile: this.#warnings.written ? this.#warnings.path : null,
      batchesWritten: this.#batchesWritten,
      batchesSkipped: this.#batchesSkipped,
    };
  }

  async #take(chunk: readonly SourceRow[]): Promise<void> {
    const receivedAt = new Date().toISOString();
    const rejects: RejectLine[] = [];
    const warnings: RejectLine[] = [];
    for (const row of chunk) {
      this.#counts.read++;
      const batch = this.#batch;
      batch.firstRow ??= row.line;
      batch.lastRow = row.line;
      batch.rowsReceived++;
      if (row.kind === "malformed") {
        this.#counts.rejected++;
        rejects.push({ line: row.line, field: null, reason: row.reason });
      } else {
        const prepared = prepareRow(this.#options.feed, row.raw, row.line, receivedAt);
        if (prepared.ok) {
          batch.rows.add(prepared.staged);
          this.#chain.update(prepared.staged.contentHash);
          if (prepared.warnings.length > 0) {
            this.#warningRows++;
            for (const issue of prepared.warnings) warnings.push({ line: row.line, ...issue });
          }
        } else {
          this.#counts.rejected++;
          for (const issue of prepared.issues) rejects.push({ line: row.line, ...issue });
        }
      }
      if (batch.rowsReceived >= this.#batchSize) await this.#submit();
      else if (this.#counts.read % ROWS_BETWEEN_YIELDS === 0) await this.#yield();
    }
    await this.#rejects.write(rejects);
    await this.#warnings.write(warnings);
  }

  /**
   * Lets the event loop run the batches in flight: without it, parsing a chunk of thousands of
   * rows holds the thread, and the next statement of the batch being written waits for it, so
   * PostgreSQL and parsing take turns instead of overlapping.
   */
  async #yield(): Promise<void> {
    if (this.#inFlight !== undefined) await nextTurnOfEventLoop();
  }

  /**
   * Hands the current batch to the database. Up to two batches are in flight: one is written
   * while the other waits for it to commit (#write), so they commit in file order; meanwhile the
   * next batch is parsed.
   */
  async #submit(): Promise<void> {
    const pending = this.#batch;
    if (pending.rowsReceived === 0) return;
    this.#batch = emptyBatch();
    const batch: Omit<RecordBatch, "runId"> = {
      batchId: randomUUID(),
      feed: this.#options.feed,
      sourceKind: "file",
      sourceName: this.#sourceName,
      firstRow: pending.firstRow,
      lastRow: pending.lastRow,
      chainHash: this.#chain.copy().digest(),
      rowsReceived: pending.rowsReceived,
      startedAt: pending.startedAt,
      rows: pending.rows,
    };
    // Wait for the batch before the previous one: at most two in flight, so memory stays bounded.
    await this.#beforeLast;
    const previous = this.#inFlight;
    this.#beforeLast = previous;
    this.#inFlight = this.#write(batch, previous);
    // Observed at a later submit or at the end; this keeps a failure from going unhandled meanwhile.
    this.#inFlight.catch(() => undefined);
  }

  async #write(batch: Omit<RecordBatch, "runId">, previous: Promise<void> | undefined): Promise<void> {
    // Batches commit in file order: this one's transaction opens meanwhile and waits for the previous
    // one to commit (afterStaging) before it takes the feed lock; a failed previous batch rolls it
    // back. Which run it belongs to depends on how the previous one ended, so its run id is read
    // only then (when its batch row is written).
    const ingest = this;
    const inRun: RecordBatch = {
      ...batch,
      get runId() {
        return ingest.#runId;
      },
    };
    const result = await writeRecordBatch(this.#options.pool, inRun, {
      afterStaging: () => previous ?? Promise.resolve(),
    });
    if (result.status === "already_committed") {
      if (!this.#runHasWritten && result.runId !== null) this.#runId = result.runId;
      this.#counts.unchanged += batch.rows.size;
      this.#batchesSkipped++;
    } else {
      for (const outcome of result.outcomes) {
        this.#counts[outcome.kind]++;
        if (outcome.heldByRedress) this.#counts.heldByRedress++;
      }
      if (batch.rows.size > 0) {
        this.#batchesWritten++;
        this.#runHasWritten = true;
      }
    }
    this.#committedRows += batch.rowsReceived;
  }

  #explain(error: unknown): unknown {
    if (isPassageError(error)) return error;
    const { file } = this.#options;
    const reason = (error as Error).message ?? String(error);
    if (isConnectionLoss(error)) return IngestErrors.databaseLost.create(file, reason, this.#committedRows);
    const code = (error as { code?: unknown }).code;
    const isReadError =
      (typeof code === "string" && code.startsWith("Z_")) ||
      (error as { syscall?: unknown }).syscall === "read";
    if (isReadError) return IngestErrors.unreadable.create(file, reason, this.#committedRows);
    return error;
  }
}
