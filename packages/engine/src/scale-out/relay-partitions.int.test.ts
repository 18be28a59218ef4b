import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { markLayoutAlive } from "../consumers/partition-layout-guard.ts";
import { createRecordingTables, recordingHandler } from "../consumers/testing/recording-handler.ts";
import { type NatsConfig, NatsConfigSchema } from "./nats-config.ts";
import { type OutboxRelay, startOutboxRelay } from "./outbox-relay.ts";
import { type PartitionWorker, startPartitionWorker } from "./partition-worker.ts";
import { type NatsTestCluster, startNatsTestCluster } from "./testing/nats-test-cluster.ts";

// The relay publishes signals on passage.events.<partition of PASSAGE_NATS_PARTITIONS>: with
// another count than the running workers', most signals go to subjects no worker reads.
let database: TestDatabase;
let cluster: NatsTestCluster;
const running: Array<OutboxRelay | PartitionWorker> = [];

beforeAll(async () => {
  [database, cluster] = await Promise.all([createTestDatabase(), startNatsTestCluster({ size: 1 })]);
  await createRecordingTables(database.db, "laid_out");
});
afterEach(async () => {
  for (const service of running.splice(0).reverse()) await service.stop();
});
afterAll(async () => {
  await cluster?.stop();
  await database?.drop();
});

const nats = (partitions: number): NatsConfig =>
  NatsConfigSchema.parse({ servers: cluster.servers, replicas: 1, partitions });

async function relay(partitions: number, layoutCheckMs?: number): Promise<OutboxRelay> {
  const started = await startOutboxRelay({
    db: database.db,
    pool: database.pool,
    nats: nats(partitions),
    layoutCheckMs,
  });
  running.push(started);
  return started;
}

async function worker(index: number, count: number): Promise<PartitionWorker> {
  const started = await startPartitionWorker({
    db: database.db,
    nats: nats(count),
    partition: { index, count },
    handlers: [recordingHandler({ name: "laid-out", prefix: "laid_out" })],
  });
  running.push(started);
  // The worker records its layout with its first drain, just after it starts.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { rows } = await sql<{ partitions: number }>`
      SELECT partitions FROM consumer_layout WHERE handler = 'laid-out'`.execute(database.db);
    if (rows[0]?.partitions === count) return started;
    if (Date.now() > deadline) throw new Error(`layout ${count} was not recorded`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const mismatch = (relayCount: number, workerCount: number, when: "does not start" | "stopped") => ({
  code: "PASSAGE_ERR_SCALE_OUT_RELAY_PARTITIONS_MISMATCH",
  kind: "conflict",
  message: expect.stringMatching(
    new RegExp(
      `^relay ${when}: its PASSAGE_NATS_PARTITIONS is ${relayCount} but running workers read ${workerCount} ` +
        `partitions \\(handler laid-out: ${workerCount} partitions, laid-out#0/${workerCount} seen \\d+ s ago.*\\); ` +
        `.*Set PASSAGE_NATS_PARTITIONS=${workerCount} for the relay`,
    ),
  ),
});

describe("a relay and the partition count of the running workers", () => {
  it("starts with any count while no layout is recorded", async () => {
    await (await relay(4)).stop();
  });

  it("refuses to start with another count than live workers read, and starts with theirs", async () => {
    await worker(0, 2);
    await worker(1, 2);
    await expect(relay(4)).rejects.toMatchObject(mismatch(4, 2, "does not start"));
    const matching = await relay(2);
    expect(matching.status().lastError).toBeUndefined();
  });

  it("starts with another count once the recorded layout's workers are gone (stopped, or silent for 90 s)", async () => {
    await worker(0, 2);
    for (const service of running.splice(0)) await service.stop();
    await (await relay(4)).stop();
    // A worker killed (no clean stop) leaves its mark: alive until 90 s after its last heartbeat.
    await markLayoutAlive(database.db, ["laid-out#0/2", "laid-out#1/2"]);
    await expect(relay(4)).rejects.toMatchObject(mismatch(4, 2, "does not start"));
    await sql`UPDATE consumer_offset SET updated_at = now() - interval '91 seconds'
      WHERE consumer LIKE 'alive:laid-out%'`.execute(database.db);
    await (await relay(4)).stop();
  });

  it("stops publishing, and says why, when workers of another count start while it runs", async () => {
    const started = await relay(2, 100);
    await worker(0, 4);
    const error = await Promise.race([
      started.halted,
      new Promise((resolve) => setTimeout(() => resolve("still publishing"), 10_000)),
    ]);
    expect(error).toMatchObject(mismatch(2, 4, "stopped"));
    expect(started.status().lastError).toMatch(/PASSAGE_NATS_PARTITIONS is 2 but running workers read 4/);
    await expect(started.flush()).rejects.toMatchObject({
      code: "PASSAGE_ERR_SCALE_OUT_RELAY_PARTITIONS_MISMATCH",
    });
  });
});
