import { getConsumerOffset, latestOutboxPosition } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "./consumer-runner.ts";
import { createOutboxConsumer } from "./outbox-consumer.ts";
import {
  appendTestEvents,
  createRecordingTables,
  readRecording,
  recordingHandler,
} from "./testing/recording-handler.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await createRecordingTables(database.db, "moving");
  await createRecordingTables(database.db, "switching");
  await createRecordingTables(database.db, "guarded");
});
afterAll(async () => {
  await database.drop();
});

const handler = () => recordingHandler({ name: "moving", prefix: "moving" });
const runner = (partitions: number) =>
  createConsumerRunner({ db: database.db, pool: database.pool, partitions, handlers: [handler()] });

async function expectExactlyOnce(): Promise<void> {
  const recording = await readRecording(database.db, "moving");
  expect(recording.duplicates).toBe(0);
  expect(recording.applied.size).toBe(Number(await latestOutboxPosition(database.db)));
}

describe("moving a handler between partition layouts", () => {
  it("adopts the old layout's common position instead of applying everything again", async () => {
    await appendTestEvents(database.db, 300);
    await runner(1).catchUp();
    await appendTestEvents(database.db, 100);
    const report = await runner(4).catchUp();
    expect(report.applied).toBe(100);
    await expectExactlyOnce();
    // And back: the single-partition offset is stale, the 4-partition layout stands at one position.
    await appendTestEvents(database.db, 50);
    await runner(4).catchUp();
    await appendTestEvents(database.db, 25);
    expect((await runner(1).catchUp()).applied).toBe(25);
    await expectExactlyOnce();
  });

  it("refuses to start while the other layout's partitions stand at different positions", async () => {
    await appendTestEvents(database.db, 80);
    // Only partition 2 of 4 moves on.
    await createOutboxConsumer({
      db: database.db,
      handler: handler(),
      partition: { index: 2, count: 4 },
    }).drain();
    const before = await getConsumerOffset(database.db, "moving");
    await expect(runner(1).catchUp()).rejects.toMatchObject({
      code: "PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_CONFLICT",
      message: expect.stringMatching(/layout of 4 partitions.*moving#2\/4 at \d+.*PASSAGE_NATS_PARTITIONS=4/),
    });
    expect(await getConsumerOffset(database.db, "moving")).toBe(before);
    // Once the whole 4-partition layout is caught up to one position, the move is safe again.
    await runner(4).catchUp();
    await runner(1).catchUp();
    await expectExactlyOnce();
  });
});

describe("two partition layouts of one handler running at once", () => {
  const switching = () => recordingHandler({ name: "switching", prefix: "switching" });
  const consumerOf = (index: number, count: number) =>
    createOutboxConsumer({ db: database.db, handler: switching(), partition: { index, count } });
  const runnerOf = (partitions: number) =>
    createConsumerRunner({ db: database.db, pool: database.pool, partitions, handlers: [switching()] });

  async function expectSwitchingExactlyOnce(): Promise<void> {
    const recording = await readRecording(database.db, "switching");
    expect(recording.duplicates).toBe(0);
    expect(recording.applied.size).toBe(Number(await latestOutboxPosition(database.db)));
  }

  it("stops the running layout at its next batch once another adopts, so no event is applied twice", async () => {
    await appendTestEvents(database.db, 40);
    // Two workers of a 2-partition layout, idle at the last position.
    const workers = [consumerOf(0, 2), consumerOf(1, 2)];
    for (const worker of workers) await worker.drain();
    await appendTestEvents(database.db, 30);
    // An in-process command of another layout catches up first: it adopts and applies the 30.
    const inProcess = runnerOf(1);
    expect((await inProcess.catchUp()).applied).toBe(30);
    // The running workers' next batches are refused instead of applying the 30 again.
    for (const worker of workers) {
      await expect(worker.drain()).rejects.toMatchObject({
        code: "PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_SUPERSEDED",
        message: expect.stringMatching(/switching#\d\/2 stops: .*a layout of 1 partition, not .* 2/),
      });
    }
    await expectSwitchingExactlyOnce();
    // Restarted, the workers take the handler back from the idle in-process layout.
    await appendTestEvents(database.db, 20);
    const restarted = [consumerOf(0, 2), consumerOf(1, 2)];
    let applied = 0;
    for (const worker of restarted) applied += await worker.drain();
    expect(applied).toBe(20);
    // And now the in-process layout is the one refused.
    await appendTestEvents(database.db, 5);
    await expect(inProcess.catchUp()).rejects.toMatchObject({
      code: "PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_SUPERSEDED",
    });
    for (const worker of restarted) await worker.drain();
    await expectSwitchingExactlyOnce();
  });

  it("ignores the stale offsets of layouts that are not the recorded one", async () => {
    // The 1-partition offset "switching" stands behind the 2-partition layout recorded now.
    await appendTestEvents(database.db, 15);
    for (const worker of [consumerOf(0, 2), consumerOf(1, 2)]) await worker.drain();
    const stale = await getConsumerOffset(database.db, "switching");
    expect(BigInt(stale)).toBeLessThan(BigInt(await latestOutboxPosition(database.db)));
    await appendTestEvents(database.db, 10);
    expect((await runnerOf(4).catchUp()).applied).toBe(10);
    await expectSwitchingExactlyOnce();
  });
});

/** What a running worker does (markLayoutAlive): rows alive:<consumer>, refreshed every 20 s, removed at stop. */
async function markLayoutAlive(consumers: string[], alive = true): Promise<void> {
  for (const consumer of consumers) {
    if (alive) {
      await sql`INSERT INTO consumer_offset (consumer, position, updated_at) VALUES (${`alive:${consumer}`}, 0, now())
        ON CONFLICT (consumer) DO UPDATE SET updated_at = now()`.execute(database.db);
    } else {
      await sql`DELETE FROM consumer_offset WHERE consumer = ${`alive:${consumer}`}`.execute(database.db);
    }
  }
}

describe("a command of another layout while workers run", () => {
  const guarded = () => recordingHandler({ name: "guarded", prefix: "guarded" });
  const workerOf = (index: number, count: number, takeOver = true) =>
    createOutboxConsumer({ db: database.db, handler: guarded(), partition: { index, count }, takeOver });
  const runnerOf = (partitions: number) =>
    createConsumerRunner({ db: database.db, pool: database.pool, partitions, handlers: [guarded()] });
  const recordedLayout = async () =>
    (
      await sql<{
        partitions: number;
      }>`SELECT partitions FROM consumer_layout WHERE handler = 'guarded'`.execute(database.db)
    ).rows[0]?.partitions;

  it("does not take the handler over from running workers, which go on applying", async () => {
    await appendTestEvents(database.db, 30);
    const workers = [workerOf(0, 2), workerOf(1, 2)];
    for (const worker of workers) await worker.drain();
    // The workers are running (idle): they have marked their consumers alive.
    await markLayoutAlive(["guarded#0/2", "guarded#1/2"]);
    await appendTestEvents(database.db, 10);
    // A read command run without PASSAGE_NATS_PARTITIONS=2 (the default 8) refuses, naming the fix.
    await expect(runnerOf(8).catchUp()).rejects.toMatchObject({
      code: "PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_IN_USE",
      message: expect.stringMatching(
        /guarded#0\/8 does not start: .*running workers of a layout of 2 partitions \(guarded#0\/2 seen \d+ s ago, guarded#1\/2 seen \d+ s ago\).*PASSAGE_NATS_PARTITIONS=2/,
      ),
    });
    expect(await recordedLayout()).toBe(2);
    // The workers are not stopped: their next batches apply.
    let applied = 0;
    for (const worker of workers) applied += await worker.drain();
    expect(applied).toBe(10);
    const recording = await readRecording(database.db, "guarded");
    expect(recording.duplicates).toBe(0);
  });

  it("lets a worker started with another count take over on purpose, and a command once the workers stopped", async () => {
    // A worker of 4 partitions is the operator's explicit move: it adopts though the 2 are alive.
    await appendTestEvents(database.db, 5);
    const moved = [0, 1, 2, 3].map((index) => workerOf(index, 4));
    for (const worker of moved) await worker.drain();
    expect(await recordedLayout()).toBe(4);
    // Those workers stopped (their marks removed): an in-process command may take the handler.
    await markLayoutAlive(["guarded#0/2", "guarded#1/2"], false);
    await appendTestEvents(database.db, 7);
    expect((await runnerOf(1).catchUp()).applied).toBe(7);
    expect(await recordedLayout()).toBe(1);
    const recording = await readRecording(database.db, "guarded");
    expect(recording.duplicates).toBe(0);
    expect(recording.applied.size).toBe(Number(await latestOutboxPosition(database.db)));
  });

  it("treats marks older than the alive window as workers that are gone", async () => {
    await markLayoutAlive(["guarded"]);
    await sql`UPDATE consumer_offset SET updated_at = now() - interval '10 minutes'
      WHERE consumer = 'alive:guarded'`.execute(database.db);
    await appendTestEvents(database.db, 3);
    expect((await runnerOf(2).catchUp()).applied).toBe(3);
    expect(await recordedLayout()).toBe(2);
  });
});
