import { getConsumerOffset, latestOutboxPosition } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
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
      code: "PASSAGE_ERR_CONSUMER_FAILED",
      message: expect.stringMatching(/moving#2\/4 at \d+.*same position/),
    });
    expect(await getConsumerOffset(database.db, "moving")).toBe(before);
    // Once the whole 4-partition layout is caught up to one position, the move is safe again.
    await runner(4).catchUp();
    await runner(1).catchUp();
    await expectExactlyOnce();
  });
});
