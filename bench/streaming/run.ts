// Streaming benchmark (issue 4): events/s and end-to-end latency (outbox commit -> handler's
// commit) through the in-process ConsumerRunner, and through `passage relay` + 2 partition
// workers over a 3-node JetStream cluster of Debian's nats-server on loopback. The latency runs
// use a recording handler with applyBatch (one set-based INSERT per batch).
// Writes bench/results/streaming.json.
// Usage: npx tsx bench/streaming/run.ts [--events N] [--rate EVENTS_PER_SECOND] [--seconds S]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { appendOutboxEvents, openStore, type Store } from "@passage/store";
import { createConsumerRunner } from "../../packages/engine/src/consumers/consumer-runner.ts";
import { ALL_EVENT_TYPES, type EventHandler } from "../../packages/engine/src/consumers/event-handler.ts";
import {
  createRecordingTables,
  recordingHandler,
} from "../../packages/engine/src/consumers/testing/recording-handler.ts";
import { exited, spawnTypeScript } from "../../packages/engine/src/consumers/testing/spawn-typescript.ts";
import {
  connectToNats,
  decodeSignal,
  EVENT_SUBJECT_PREFIX,
} from "../../packages/engine/src/scale-out/event-stream.ts";
import { NatsConfigSchema } from "../../packages/engine/src/scale-out/nats-config.ts";
import { startNatsTestCluster } from "../../packages/engine/src/scale-out/testing/nats-test-cluster.ts";
import { positiveNumberOption } from "../command-line.ts";
import { percentileOf } from "../percentile.ts";

/** Backlog size for the throughput runs. */
const EVENTS = positiveNumberOption("events", 20_000);
/** Offered load for the latency runs (the goal is >= 2,000 events/s sustained). */
const RATE = positiveNumberOption("rate", 2_000);
const SECONDS = positiveNumberOption("seconds", 10);
/** Events per producer transaction in the latency runs: one commit every 10 ms at 2,000/s. */
const PER_TRANSACTION = Math.max(1, Math.round(RATE / 100));

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const CHILD = path.join(root, "packages/engine/src/scale-out/testing/scale-out-child.ts");

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
}

function percentiles(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) => percentileOf(sorted, fraction) ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, samples: sorted.length };
}

/** Appends `count` events as fast as one connection commits them; returns each position's commit time. */
async function appendBacklog(store: Store, count: number, commits: Map<string, number>): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    const size = Math.min(500, count - start);
    const events = Array.from({ length: size }, (_, index) => ({
      type: "BenchEvent",
      partitionKey: `person-${(start + index) % 9_973}`,
      payload: { index: start + index },
    }));
    const positions = await store.db
      .transaction()
      .execute((transaction) => appendOutboxEvents(transaction, events));
    const now = Date.now();
    for (const position of positions) commits.set(position, now);
  }
}

