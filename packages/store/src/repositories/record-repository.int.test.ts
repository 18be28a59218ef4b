import { randomUUID } from "node:crypto";
import { type Feed, RecordsCorrected, RecordsIngested } from "@passage/core";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBatchBuilder, type TestRecordRow } from "../testing/record-writer.ts";
import { executeSql, latestOutboxPosition, listenToOutbox, readOutboxEvents } from "./outbox-repository.ts";
import {
  countBatchRecords,
  findKeysOfStoredRecords,
  findRecordsByIds,
  findRecordVersions,
  streamLatestRecords,
} from "./record-queries.ts";
import { RECORDS_PER_EVENT, type RecordBatch, writeRecordBatch } from "./record-repository.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const testBatch = createTestBatchBuilder();
// Raw rows carry characters COPY text must escape.
function batchOf(feed: Feed, rows: readonly TestRecordRow[], chainHash: Buffer | null = null): RecordBatch {
  const escaped = rows.map((row) => ({ ...row, raw: { ...row.fields, "tab\tand\\slash": "line\nbreak" } }));
  return testBatch(feed, escaped, chainHash);
}

async function written(batch: RecordBatch) {
  const result = await writeRecordBatch(database.pool, batch);
  if (result.status !== "written") throw new Error("expected the batch to be written");
  return result.outcomes.map((outcome) => `${outcome.kind}@${outcome.version}`);
}

