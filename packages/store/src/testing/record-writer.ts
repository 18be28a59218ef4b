import { randomUUID } from "node:crypto";
import type { Feed, NormalisedFields } from "@passage/core";
import type pg from "pg";
import { type RecordBatch, writeRecordBatch } from "../repositories/record-repository.ts";
import { StagedRows, stageRecord } from "../repositories/record-staging.ts";

/** A row for a test: its key value, its normalised fields, and what else a test needs to vary. */
export interface TestRecordRow {
  readonly key: string;
  /** The composite key's second part: the record key is then `key|second` (the key value stays `key`). */
  readonly second?: string;
  readonly fields: NormalisedFields;
  /** The raw row (default: the fields). */
  readonly raw?: Readonly<Record<string, unknown>>;
}

/** Builds file batches of test rows, numbering source rows on from the previous batch it built. */
export function createTestBatchBuilder(): (
  feed: Feed,
  rows: readonly TestRecordRow[],
  chainHash?: Buffer | null,
) => RecordBatch {
  let sourceRow = 0;
  return (feed, rows, chainHash = null) => ({
    batchId: randomUUID(),
    feed,
    sourceKind: "file",
    sourceName: "test.csv",
    firstRow: sourceRow + 1,
    lastRow: sourceRow + rows.length,
    chainHash,
    rowsReceived: rows.length,
    startedAt: new Date().toISOString(),
    rows: StagedRows.of(
      rows.map((row) =>
        stageRecord({
          keyValue: row.key,
          recordKey: row.second === undefined ? row.key : `${row.key}|${row.second}`,
          fields: row.fields,
          raw: row.raw ?? row.fields,
          warnings: [],
          sourceRow: ++sourceRow,
          receivedAt: new Date().toISOString(),
        }),
      ),
    ),
  });
}

/**
 * Writes rows of a feed straight through `writeRecordBatch` as one file batch each call, numbering
 * source rows on from the previous call; throws unless the batch is written.
 */
export function createTestRecordWriter(
  pool: pg.Pool,
): (feed: Feed, rows: readonly TestRecordRow[]) => Promise<void> {
  const batchOf = createTestBatchBuilder();
  return async (feed, rows) => {
    const result = await writeRecordBatch(pool, batchOf(feed, rows));
    if (result.status !== "written") throw new Error(`test batch of ${feed} not written: ${result.status}`);
  };
}
