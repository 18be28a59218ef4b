import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  jetstreamManager,
  StorageType,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  appendTestEvents,
  createRecordingTables,
  recordingHandler,
} from "../consumers/testing/recording-handler.ts";
import { connectToNats, PASSAGE_STREAM_MARK } from "./event-stream.ts";
import { type NatsConfig, NatsConfigSchema } from "./nats-config.ts";
import { type OutboxRelay, startOutboxRelay } from "./outbox-relay.ts";
import { type PartitionWorker, startPartitionWorker } from "./partition-worker.ts";
import { type NatsTestCluster, startNatsTestCluster } from "./testing/nats-test-cluster.ts";

let database: TestDatabase;
let cluster: NatsTestCluster;
let connection: NatsConnection;
let manager: JetStreamManager;
const running: Array<OutboxRelay | PartitionWorker> = [];

beforeAll(async () => {
  [database, cluster] = await Promise.all([createTestDatabase(), startNatsTestCluster({ size: 1 })]);
  await createRecordingTables(database.db, "guarded");
  connection = await connectToNats(natsConfig({}), "passage-test-admin");
  manager = await jetstreamManager(connection);
});
afterEach(async () => {
  for (const service of running.splice(0)) await service.stop();
  for await (const stream of manager.streams.list()) await manager.streams.delete(stream.config.name);
});
afterAll(async () => {
  await connection?.close();
  await cluster?.stop();
  await database?.drop();
});

function natsConfig(overrides: Partial<NatsConfig>): NatsConfig {
  return NatsConfigSchema.parse({ servers: cluster.servers, replicas: 1, partitions: 2, ...overrides });
}

const warnings: string[] = [];
const logger = { info: () => undefined, warn: (_: unknown, message: string) => warnings.push(message) };

async function relay(nats: NatsConfig): Promise<OutboxRelay> {
  const started = await startOutboxRelay({
    db: database.db,
    pool: database.pool,
    nats,
    logger,
    fallbackPollMs: 200,
  });
  running.push(started);
  return started;
}

async function worker(
  nats: NatsConfig,
  options: { fallbackPollMs?: number; startupTimeoutMs?: number } = {},
) {
  const started = await startPartitionWorker({
    db: database.db,
    nats,
    partition: { index: 0, count: 2 },
    handlers: [recordingHandler({ name: "guarded", prefix: "guarded" })],
    logger,
    ...options,
  });
  running.push(started);
  return started;
}

// A wait, not a timing target: under a loaded CI machine (two cores shared with the rest of the
// suite) NATS answers and the relay's retries took more than 15 s (25 Nov, 855 s suite).
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("Passage's streams", () => {
  it("are marked as Passage's, so an existing one is told from another application's", async () => {
    const nats = natsConfig({});
    await relay(nats);
    for (const name of ["PASSAGE_EVENTS", "PASSAGE_EVENTS_FEEDS"]) {
      expect((await manager.streams.info(name)).config.description).toMatch(
        new RegExp(`^${PASSAGE_STREAM_MARK.replace(/[[\]]/g, "\\$&")}`),
      );
    }
  });

  it("never changes another application's stream of the configured name, and changes nothing at all", async () => {
    await manager.streams.add({ name: "RVFOREIGN", subjects: ["other.app.>"] });
    await expect(relay(natsConfig({ stream: "RVFOREIGN" }))).rejects.toMatchObject({
      code: "PASSAGE_ERR_SCALE_OUT_STREAM_FOREIGN",
      message: expect.stringMatching(
        /RVFOREIGN exists but was not created by Passage .*other\.app\.>.*PASSAGE_NATS_STREAM/,
      ),
    });
    expect((await manager.streams.info("RVFOREIGN")).config.subjects).toEqual(["other.app.>"]);
    // The feed stream was checked before anything was made: nothing was created.
    await expect(manager.streams.info("RVFOREIGN_FEEDS")).rejects.toThrow(/stream not found/);
  });

  it("names the stream that already takes its subjects", async () => {
    await relay(natsConfig({}));
    await running.pop()!.stop();
    await expect(relay(natsConfig({ stream: "OTHER" }))).rejects.toMatchObject({
      code: "PASSAGE_ERR_SCALE_OUT_STREAM_SUBJECTS_OVERLAP",
      message: expect.stringMatching(
        /stream OTHER cannot take subjects .*stream PASSAGE_EVENTS already takes/,
      ),
    });
    await expect(manager.streams.info("OTHER")).rejects.toThrow(/stream not found/);
    await expect(manager.streams.info("OTHER_FEEDS")).rejects.toThrow(/stream not found/);
  });

  it("refuses a stream whose settings would lose signals or durability, naming each difference", async () => {
    await manager.streams.add({
      name: "PASSAGE_EVENTS",
      subjects: ["passage.events.>"],
      storage: StorageType.Memory,
      max_msgs: 5,
      discard: DiscardPolicy.New,
    });
    await expect(relay(natsConfig({}))).rejects.toMatchObject({
      code: "PASSAGE_ERR_SCALE_OUT_STREAM_INCOMPATIBLE",
      message: expect.stringMatching(
        /PASSAGE_EVENTS has settings .*storage is "memory".*discard is "new".*max_msgs is 5/,
      ),
    });
    expect((await manager.streams.info("PASSAGE_EVENTS")).config.max_msgs).toBe(5);
  });

  it("updates the limits of its own stream when that is safe", async () => {
    await manager.streams.add({
      name: "PASSAGE_EVENTS",
      subjects: ["passage.events.>"],
      max_msgs: 5,
      discard: DiscardPolicy.New,
    });
    await relay(natsConfig({}));
    const { config } = await manager.streams.info("PASSAGE_EVENTS");
    expect(config).toMatchObject({ max_msgs: -1, discard: DiscardPolicy.Old, storage: StorageType.File });
    expect(config.description).toContain(PASSAGE_STREAM_MARK);
  });
});

