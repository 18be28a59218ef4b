import { RecordsIngested } from "@passage/core";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appendOutboxEvents,
  comparePositions,
  getConsumerOffset,
  latestOutboxPosition,
  listenToOutbox,
  type NewOutboxEvent,
  outboxEventOf,
  readOutboxEvents,
  setConsumerOffset,
} from "./outbox-repository.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const event = (label: string): NewOutboxEvent => ({
  type: "TestEvent",
  partitionKey: `test:${label}`,
  payload: { label },
});

async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await database.pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe("outbox repository", () => {
  it("appends in order and reads after a position", async () => {
    const start = await latestOutboxPosition(database.db);
    const positions = await inTransaction((client) =>
      appendOutboxEvents(client, [event("a"), event("b"), event("c")]),
    );
    expect(positions).toHaveLength(3);
    const read = await readOutboxEvents(database.db, start, 10);
    expect(read.map((stored) => stored.payload.label)).toEqual(["a", "b", "c"]);
    expect(read.map((stored) => stored.position)).toEqual(positions);
    expect(read[0]!.partitionKey).toBe("test:a");
    expect(await readOutboxEvents(database.db, positions[0]!, 1)).toHaveLength(1);
  });

  it("validates payloads by their event definition", () => {
    expect(() =>
      outboxEventOf(RecordsIngested, "visa", {
        batchId: "b",
        feed: "visa",
        firstRecordId: "9",
        lastRecordId: "2",
        records: 1,
      }),
    ).toThrow(/invalid RecordsIngested event: lastRecordId: firstRecordId must not be above lastRecordId/);
  });

  it("refuses to append outside a Kysely transaction", async () => {
    await expect(appendOutboxEvents(database.db, [event("x")])).rejects.toThrow(/inside a transaction/);
    const positions = await database.db
      .transaction()
      .execute((transaction) => appendOutboxEvents(transaction, [event("kysely")]));
    expect(positions).toHaveLength(1);
  });

  it("stores consumer offsets inside the caller's transaction", async () => {
    expect(await getConsumerOffset(database.db, "test-consumer")).toBe("0");
    await inTransaction((client) => setConsumerOffset(client, "test-consumer", "41"));
    await inTransaction((client) => setConsumerOffset(client, "test-consumer", "42"));
    expect(await getConsumerOffset(database.db, "test-consumer")).toBe("42");
    await expect(
      inTransaction(async (client) => {
        await setConsumerOffset(client, "test-consumer", "99");
        throw new Error("consumer failed");
      }),
    ).rejects.toThrow("consumer failed");
    expect(await getConsumerOffset(database.db, "test-consumer")).toBe("42");
  });

  it("notifies listeners when an append commits, not before", async () => {
    const notified: string[] = [];
    const listener = await listenToOutbox(database.pool, { onNotify: (position) => notified.push(position) });
    try {
      const client = await database.pool.connect();
      await client.query("BEGIN");
      const positions = await appendOutboxEvents(client, [event("n1"), event("n2")]);
      await sleep(100);
      expect(notified).toEqual([]);
      await client.query("COMMIT");
      client.release();
      for (let waited = 0; notified.length === 0 && waited < 5000; waited += 20) await sleep(20);
      expect(notified).toEqual([positions.at(-1)]);
    } finally {
      await listener.close();
    }
  });

  it("without the lock a reader can skip a position; with it a later writer waits", async () => {
    // The anomaly the lock prevents: a plain insert takes a position, a second transaction takes
    // the next and commits first, and a reader then sees only the later one.
    const before = await latestOutboxPosition(database.db);
    const first = await database.pool.connect();
    const second = await database.pool.connect();
    try {
      await first.query("BEGIN");
      await first.query(
        "INSERT INTO outbox_event (event_type, partition_key, payload) VALUES ('TestEvent', 'raw', '{}')",
      );
      await second.query(
        "INSERT INTO outbox_event (event_type, partition_key, payload) VALUES ('TestEvent', 'raw', '{}')",
      );
      const seen = await readOutboxEvents(database.db, before, 10);
      expect(seen).toHaveLength(1);
      await first.query("COMMIT");
      expect(
        comparePositions((await readOutboxEvents(database.db, before, 10))[0]!.position, seen[0]!.position),
      ).toBe(-1);

      // With appendOutboxEvents the second writer blocks until the first commits.
      const after = await latestOutboxPosition(database.db);
      await first.query("BEGIN");
      await appendOutboxEvents(first, [event("first")]);
      await second.query("BEGIN");
      let secondDone = false;
      const secondAppend = appendOutboxEvents(second, [event("second")]).then(async (positions) => {
        secondDone = true;
        await second.query("COMMIT");
        return positions;
      });
      await sleep(300);
      expect(secondDone).toBe(false);
      expect(await readOutboxEvents(database.db, after, 10)).toEqual([]);
      await first.query("COMMIT");
      await secondAppend;
      const read = await readOutboxEvents(database.db, after, 10);
      expect(read.map((stored) => stored.payload.label)).toEqual(["first", "second"]);
    } finally {
      first.release();
      second.release();
    }
  });

  it("a consumer polling during concurrent writers sees every committed event, in order", async () => {
    const writers = 6;
    const transactionsPerWriter = 15;
    const start = await latestOutboxPosition(database.db);
    let writing = true;
    const seen: string[] = [];
    const consumer = (async () => {
      let offset = start;
      while (writing || (await readOutboxEvents(database.db, offset, 1)).length > 0) {
        const batch = await readOutboxEvents(database.db, offset, 50);
        for (const stored of batch) {
          if (stored.type === "Concurrent") seen.push(String(stored.payload.label));
          offset = stored.position;
        }
        if (batch.length === 0) await sleep(2);
      }
    })();
    const committed: string[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let transaction = 0; transaction < transactionsPerWriter; transaction++) {
          const labels = [0, 1].map((index) => `${writer}-${transaction}-${index}`);
          await inTransaction(async (client) => {
            await appendOutboxEvents(
              client,
              labels.map((label) => ({ type: "Concurrent", partitionKey: label, payload: { label } })),
            );
            // Hold the transaction open a little while others try to append.
            await client.query("SELECT pg_sleep($1)", [Math.random() * 0.01]);
          });
          committed.push(...labels);
        }
      }),
    );
    writing = false;
    await consumer;
    expect(seen).toHaveLength(writers * transactionsPerWriter * 2);
    expect(new Set(seen)).toEqual(new Set(committed));
  });
});
