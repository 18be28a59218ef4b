import { outboxPartitionOf, readOutboxSlice } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendTestEvents } from "./testing/recording-handler.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("outbox partitions", () => {
  it("puts each key in the same partition in SQL as in JavaScript, also for non-ASCII keys", async () => {
    const keys = [
      ...Array.from({ length: 300 }, (_, index) => `court:A${String(index * 7919).padStart(9, "0")}`),
      "person-Ñúñez",
      "姓名",
      "",
      "emoji-\u{1F600}",
    ];
    for (const count of [2, 3, 8, 1024]) {
      const rows = await sql<{ key: string; partition: string }>`
        SELECT key, (('x' || substr(md5(key), 1, 8))::bit(32)::bigint % ${count}::int) AS partition
        FROM unnest(${keys}::text[]) AS key`.execute(database.db);
      for (const row of rows.rows) expect(Number(row.partition)).toBe(outboxPartitionOf(row.key, count));
    }
  });

  it("reads a partition's slice and reports how far it read, matching or not", async () => {
    const positions = await appendTestEvents(database.db, 200);
    const slices = await Promise.all(
      [0, 1, 2].map((index) =>
        readOutboxSlice(database.db, {
          after: "0",
          scanLimit: 1_000,
          filter: { partition: { index, count: 3 } },
        }),
      ),
    );
    const seen = slices.flatMap((slice) => slice.events.map((event) => event.position));
    expect(seen.sort()).toEqual([...positions].sort());
    for (const [index, slice] of slices.entries()) {
      expect(slice.scannedTo).toBe(positions.at(-1));
      for (const event of slice.events) expect(outboxPartitionOf(event.partitionKey, 3)).toBe(index);
    }
    const bounded = await readOutboxSlice(database.db, {
      after: positions[9]!,
      upTo: positions[19]!,
      scanLimit: 5,
    });
    expect(bounded.events.map((event) => event.position)).toEqual(positions.slice(10, 15));
    expect(bounded.scannedTo).toBe(positions[14]);
    const none = await readOutboxSlice(database.db, { after: positions.at(-1)!, scanLimit: 10 });
    expect(none).toEqual({ scannedTo: null, events: [] });
    // maxEvents: at most that many, and the slice ends at the last of them when it is reached.
    const partition = { index: 1, count: 3 };
    const ofPartition = slices[1]!.events.map((event) => event.position);
    const capped = await readOutboxSlice(database.db, {
      after: "0",
      scanLimit: 1_000,
      filter: { partition },
      maxEvents: 4,
    });
    expect(capped.events.map((event) => event.position)).toEqual(ofPartition.slice(0, 4));
    expect(capped.scannedTo).toBe(ofPartition[3]);
    const roomy = await readOutboxSlice(database.db, {
      after: "0",
      scanLimit: 1_000,
      filter: { partition },
      maxEvents: 1_000,
    });
    expect(roomy.scannedTo).toBe(positions.at(-1));
    const nothingLeft = await readOutboxSlice(database.db, {
      after: positions.at(-1)!,
      scanLimit: 10,
      maxEvents: 1,
    });
    expect(nothingLeft).toEqual({ scannedTo: null, events: [] });
    const onlyOthers = await readOutboxSlice(database.db, {
      after: positions.at(-2)!,
      scanLimit: 10,
      filter: { eventTypes: ["NoSuchEvent"] },
      maxEvents: 1,
    });
    expect(onlyOthers).toEqual({ scannedTo: positions.at(-1), events: [] });
  });
});