describe("a stream deleted while the relay and workers run", () => {
  it("is created again by the relay, which says so instead of 'jetstream is not enabled'", async () => {
    const published = await relay(natsConfig({}));
    await manager.streams.delete("PASSAGE_EVENTS");
    warnings.length = 0;
    await appendTestEvents(database.db, 20);
    await eventually(
      async () => (await published.eventsBehind()) === 0,
      "the relay to publish into a recreated stream",
    );
    expect(warnings).toContain("stream was missing (deleted?); created it again");
    expect((await manager.streams.info("PASSAGE_EVENTS")).state.messages).toBeGreaterThanOrEqual(20);
  });

  it("has the worker re-create its consumer, so signals reach it again", async () => {
    const nats = natsConfig({});
    await relay(nats);
    const started = await worker(nats, { fallbackPollMs: 1_000 });
    warnings.length = 0;
    await manager.streams.delete("PASSAGE_EVENTS");
    await eventually(
      async () =>
        (await manager.consumers.info("PASSAGE_EVENTS", started.durableName).catch(() => undefined)) !==
        undefined,
      "the worker to re-create its consumer",
    );
    expect(warnings).toContain("re-created the missing JetStream consumer");
    const before = started.status().signalsReceived;
    await appendTestEvents(database.db, 20);
    await eventually(
      async () => started.status().signalsReceived > before,
      "a signal through the new consumer",
    );
  });

  it("has the worker re-create a consumer deleted on its own", async () => {
    const nats = natsConfig({});
    await relay(nats);
    const started = await worker(nats, { fallbackPollMs: 1_000 });
    warnings.length = 0;
    await manager.consumers.delete("PASSAGE_EVENTS", started.durableName);
    await eventually(
      async () =>
        (await manager.consumers.info("PASSAGE_EVENTS", started.durableName).catch(() => undefined)) !==
        undefined,
      "the worker to re-create its consumer",
    );
    const before = started.status().signalsReceived;
    await appendTestEvents(database.db, 20);
    await eventually(
      async () => started.status().signalsReceived > before,
      "a signal through the new consumer",
    );
  });
});

describe("worker consumers", () => {
  it("are removed by JetStream after an hour without a worker (inactive threshold)", async () => {
    const started = await worker(natsConfig({}));
    const info = await manager.consumers.info("PASSAGE_EVENTS", started.durableName);
    expect(info.config.inactive_threshold).toBe(60 * 60 * 1_000_000_000);
  });

  it("gives a consumer made by an older version (no threshold) the inactive threshold", async () => {
    const nats = natsConfig({});
    await relay(nats);
    await manager.consumers.add("PASSAGE_EVENTS", {
      durable_name: "worker-guarded-0-of-2",
      filter_subject: "passage.events.0",
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
    });
    const started = await worker(nats);
    const info = await manager.consumers.info("PASSAGE_EVENTS", started.durableName);
    expect(info.config.inactive_threshold).toBe(60 * 60 * 1_000_000_000);
  });
});
