import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsumerLogger } from "../consumers/consumer-logger.ts";
import { createRecordingTables, recordingHandler } from "../consumers/testing/recording-handler.ts";
import { NatsConfigSchema } from "./nats-config.ts";
import { startOutboxRelay } from "./outbox-relay.ts";
import { startPartitionWorker } from "./partition-worker.ts";
import { type NatsTestCluster, startNatsTestCluster } from "./testing/nats-test-cluster.ts";

// A configuration that can never work fails at once, saying what to change: no 30 s of retries
// (the default start-up wait) before an error that reads like a missing leader.
let database: TestDatabase;
let single: NatsTestCluster;
let withoutJetStream: NatsTestCluster;
beforeAll(async () => {
  [database, single, withoutJetStream] = await Promise.all([
    createTestDatabase(),
    startNatsTestCluster({ size: 1 }),
    startNatsTestCluster({ size: 1, jetstream: false }),
  ]);
  await createRecordingTables(database.db, "misconfigured");
});
afterAll(async () => {
  await single?.stop();
  await withoutJetStream?.stop();
  await database?.drop();
});

/** The start-up warnings a relay or worker logged: a retry says "JetStream unavailable; retrying". */
const warnings: string[] = [];
const logger: ConsumerLogger = { info: () => undefined, warn: (_details, message) => warnings.push(message) };

const relay = (servers: readonly string[], replicas: number) =>
  startOutboxRelay({
    db: database.db,
    pool: database.pool,
    nats: NatsConfigSchema.parse({ servers, replicas, partitions: 2 }),
    logger,
  });
const worker = (servers: readonly string[], replicas: number) =>
  startPartitionWorker({
    db: database.db,
    nats: NatsConfigSchema.parse({ servers, replicas, partitions: 2 }),
    partition: { index: 0, count: 2 },
    handlers: [recordingHandler({ name: "misconfigured", prefix: "misconfigured" })],
    logger,
  });

/** Starts it and returns its error, checking it was not retried as a passing unavailability. */
async function failsAtOnce(starting: () => Promise<{ stop(): Promise<void> }>) {
  warnings.length = 0;
  const outcome = await starting().then(
    async (service) => {
      await service.stop();
      return new Error("started");
    },
    (error: unknown) => error,
  );
  expect(warnings.filter((message) => message.includes("retrying"))).toEqual([]);
  return outcome;
}

describe("PASSAGE_NATS_REPLICAS above 1 on a single NATS server", () => {
  for (const [who, start] of [
    ["relay", relay],
    ["worker", worker],
  ] as const) {
    it(`fails the ${who} at once (exit 2), naming PASSAGE_NATS_REPLICAS and suggesting 1`, async () => {
      const error = await failsAtOnce(() => start(single.servers, 3));
      expect(error).toMatchObject({
        code: "PASSAGE_ERR_SCALE_OUT_REPLICAS_UNSUPPORTED",
        kind: "invalid_input",
        message: expect.stringMatching(
          /stream PASSAGE_EVENTS cannot have 3 replicas: the NATS server is not clustered .*PASSAGE_NATS_REPLICAS=1 for a single server/,
        ),
      });
    }, 20_000);
  }

  it("starts with PASSAGE_NATS_REPLICAS=1", async () => {
    const started = await relay(single.servers, 1);
    await started.stop();
  }, 20_000);
});

describe("a NATS server without JetStream", () => {
  for (const [who, start] of [
    ["relay", relay],
    ["worker", worker],
  ] as const) {
    it(`fails the ${who} at once saying JetStream is not enabled, not that a leader is missing`, async () => {
      const error = await failsAtOnce(() => start(withoutJetStream.servers, 1));
      expect(error).toMatchObject({
        code: "PASSAGE_ERR_SCALE_OUT_JETSTREAM_NOT_ENABLED",
        kind: "unavailable",
        message: expect.stringMatching(
          /^JetStream is not enabled on the NATS servers at nats:\/\/127\.0\.0\.1:\d+ .*-js/,
        ),
      });
      expect((error as Error).message).not.toMatch(/leader/);
    }, 20_000);
  }
});