/** Offers RATE events/s for SECONDS seconds in small transactions; returns each position's commit time. */
async function appendAtRate(store: Store, commits: Map<string, number>): Promise<number> {
  const ticks = Math.round((SECONDS * RATE) / PER_TRANSACTION);
  const interval = (1000 * PER_TRANSACTION) / RATE;
  const started = Date.now();
  for (let tick = 0; tick < ticks; tick++) {
    const events = Array.from({ length: PER_TRANSACTION }, (_, index) => ({
      type: "BenchEvent",
      partitionKey: `person-${(tick * PER_TRANSACTION + index) % 9_973}`,
      payload: { tick, index },
    }));
    const positions = await store.db
      .transaction()
      .execute((transaction) => appendOutboxEvents(transaction, events));
    const now = Date.now();
    for (const position of positions) commits.set(position, now);
    const wait = started + (tick + 1) * interval - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return (ticks * PER_TRANSACTION) / ((Date.now() - started) / 1000);
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Events/s of one catch-up over the whole backlog by a fresh consumer with this handler. */
async function backlogRate(store: Store, handler: EventHandler): Promise<number> {
  const runner = createConsumerRunner({ db: store.db, pool: store.pool, handlers: [handler] });
  const started = performance.now();
  const report = await runner.catchUp();
  return Math.round(report.applied / ((performance.now() - started) / 1000));
}

async function inProcess(store: Store) {
  await createRecordingTables(store.db, "bench_each");
  await createRecordingTables(store.db, "bench_local");
  await appendBacklog(store, EVENTS, new Map());
  const backlog = {
    // The framework's own ceiling: reads, offsets and commits only.
    emptyHandler: await backlogRate(store, {
      name: "bench-empty",
      eventTypes: ALL_EVENT_TYPES,
      apply: async () => undefined,
    }),
    // One INSERT round trip per event.
    perEventHandler: await backlogRate(store, recordingHandler({ name: "bench-each", prefix: "bench_each" })),
    // One set-based INSERT per batch (applyBatch).
    batchHandler: await backlogRate(
      store,
      recordingHandler({ name: "bench-local", prefix: "bench_local", batched: true }),
    ),
  };
  console.error(
    `in-process backlog of ${EVENTS}: ${backlog.emptyHandler} events/s (empty handler), ` +
      `${backlog.perEventHandler} (INSERT per event), ${backlog.batchHandler} (applyBatch)`,
  );

  const applied = new Map<string, number>();
  const runner = createConsumerRunner({
    db: store.db,
    pool: store.pool,
    handlers: [recordingHandler({ name: "bench-local", prefix: "bench_local", batched: true })],
    onBatch: (report) => {
      for (const event of report.events) applied.set(event.position, report.committedAt);
    },
  });
  await runner.start();
  const commits = new Map<string, number>();
  const offered = await appendAtRate(store, commits);
  await waitUntil(() => [...commits.keys()].every((position) => applied.has(position)), "in-process apply");
  await runner.stop();
  const latency = percentiles(
    [...commits].map(([position, committed]) => applied.get(position)! - committed),
  );
  console.error(
    `in-process: ${offered.toFixed(0)} events/s offered; latency p50 ${latency.p50} ms, p99 ${latency.p99} ms`,
  );
  return {
    backlogEventsPerSecond: backlog,
    offeredEventsPerSecond: Math.round(offered),
    latencyMs: latency,
  };
}

async function relayAndWorkers(store: Store) {
  const cluster = await startNatsTestCluster({ size: 3 });
  const children: Array<{ stop(): Promise<void> }> = [];
  try {
    await createRecordingTables(store.db, "bench_remote");
    const applied = new Map<string, number>();
    const nats = { servers: cluster.servers, replicas: 3, partitions: 2, stream: "PASSAGE_BENCH" };
    const start = async (role: "relay" | "worker", partition?: string) => {
      let ready!: () => void;
      const started = new Promise<void>((resolve) => {
        ready = resolve;
      });
      const settings = {
        databaseUrl: store.url,
        nats,
        prefix: "bench_remote",
        handlerName: "bench-remote",
        batched: true,
        partition,
        reportApplied: true,
      };
      const child = spawnTypeScript(CHILD, [role, JSON.stringify(settings)], {
        onLine: (line) => {
          if (line === "started") ready();
          else if (line.startsWith("applied ")) {
            const [, position, committedAt] = line.split(" ");
            applied.set(position!, Number(committedAt));
          }
        },
      });
      const exit = exited(child);
      await Promise.race([
        started,
        exit.then((code) => Promise.reject(new Error(`${role} exited: ${code}`))),
      ]);
      children.push({
        async stop() {
          child.kill("SIGTERM");
          await exit;
        },
      });
    };
    await start("relay");
    await Promise.all([start("worker", "0/2"), start("worker", "1/2")]);
    // A plain subscriber on the stream's subjects splits the latency: commit -> signal on the bus.
    const published = new Map<string, number>();
    const tap = await connectToNats(NatsConfigSchema.parse(nats), "passage-bench-tap");
    tap.subscribe(`${EVENT_SUBJECT_PREFIX}.>`, {
      callback: (_error, message) => {
        const signal = decodeSignal(message.string());
        if (signal && !published.has(signal.position)) published.set(signal.position, Date.now());
      },
    });

    const backlogCommits = new Map<string, number>();
    const started = performance.now();
    await appendBacklog(store, EVENTS, backlogCommits);
    await waitUntil(
      () => [...backlogCommits.keys()].every((position) => applied.has(position)),
      "relay+worker backlog",
    );
    const eventsPerSecond = EVENTS / ((performance.now() - started) / 1000);
    console.error(
      `relay+workers: ${EVENTS} events committed and applied at ${eventsPerSecond.toFixed(0)} events/s`,
    );

    const commits = new Map<string, number>();
    const offered = await appendAtRate(store, commits);
    await waitUntil(
      () => [...commits.keys()].every((position) => applied.has(position)),
      "relay+worker apply",
    );
    const latency = percentiles(
      [...commits].map(([position, committed]) => applied.get(position)! - committed),
    );
    const relayLatency = percentiles(
      [...commits]
        .filter(([position]) => published.has(position))
        .map(([position, committed]) => published.get(position)! - committed),
    );
    await tap.close();
    console.error(
      `relay+workers: ${offered.toFixed(0)} events/s offered; latency p50 ${latency.p50} ms, p99 ${latency.p99} ms ` +
        `(commit -> signal on the bus: p50 ${relayLatency.p50} ms, p99 ${relayLatency.p99} ms)`,
    );
    return {
      eventsPerSecond: Math.round(eventsPerSecond),
      offeredEventsPerSecond: Math.round(offered),
      latencyMs: latency,
      commitToSignalLatencyMs: relayLatency,
    };
  } finally {
    for (const child of children.reverse()) await child.stop();
    await cluster.stop();
  }
}

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-bench-streaming-"));
fs.chmodSync(directory, 0o755);
const store = await openStore({
  dataDir: path.join(directory, "data"),
  databaseUrl: process.env.DATABASE_URL,
});
try {
  const local = await inProcess(store);
  const remote = await relayAndWorkers(store);
  const result = {
    benchmark: "streaming",
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, load: os.loadavg() },
    settings: {
      backlogEvents: EVENTS,
      offeredRate: RATE,
      seconds: SECONDS,
      eventsPerTransaction: PER_TRANSACTION,
    },
    latencyMeaning: "ms from the producer's outbox commit to the commit of the handler's batch",
    inProcess: local,
    relayAndTwoWorkers: { natsNodes: 3, replicas: 3, partitions: 2, ...remote },
  };
  fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
  fs.writeFileSync(path.join(root, "bench/results/streaming.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await store.close();
  fs.rmSync(directory, { recursive: true, force: true });
}
