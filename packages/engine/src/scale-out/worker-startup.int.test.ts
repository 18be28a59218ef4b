import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecordingTables, recordingHandler } from "../consumers/testing/recording-handler.ts";
import { NatsConfigSchema } from "./nats-config.ts";
import { startPartitionWorker } from "./partition-worker.ts";
import { type NatsTestCluster, startNatsTestCluster } from "./testing/nats-test-cluster.ts";

let database: TestDatabase;
let cluster: NatsTestCluster;
beforeAll(async () => {
  [database, cluster] = await Promise.all([createTestDatabase(), startNatsTestCluster({ size: 3 })]);
  await createRecordingTables(database.db, "starting");
});
afterAll(async () => {
  await cluster?.stop();
  await database?.drop();
});

const start = (startupTimeoutMs?: number) =>
  startPartitionWorker({
    db: database.db,
    nats: NatsConfigSchema.parse({ servers: cluster.servers, replicas: 3, partitions: 2 }),
    partition: { index: 1, count: 2 },
    handlers: [recordingHandler({ name: "starting", prefix: "starting" })],
    startupTimeoutMs,
  });

describe("a worker starting while JetStream has no leader", () => {
  it("fails as unavailable, naming JetStream and the missing leader, once its start-up wait is over", async () => {
    await cluster.killNode(1);
    await cluster.killNode(2);
    const began = Date.now();
    await expect(start(3_000)).rejects.toMatchObject({
      code: "PASSAGE_ERR_SCALE_OUT_STREAM_UNAVAILABLE",
      kind: "unavailable",
      message: expect.stringMatching(
        /JetStream stream PASSAGE_EVENTS .*unavailable: no JetStream answer .*no JetStream meta leader/,
      ),
    });
    expect(Date.now() - began).toBeGreaterThanOrEqual(2_000);
  });

  it("retries until a leader is elected, then starts", async () => {
    const starting = start();
    // The two nodes come back a few seconds later: a quorum again, and a leader election.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await Promise.all([cluster.restartNode(1), cluster.restartNode(2)]);
    const worker = await starting;
    expect(worker.durableName).toBe("worker-starting-1-of-2");
    await worker.stop();
  });
});