describe("record repository", () => {
  it("versions new, unchanged and corrected rows and writes their events in the same transaction", async () => {
    const first = batchOf("visa", [
      { key: "V1", fields: { visa_id: "V1", visa_class: "B2" } },
      { key: "V2", fields: { visa_id: "V2", visa_class: "F1" } },
    ]);
    expect(await written(first)).toEqual(["new@1", "new@1"]);
    expect(
      await written(batchOf("visa", [{ key: "V1", fields: { visa_class: "B2", visa_id: "V1" } }])),
    ).toEqual(["unchanged@1"]);
    const correction = batchOf("visa", [{ key: "V2", fields: { visa_id: "V2", visa_class: "H1B" } }]);
    expect(await written(correction)).toEqual(["corrected@2"]);

    const versions = await findRecordVersions(database.db, "visa", "V2");
    expect(versions.map((version) => [version.version, version.fields.visa_class])).toEqual([
      [1, "F1"],
      [2, "H1B"],
    ]);
    expect(versions[1]!.batchId).toBe(correction.batchId);
    expect(versions[1]!.raw["tab\tand\\slash"]).toBe("line\nbreak");

    expect(await recordsNamedByEvents("0")).toEqual([
      "RecordsIngested visa V1@1",
      "RecordsIngested visa V2@1",
      "RecordsCorrected visa V2@2",
    ]);
    const events = await readOutboxEvents(database.db, "0", 100);
    expect(events[1]!.payload).toMatchObject({
      firstRecordId: versions[1]!.id,
      lastRecordId: versions[1]!.id,
    });
  });

  it("versions several rows of one key inside a batch in file order", async () => {
    const outcomes = await written(
      batchOf("court", [
        { key: "C1", fields: { court_event_id: "C1", outcome: "denied" } },
        { key: "C1", fields: { court_event_id: "C1", outcome: "denied" } },
        { key: "C1", fields: { court_event_id: "C1", outcome: "granted" } },
        { key: "C2", fields: { court_event_id: "C2" } },
        { key: "C1", fields: { court_event_id: "C1", outcome: "denied" } },
      ]),
    );
    expect(outcomes).toEqual(["new@1", "unchanged@1", "corrected@2", "new@1", "corrected@3"]);
    const versions = await findRecordVersions(database.db, "court", "C1");
    expect(versions.map((version) => version.fields.outcome)).toEqual(["denied", "granted", "denied"]);
  });

  it("stores the batch row and wakes listeners with its last event at commit, on both write paths", async () => {
    const notified: string[] = [];
    const listener = await listenToOutbox(database.pool, { onNotify: (position) => notified.push(position) });
    try {
      const copied = batchOf("travel_document", [
        { key: "T1", fields: { document_id: "T1" } },
        { key: "T2", fields: { document_id: "T2" } },
      ]);
      expect(await written(copied)).toEqual(["new@1", "new@1"]);
      const afterCopy = await latestOutboxPosition(database.db);
      const versioned = batchOf("travel_document", [{ key: "T2", fields: { document_id: "T2", kind: "P" } }]);
      expect(await written(versioned)).toEqual(["corrected@2"]);
      const afterVersioning = await latestOutboxPosition(database.db);
      // A batch that stores nothing new appends no event and notifies nobody.
      expect(
        await written(batchOf("travel_document", [{ key: "T1", fields: { document_id: "T1" } }])),
      ).toEqual(["unchanged@1"]);
      for (let wait = 0; notified.length < 2 && wait < 100; wait++)
        await new Promise((done) => setTimeout(done, 20));
      await new Promise((done) => setTimeout(done, 100));
      expect(notified).toEqual([afterCopy, afterVersioning]);
      const batches = await executeSql<{ id: string; rows_received: number; first_row: number }>(
        database.db,
        "SELECT id::text, rows_received, first_row FROM ingest_batch WHERE id = ANY($1::uuid[]) ORDER BY first_row",
        [[copied.batchId, versioned.batchId]],
      );
      expect(batches).toEqual([
        { id: copied.batchId, rows_received: 2, first_row: copied.firstRow },
        { id: versioned.batchId, rows_received: 1, first_row: versioned.firstRow },
      ]);
    } finally {
      await listener.close();
    }
  });

  it("skips a file batch whose chain digest has already committed", async () => {
    const chain = Buffer.alloc(32, 7);
    const batch = batchOf("flight", [{ key: "F1", fields: { flight_id: "F1" } }], chain);
    expect(await written(batch)).toEqual(["new@1"]);
    const again = batchOf("flight", [{ key: "F1", fields: { flight_id: "F1", seats: 3 } }], chain);
    expect(await writeRecordBatch(database.pool, again)).toEqual({
      status: "already_committed",
      runId: null,
    });
    expect(await countBatchRecords(database.db, again.batchId)).toBe(0);
  });

  it("skips a committed digest only while its keys have no version since from another run", async () => {
    const [h1, h2, other] = [Buffer.alloc(32, 11), Buffer.alloc(32, 12), Buffer.alloc(32, 13)];
    const run = randomUUID();
    const inRun = (batch: RecordBatch): RecordBatch => ({ ...batch, runId: run });
    // One run holding R1 twice: its second batch's version is the same file's, not a change.
    expect(
      await written(inRun(batchOf("flight", [{ key: "R1", fields: { flight_id: "R1", seats: 1 } }], h1))),
    ).toEqual(["new@1"]);
    expect(
      await written(inRun(batchOf("flight", [{ key: "R1", fields: { flight_id: "R1", seats: 2 } }], h2))),
    ).toEqual(["corrected@2"]);
    const resent = () => ({
      ...batchOf("flight", [{ key: "R1", fields: { flight_id: "R1", seats: 1 } }], h1),
      runId: randomUUID(),
    });
    expect(await writeRecordBatch(database.pool, resent())).toEqual({
      status: "already_committed",
      runId: run,
    });
    // Another run corrects R1; the first batch re-sent is now a correction back.
    expect(
      await written({
        ...batchOf("flight", [{ key: "R1", fields: { flight_id: "R1", seats: 9 } }], other),
        runId: randomUUID(),
      }),
    ).toEqual(["corrected@3"]);
    const revert = resent();
    expect(await written(revert)).toEqual(["corrected@4"]);
    // Nothing written since that re-send: skipped, as that re-send's run.
    expect(await writeRecordBatch(database.pool, resent())).toEqual({
      status: "already_committed",
      runId: revert.runId,
    });
  });

  it("keeps composite keys apart and answers as known at an instant", async () => {
    await written(
      batchOf("benefit", [{ key: "EAC1234567890", second: "filed", fields: { event: "filed" } }]),
    );
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await written(
      batchOf("benefit", [{ key: "EAC1234567890", second: "approved", fields: { event: "approved" } }]),
    );
    const all = await findRecordVersions(database.db, "benefit", "EAC1234567890");
    expect(all.map((record) => [record.recordKey, record.version])).toEqual([
      ["EAC1234567890|approved", 1],
      ["EAC1234567890|filed", 1],
    ]);
    const known = await findRecordVersions(database.db, "benefit", "EAC1234567890", { knownAt: between });
    expect(known.map((record) => record.recordKey)).toEqual(["EAC1234567890|filed"]);
    const byId = await findRecordsByIds(database.db, [all[1]!.id, "999999999"]);
    expect(byId.map((record) => record.recordKey)).toEqual(["EAC1234567890|filed"]);
  });

  it("streams the latest version of every record in pages", async () => {
    const rows = Array.from({ length: 25 }, (_, index) => ({
      key: `E${String(index).padStart(3, "0")}`,
      fields: { encounter_id: `E${index}`, n: 1 },
    }));
    await written(batchOf("encounter", rows));
    await written(batchOf("encounter", [{ key: "E003", fields: { encounter_id: "E3", n: 2 } }]));
    const streamed = [];
    for await (const record of streamLatestRecords(database.pool, { feed: "encounter", pageSize: 7 })) {
      streamed.push(record);
    }
    expect(streamed).toHaveLength(25);
    expect(new Set(streamed.map((record) => record.keyValue)).size).toBe(25);
    expect(streamed.find((record) => record.keyValue === "E003")!.version).toBe(2);
    const everything = [];
    for await (const record of streamLatestRecords(database.pool, { pageSize: 4 })) everything.push(record);
    expect(everything.filter((record) => record.feed === "encounter")).toHaveLength(25);
    expect(everything.some((record) => record.feed === "visa")).toBe(true);
    // Stopping early returns the connection to the pool.
    for await (const record of streamLatestRecords(database.pool, { pageSize: 2 })) {
      expect(record).toBeDefined();
      break;
    }
    expect(database.pool.idleCount).toBeGreaterThan(0);
  });

  it("serialises concurrent writers of one feed so versions never collide", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        written(batchOf("custody", [{ key: "B1", second: "book_in", fields: { n: index } }])),
      ),
    );
    expect(outcomes.flat().sort()).toEqual([
      "corrected@2",
      "corrected@3",
      "corrected@4",
      "corrected@5",
      "corrected@6",
      "new@1",
    ]);
  });

  it("writes events whose payloads are exactly the core event definitions, for both write paths", async () => {
    const from = await lastPosition();
    // Fresh distinct keys: copied straight in. A stored key and a repeated key: staged and versioned.
    await written(
      batchOf("citizenship", [
        { key: "N1", fields: { n: 1 } },
        { key: "N2", fields: { n: 1 } },
      ]),
    );
    await written(
      batchOf("citizenship", [
        { key: "N1", fields: { n: 2 } },
        { key: "N3", fields: { n: 1 } },
        { key: "N3", fields: { n: 2 } },
      ]),
    );
    // One event per kind per batch; ingested before corrected within a batch.
    expect(await recordsNamedByEvents(from)).toEqual([
      "RecordsIngested citizenship N1@1",
      "RecordsIngested citizenship N2@1",
      "RecordsIngested citizenship N3@1",
      "RecordsCorrected citizenship N1@2",
      "RecordsCorrected citizenship N3@2",
    ]);
    const events = await readOutboxEvents(database.db, from, 100);
    expect(events.map((event) => [event.type, event.payload.records])).toEqual([
      ["RecordsIngested", 2],
      ["RecordsIngested", 1],
      ["RecordsCorrected", 2],
    ]);
    // What the linkage handler reads from them: each key once, in the order first stored.
    expect(
      await findKeysOfStoredRecords(
        database.db,
        events.map((event) => ({ ...parseStored(event), corrections: event.type === RecordsCorrected.name })),
      ),
    ).toEqual(["N1", "N2", "N3"].map((keyValue) => ({ feed: "citizenship", keyValue })));
  });

  it("names at most RECORDS_PER_EVENT records an event, every record once, on both write paths", async () => {
    const from = await lastPosition();
    const keys = Array.from({ length: 600 }, (_, index) => `L${index}`);
    await written(
      batchOf(
        "custody",
        keys.map((key) => ({ key, fields: { n: 1 } })),
      ),
    );
    const extra = Array.from({ length: 100 }, (_, index) => `L${600 + index}`);
    // Corrections interleaved with new keys: each kind's events skip the other kind's ids.
    const mixed = keys.flatMap((key, index) => [
      { key, fields: { n: 2 } },
      ...(index % 6 === 0 ? [{ key: extra[index / 6]!, fields: { n: 1 } }] : []),
    ]);
    await written(batchOf("custody", mixed));
    const events = await readOutboxEvents(database.db, from, 100);
    expect(events.map((event) => [event.type, event.payload.records])).toEqual([
      ["RecordsIngested", RECORDS_PER_EVENT],
      ["RecordsIngested", 100],
      ["RecordsIngested", 100],
      ["RecordsCorrected", RECORDS_PER_EVENT],
      ["RecordsCorrected", 100],
    ]);
    const named = await recordsNamedByEvents(from);
    expect(named).toHaveLength(1_300);
    expect(new Set(named).size).toBe(1_300);
    expect(named.filter((line) => line.startsWith("RecordsCorrected")).sort()).toEqual(
      keys.map((key) => `RecordsCorrected custody ${key}@2`).sort(),
    );
    // The new keys' ids lie inside the corrections' ranges; the handler's read leaves them out.
    const corrections = events
      .filter((event) => event.type === RecordsCorrected.name)
      .map((event) => ({ ...parseStored(event), corrections: true }));
    expect(await findKeysOfStoredRecords(database.db, corrections)).toEqual(
      keys.map((keyValue) => ({ feed: "custody", keyValue })),
    );
  });

  it("versions a batch of distinct keys whose copy meets a stored key part way, writing nothing twice", async () => {
    await written(batchOf("visa", [{ key: "M2", fields: { n: 1 } }]));
    const from = await lastPosition();
    // M1 is copied before the stored M2 stops the straight copy; the batch is then versioned instead.
    const batch = batchOf("visa", [
      { key: "M1", fields: { n: 1 } },
      { key: "M2", fields: { n: 1 } },
      { key: "M3", fields: { n: 1 } },
      { key: "M2", second: "other", fields: { n: 1 } },
    ]);
    expect(await written(batch)).toEqual(["new@1", "unchanged@1", "new@1", "new@1"]);
    expect(await countBatchRecords(database.db, batch.batchId)).toBe(3);
    expect(await recordsNamedByEvents(from)).toEqual([
      "RecordsIngested visa M1@1",
      "RecordsIngested visa M3@1",
      "RecordsIngested visa M2|other@1",
    ]);
  });

  it("versions exactly like a model of the contract, batch after batch, and a re-run changes nothing (property)", async () => {
    // Keys and contents from small pools, so that batches mix new keys, stored keys, repeated keys
    // and unchanged rows: both write paths (straight copy, staged versioning) are taken.
    const batchArbitrary = fc.array(
      fc.record({ key: fc.constantFrom("K1", "K2", "K3", "K4", "K5"), n: fc.integer({ min: 1, max: 3 }) }),
      { minLength: 1, maxLength: 6 },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(batchArbitrary, { minLength: 1, maxLength: 5 }), async (batches) => {
        const prefix = `P${++run}-`;
        const latest = new Map<string, { n: number; version: number }>();
        for (const rows of batches) {
          const expected = rows.map(({ key, n }) => {
            const state = latest.get(key);
            if (state?.n === n) return `unchanged@${state.version}`;
            const version = (state?.version ?? 0) + 1;
            latest.set(key, { n, version });
            return `${version === 1 ? "new" : "corrected"}@${version}`;
          });
          const batch = batchOf(
            "travel_document",
            rows.map(({ key, n }) => ({ key: prefix + key, fields: { key: prefix + key, n } })),
            Buffer.from(randomUUID()),
          );
          expect(await written(batch)).toEqual(expected);
          // The same batch again (a re-run of the file): skipped whole, nothing written.
          expect(await writeRecordBatch(database.pool, batch)).toEqual({
            status: "already_committed",
            runId: null,
          });
        }
        for (const [key, state] of latest) {
          const versions = await findRecordVersions(database.db, "travel_document", prefix + key);
          expect(versions.map((version) => version.version)).toEqual(
            Array.from({ length: state.version }, (_, index) => index + 1),
          );
          expect(versions.at(-1)!.fields.n).toBe(state.n);
        }
      }),
      { numRuns: process.env.PASSAGE_SOAK === "1" ? 300 : 15 },
    );
  });
});

