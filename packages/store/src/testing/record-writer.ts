import { randomUUID } from "node:crypto";
import type { Feed, NormalisedFields } from "@passage/core";
import type pg from "pg";
import { writeRecordBatch } from "../repositories/record-repository.ts";
import { StagedRows, stageRecord } from "../repositories/record-staging.ts";

/** A row for a test: its key (record key and key value alike) and its normalised fields. */
export interface TestRecordRow {
  readonly key: string;
  readonly fields: NormalisedFields;
}

/**
 * Writes rows of a feed straight through `writeRecordBatch` as one file batch each call, numbering
 * source rows on from the previous call; throws unless the batch is written.
 */
export function createTestRecordWriter(
  pool: pg.Pool,
): (feed: Feed, rows: readonly TestRecordRow[]) => Promise<void> {
  let sourceRow = 0;
  return async (feed, rows) => {
    const result = await writeRecordBatch(pool, {
      batchId: randomUUID(),
      feed,
      sourceKind: "file",
      sourceName: "test.csv",
      firstRow: sourceRow + 1,
      lastRow: sourceRow + rows.length,
      chainHash: null,
      rowsReceived: rows.length,
      startedAt: new Date().toISOString(),
      rows: StagedRows.of(
        rows.map((row) =>
          stageRecord({
            keyValue: row.key,
            recordKey: row.key,
            fields: row.fields,
            raw: row.fields,
            warnings: [],
            sourceRow: ++sourceRow,
            receivedAt: new Date().toISOString(),
          }),
        ),
      ),
    });
    if (result.status !== "written") throw new Error(`test batch of ${feed} not written: ${result.status}`);
  };
}
