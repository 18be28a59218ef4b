import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { getConsumerOffset, latestOutboxPosition, outboxBacklog } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  appendTestEvents,
  createRecordingTables,
  readRecording,
  recordingHandler,
} from "../consumers/testing/recording-handler.ts";
import { exited, spawnTypeScript } from "../consumers/testing/spawn-typescript.ts";
import { connectToNats, encodeSignal, eventSubjectOf } from "./event-stream.ts";
import { type NatsConfig, NatsConfigSchema } from "./nats-config.ts";
import { relayConsumerName } from "./outbox-relay.ts";
import { startPartitionWorker } from "./partition-worker.ts";
import { type NatsTestCluster, startNatsTestCluster } from "./testing/nats-test-cluster.ts";

const CHILD = path.join(import.meta.dirname, "testing", "scale-out-child.ts");
const EVENTS = process.env.PASSAGE_SOAK === "1" ? 20_000 : 3_000;

let database: TestDatabase;
let cluster: NatsTestCluster;
const children: ChildProcess[] = [];

beforeAll(async () => {
  [database, cluster] = await Promise.all([createTestDatabase(), startNatsTestCluster({ size: 3 })]);
});
// A test that fails part way leaves its relay and workers running: they must not act in the next.
afterEach(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
afterAll(async () => {
  await cluster?.stop();
  await database?.drop();
});

function natsConfig(overrides: Partial<NatsConfig>): NatsConfig {
  return NatsConfigSchema.parse({ servers: cluster.servers, replicas: 3, partitions: 2, ...overrides });
}

/** Starts a relay or worker process; resolves once it prints "started". */
async function startChild(role: "relay" | "worker", settings: Record<string, unknown>) {
  let status: unknown;
  let started!: () => void;
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  const child = spawnTypeScript(CHILD, [role, JSON.stringify({ databaseUrl: database.url, ...settings })], {
    onLine: (line) => {
      if (line === "started") started();
      if (line.startsWith("status ")) status = JSON.parse(line.slice(7));
    },
  });
  children.push(child);
  const exit = exited(child);
  await Promise.race([
    ready,
    exit.then((code) => Promise.reject(new Error(`${role} exited early: ${code}`))),
  ]);
  return {
    async stop() {
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
      return status as { signalsReceived?: number; published?: number };
    },
  };
}

/** Streams may not share subjects: a test removes the previous test's stream first. */
async function deleteStream(nats: NatsConfig, stream: string): Promise<void> {
  const connection = await connectToNats(nats, "passage-test-cleanup");
  try {
    await (await jetstreamManager(connection)).streams.delete(stream).catch(() => undefined);
  } finally {
    await connection.close();
  }
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("NATS JetStream scale-out on a 3-node cluster", () => {
  it("loses and doubles no event end to end while a NATS node is killed mid-stream and restarted", async () => {
    await createRecordingTables(database.db, "scale");
    const nats = natsConfig({ stream: "PASSAGE_E2E" });
    const relay = await startChild("relay", { nats, prefix: "scale" });
    // The workers' outbox poll is far beyond this test, so every event must arrive through NATS.
    const workerSettings = { nats, prefix: "scale", fallbackPollMs: 600_000 };
    const workers = await Promise.all([
      startChild("worker", { ...workerSettings, partition: "0/2" }),
      startChild("worker", { ...workerSettings, partition: "1/2" }),
    ]);

    const positions: string[] = [];
    const chunk = EVENTS / 10;
    for (let part = 0; part < 10; part++) {
      positions.push(
        ...(await appendTestEvents(database.db, chunk, { perTransaction: 25, firstIndex: part * chunk })),
      );
      if (part === 3) await cluster.killNode(0);
      if (part === 7) await cluster.restartNode(0);
    }
    const head = positions.at(-1)!;
    await waitFor(
      async () => (await readRecording(database.db, "scale")).applied.size >= positions.length,
      `${positions.length} events to be applied by the workers`,
      120_000,
    );

    const recording = await readRecording(database.db, "scale");
    expect(recording.duplicates).toBe(0);
    expect(recording.applied.size).toBe(positions.length);
    for (const position of positions) expect(recording.applied.has(position)).toBe(true);
    for (const index of [0, 1]) {
      // A partition's offset stops at its own last signal, so it is caught up when nothing of it is left.
      const offset = await getConsumerOffset(database.db, `scale#${index}/2`);
      expect((await outboxBacklog(database.db, offset, { partition: { index, count: 2 } })).events).toBe(0);
    }
    expect(await getConsumerOffset(database.db, relayConsumerName("PASSAGE_E2E"))).toBe(head);

    // The replicated stream holds exactly one signal per event: none lost, republished ones dropped.
    const connection = await connectToNats(nats, "passage-test-inspector");
    try {
      const info = await (await jetstreamManager(connection)).streams.info("PASSAGE_E2E");
      expect(info.state.messages).toBe(positions.length);
      expect(info.config.num_replicas).toBe(3);
    } finally {
      await connection.close();
    }

    const statuses = await Promise.all(workers.map((worker) => worker.stop()));
    for (const status of statuses) expect(status.signalsReceived).toBeGreaterThan(0);
    expect((await relay.stop()).published).toBeGreaterThan(0);
  });

  it("treats a signal as 'events up to p exist': a lost signal loses nothing, a repeated one doubles nothing", async () => {
    await createRecordingTables(database.db, "signal");
    const nats = natsConfig({ stream: "PASSAGE_SIGNALS", partitions: 1 });
    await deleteStream(nats, "PASSAGE_E2E");
    const worker = await startPartitionWorker({
      db: database.db,
      nats,
      partition: { index: 0, count: 1 },
      handlers: [recordingHandler({ name: "signal", prefix: "signal" })],
      fallbackPollMs: 600_000,
    });
    try {
      // The worker caught up at start; only signals can bring it further now.
      await waitFor(
        async () =>
          (await getConsumerOffset(database.db, "signal")) === (await latestOutboxPosition(database.db)),
        "the start-up catch-up",
        20_000,
      );
      const positions = await appendTestEvents(database.db, 50, { firstIndex: 900_000 });
      const before = (await readRecording(database.db, "signal")).applied.size;
      const connection = await connectToNats(nats, "passage-test-publisher");
      const client = jetstream(connection);
      // Signals for every event but the last were "lost"; the one for the 30th arrives twice.
      const signal = (position: string) => encodeSignal({ position, type: "TestEvent", partitions: 1 });
      await client.publish(eventSubjectOf(0), signal(positions[29]!), { msgID: "lost-test-a" });
      await client.publish(eventSubjectOf(0), signal(positions[29]!), { msgID: "lost-test-b" });
      await waitFor(
        async () => (await getConsumerOffset(database.db, "signal")) === positions[29],
        "events up to the 30th",
        20_000,
      );
      expect((await readRecording(database.db, "signal")).applied.size).toBe(before + 30);
      await client.publish(eventSubjectOf(0), signal(positions.at(-1)!), { msgID: "lost-test-c" });
      await waitFor(
        async () => (await getConsumerOffset(database.db, "signal")) === positions.at(-1),
        "the remaining events",
        20_000,
      );
      await connection.close();
      const recording = await readRecording(database.db, "signal");
      expect(recording.duplicates).toBe(0);
      expect(recording.applied.size).toBe(before + 50);
      expect(worker.status().signalsAcknowledged).toBe(3);
    } finally {
      await worker.stop();
    }
  });
});