async function lastPosition(): Promise<string> {
  const { rows } = await database.pool.query<{ position: string }>(
    "SELECT coalesce(max(position), 0)::text AS position FROM outbox_event",
  );
  return rows[0]!.position;
}

function parseStored(event: { type: string; payload: unknown }) {
  return (event.type === RecordsIngested.name ? RecordsIngested : RecordsCorrected).parseOrThrow(
    event.payload,
  );
}

/**
 * The records the events after `from` name, as "TYPE feed key@version" in event then id order,
 * read back from source_record by each payload's batch and id range; checks on the way that a
 * payload has exactly its definition's fields, is partitioned by its feed and counts its records.
 */
async function recordsNamedByEvents(from: string): Promise<string[]> {
  const named: string[] = [];
  for (const event of await readOutboxEvents(database.db, from, 100)) {
    const payload = parseStored(event);
    // parseOrThrow drops unknown keys, so equality also proves there are none.
    expect(payload).toEqual(event.payload);
    expect(event.partitionKey).toBe(payload.feed);
    const rows = await executeSql<{ record_key: string; version: number }>(
      database.db,
      `SELECT record_key, version FROM source_record
       WHERE batch_id = $1 AND id BETWEEN $2 AND $3 AND (version = 1) = $4 ORDER BY id`,
      [payload.batchId, payload.firstRecordId, payload.lastRecordId, event.type === RecordsIngested.name],
    );
    expect(rows).toHaveLength(payload.records);
    named.push(...rows.map((row) => `${event.type} ${payload.feed} ${row.record_key}@${row.version}`));
  }
  return named;
}
