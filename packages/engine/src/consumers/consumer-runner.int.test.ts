import { PassageError } from "@passage/core";
import { type Database, getConsumerOffset, latestOutboxPosition, outboxPartitionOf } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { Kysely, PostgresDialect, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "./consumer-runner.ts";
import {
  appendTestEvents,
  createRecordingTables,
  readRecording,
  recordingHandler,
} from "./testing/recording-handler.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("ConsumerRunner", () => {
  it("catchUp applies every committed event once, in order, and filters by event type", async () => {
    await createRecordingTables(database.db, "every");
    await createRecordingTables(database.db, "typed");
    const plain = await appendTestEvents(database.db, 1_200, { perTransaction: 250 });
    const special = await appendTestEvents(database.db, 30, { type: "SpecialEvent" });
    const order: string[] = [];
    const every = recordingHandler({ name: "every", prefix: "every" });
    const runner = createConsumerRunner({
      db: database.db,
      pool: database.pool,
      batchSize: 100,
      handlers: [
        {
          ...every,
          apply: (transaction, event) => {
            order.push(event.position);
            return every.apply(transaction, event);
          },
        },
        recordingHandler({ name: "typed", prefix: "typed", eventTypes: ["SpecialEvent"] }),
      ],
    });
    const report = await runner.catchUp();
    expect(report.position).toBe(special.at(-1));
    expect(report.applied).toBe(plain.length + 2 * special.length);
    const everything = await readRecording(database.db, "every");
    expect(everything.duplicates).toBe(0);
    expect([...everything.applied].sort()).toEqual([...plain, ...special].sort());
    expect(order).toEqual([...plain, ...special]);
    const typed = await readRecording(database.db, "typed");
    expect([...typed.applied].sort()).toEqual([...special].sort());
    // The typed consumer's offset moved past every event, not only its own.
    expect(await getConsumerOffset(database.db, "typed")).toBe(special.at(-1));
    expect((await runner.catchUp()).applied).toBe(0);
  });

  it("applies events up to the handler's weight budget when it weighs them", async () => {
    const before = await latestOutboxPosition(database.db);
    const positions = await appendTestEvents(database.db, 40, { type: "WeighedEvent" });
    // Weights 1-7 by index, and one event alone heavier than a whole batch.
    const weightOf = (event: { payload: Record<string, unknown> }) =>
      event.payload.index === 17 ? 25 : ((event.payload.index as number) % 7) + 1;
    const batches: string[][] = [];
    const runner = createConsumerRunner({
      db: database.db,
      pool: database.pool,
      batchSize: 100,
      handlers: [
        {
          name: "weighed",
          eventTypes: ["WeighedEvent"],
          weightOf,
          weightBudget: 10,
          apply: () => Promise.reject(new Error("applyBatch is called instead")),
          applyBatch: async (_transaction, events) => {
            batches.push(events.map((event) => event.position));
          },
        },
      ],
    });
    await runner.catchUp();
    expect(batches.flat()).toEqual(positions);
    const weightAt = (position: string) => weightOf({ payload: { index: positions.indexOf(position) } });
    for (const batch of batches) {
      const weight = batch.reduce((sum, position) => sum + weightAt(position), 0);
      if (batch.length > 1) expect(weight).toBeLessThanOrEqual(10);
    }
    expect(batches).toContainEqual([positions[17]]);
    expect(await getConsumerOffset(database.db, "weighed")).toBe(positions.at(-1));
    expect(BigInt(positions[0]!)).toBeGreaterThan(BigInt(before));
  });

  it("splits the outbox into partitions by a hash that SQL and JavaScript agree on", async () => {
    await createRecordingTables(database.db, "parted");
    const before = await latestOutboxPosition(database.db);
    await appendTestEvents(database.db, 400);
    const seenBy = new Map<string, number>();
    const base = recordingHandler({ name: "parted", prefix: "parted" });
    const runner = createConsumerRunner({
      db: database.db,
      pool: database.pool,
      partitions: 4,
      handlers: [base],
      onBatch: (report) => {
        const index = Number(/#(\d+)\/4$/.exec(report.consumer)![1]);
        for (const event of report.events) {
          expect(outboxPartitionOf(event.partitionKey, 4)).toBe(index);
          seenBy.set(event.position, index);
        }
      },
    });
    expect(runner.consumers).toEqual(["parted#0/4", "parted#1/4", "parted#2/4", "parted#3/4"]);
    await runner.catchUp();
    const recording = await readRecording(database.db, "parted");
    const expected = await sql<{ position: string }>`
      SELECT position FROM outbox_event WHERE position <= ${await latestOutboxPosition(database.db)}::bigint`.execute(
      database.db,
    );
    expect(recording.applied.size).toBe(expected.rows.length);
    expect(recording.duplicates).toBe(0);
    expect(new Set(seenBy.values()).size).toBe(4);
    expect(BigInt(before)).toBeGreaterThan(0n);
  });

  it("wakes on NOTIFY without waiting for the fallback poll, and reports lag", async () => {
    await createRecordingTables(database.db, "live");
    const runner = createConsumerRunner({
      db: database.db,
      pool: database.pool,
      fallbackPollMs: 600_000,
      handlers: [recordingHandler({ name: "live", prefix: "live" })],
    });
    await runner.catchUp();
    const lagBefore = await runner.lag();
    expect(lagBefore[0]).toMatchObject({ consumer: "live", eventsBehind: 0, oldestUnprocessedAgeMs: 0 });
    await runner.start();
    try {
      // Let the start-up drain finish, so the next events can only be found through NOTIFY.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const positions = await appendTestEvents(database.db, 5, { firstIndex: 10_000 });
      await waitFor(
        async () => (await readRecording(database.db, "live")).applied.has(positions.at(-1)!),
        "the notified events to be applied",
      );
    } finally {
      await runner.stop();
    }
    const positions = await appendTestEvents(database.db, 7);
    const lag = await runner.lag();
    expect(lag[0]).toMatchObject({ consumer: "live", eventsBehind: 7, headPosition: positions.at(-1) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await runner.lag())[0]!.oldestUnprocessedAgeMs).toBeGreaterThanOrEqual(50);
  });

  it("costs a quiet outbox one statement a poll, not a transaction per consumer, and still finds what comes", async () => {
    await createRecordingTables(database.db, "quiet");
    let statements = 0;
    const counted = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: database.pool }),
      log: (event) => {
        if (event.level === "query") statements++;
      },
    });
    const runner = createConsumerRunner({
      db: counted,
      pool: database.pool,
      partitions: 4,
      fallbackPollMs: 25,
      handlers: [recordingHandler({ name: "quiet", prefix: "quiet" })],
    });
    await runner.start();
    try {
      await waitFor(
        async () => runner.status().every((consumer) => consumer.offset !== undefined),
        "a first run",
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const before = statements;
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const polls = (performance.now() - started) / 25;
      // Four consumers' transactions would be at least 4 x 4 statements a poll.
      expect(statements - before).toBeLessThanOrEqual(Math.ceil(polls) + 2);
      expect(statements - before).toBeGreaterThan(0);
      const positions = await appendTestEvents(database.db, 20, { firstIndex: 20_000 });
      await waitFor(
        async () => (await readRecording(database.db, "quiet")).applied.has(positions.at(-1)!),
        "the new events to be applied",
      );
    } finally {
      await runner.stop();
    }
  });

  it("rolls a failed batch back whole and keeps the offset, then resumes", async () => {
    await createRecordingTables(database.db, "fragile");
    const start = await latestOutboxPosition(database.db);
    const positions = await appendTestEvents(database.db, 50);
    const poison = positions[20]!;
    let broken = true;
    // One batch holds the whole backlog, so the failure must roll every event of it back.
    const runner = createConsumerRunner({
      db: database.db,
      pool: database.pool,
      batchSize: 10_000,
      handlers: [
        recordingHandler({
          name: "fragile",
          prefix: "fragile",
          beforeApply: (position) => {
            if (broken && position === poison) throw new Error("projection bug");
          },
        }),
      ],
    });
    await expect(runner.catchUp()).rejects.toMatchObject({
      code: "PASSAGE_ERR_CONSUMER_FAILED",
      message: expect.stringContaining(`position ${poison} failed: projection bug`),
    });
    expect((await readRecording(database.db, "fragile")).applied.size).toBe(0);
    expect(await getConsumerOffset(database.db, "fragile")).toBe("0");
    expect(runner.status()[0]!.lastError?.message).toBe("projection bug");
    broken = false;
    await runner.catchUp();
    const recording = await readRecording(database.db, "fragile");
    expect(recording.applied.size).toBe(Number(await latestOutboxPosition(database.db)));
    expect(recording.duplicates).toBe(0);
    expect(BigInt(start)).toBeLessThan(BigInt(poison));
  });

  it("passes a handler's refusal for the operator to settle through with its own code, and resumes after", async () => {
    await createRecordingTables(database.db, "refusing");
    await appendTestEvents(database.db, 5);
    let refusing = true;
    const runner = createConsumerRunner({
      db: database.db,
      pool: database.pool,
      handlers: [
        recordingHandler({
          name: "refusing",
          prefix: "refusing",
          beforeApply: () => {
            if (refusing) {
              throw new PassageError(
                "PASSAGE_ERR_TEST_REFUSED",
                "conflict",
                "settle it first, then run this again",
              );
            }
          },
        }),
      ],
    });
    // Not PASSAGE_ERR_CONSUMER_FAILED (an internal failure, exit 1): the refusal itself (exit 4).
    await expect(runner.catchUp()).rejects.toMatchObject({
      code: "PASSAGE_ERR_TEST_REFUSED",
      message: "settle it first, then run this again",
    });
    expect(await getConsumerOffset(database.db, "refusing")).toBe("0");
    refusing = false;
    await runner.catchUp();
    expect((await readRecording(database.db, "refusing")).duplicates).toBe(0);
  });

  it("never doubles an effect when two runners share a consumer", async () => {
    await createRecordingTables(database.db, "shared");
    await appendTestEvents(database.db, 600, { perTransaction: 50 });
    const make = () =>
      createConsumerRunner({
        db: database.db,
        pool: database.pool,
        batchSize: 37,
        handlers: [recordingHandler({ name: "shared", prefix: "shared" })],
      });
    await Promise.all([make().catchUp(), make().catchUp(), make().catchUp()]);
    const recording = await readRecording(database.db, "shared");
    expect(recording.duplicates).toBe(0);
    expect(recording.applied.size).toBe(Number(await latestOutboxPosition(database.db)));
  });

  it("hands a batch handler each batch's matching events once, in order", async () => {
    await createRecordingTables(database.db, "batched");
    await appendTestEvents(database.db, 700, { perTransaction: 70 });
    const seen: string[] = [];
    const batches: number[] = [];
    const base = recordingHandler({ name: "batched", prefix: "batched", batched: true });
    const runner = createConsumerRunner({
      db: database.db,
      pool: database.pool,
      batchSize: 200,
      handlers: [
        {
          ...base,
          apply: () => Promise.reject(new Error("apply must not be called when applyBatch exists")),
          applyBatch: async (transaction, events) => {
            seen.push(...events.map((event) => event.position));
            batches.push(events.length);
            await base.applyBatch!(transaction, events);
          },
        },
      ],
    });
    await runner.catchUp();
    const head = Number(await latestOutboxPosition(database.db));
    expect(seen).toEqual(Array.from({ length: head }, (_, index) => String(index + 1)));
    expect(Math.max(...batches)).toBeLessThanOrEqual(200);
    const recording = await readRecording(database.db, "batched");
    expect(recording.applied.size).toBe(head);
    expect(recording.duplicates).toBe(0);
  });

  it("refuses handlers that would share an offset or cannot be named", () => {
    const handler = recordingHandler({ name: "twice", prefix: "x" });
    expect(() =>
      createConsumerRunner({ db: database.db, pool: database.pool, handlers: [handler, handler] }),
    ).toThrow(expect.objectContaining({ code: "PASSAGE_ERR_CONSUMER_HANDLER_DUPLICATE" }));
    expect(() =>
      createConsumerRunner({
        db: database.db,
        pool: database.pool,
        handlers: [{ ...handler, name: "Bad Name" }],
      }),
    ).toThrow(expect.objectContaining({ code: "PASSAGE_ERR_CONSUMER_HANDLER_INVALID" }));
    expect(() =>
      createConsumerRunner({
        db: database.db,
        pool: database.pool,
        handlers: [{ ...handler, eventTypes: [] }],
      }),
    ).toThrow(/eventTypes/);
  });
});
