import { spawn } from "node:child_process";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markLayoutAlive } from "../../../engine/src/consumers/partition-layout-guard.ts";
import {
  type NatsTestCluster,
  startNatsTestCluster,
} from "../../../engine/src/scale-out/testing/nats-test-cluster.ts";

const PASSAGE = path.resolve(import.meta.dirname, "../../bin/passage.js");

let database: TestDatabase;
let nats: NatsTestCluster;
beforeAll(async () => {
  [database, nats] = await Promise.all([createTestDatabase(), startNatsTestCluster({ size: 1 })]);
});
afterAll(async () => {
  await nats?.stop();
  await database?.drop();
});

/** Runs `passage relay` with PASSAGE_NATS_PARTITIONS; `whileRunning` acts once it has started. */
async function runRelay(partitions: number, whileRunning?: () => Promise<void>) {
  const child = spawn(process.execPath, [PASSAGE, "relay"], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PASSAGE_NATS_SERVERS: nats.servers.join(","),
      PASSAGE_NATS_REPLICAS: "1",
      PASSAGE_NATS_PARTITIONS: String(partitions),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    if (whileRunning && stderr.includes("relay: publishing the outbox")) {
      void whileRunning();
      whileRunning = undefined;
    }
  });
  // A relay that goes on publishing is killed, so the test fails instead of leaving it running.
  const deadline = setTimeout(() => child.kill("SIGKILL"), 45_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(deadline);
  return { code, errorLines: stderr.split("\n").filter((line) => line.startsWith("error ")) };
}

/** Workers of two partitions marked running, as `passage worker --partition I/2` marks them. */
async function workersOfTwoPartitionsRun(): Promise<void> {
  await database.pool.query(`INSERT INTO consumer_layout (handler, partitions) VALUES ('lifecycle', 2)
    ON CONFLICT (handler) DO UPDATE SET partitions = 2`);
  await markLayoutAlive(database.db, ["lifecycle#0/2", "lifecycle#1/2"]);
}

describe("passage relay with another PASSAGE_NATS_PARTITIONS than the running workers", () => {
  it("refuses to start: one coded line naming both counts and the setting, exit 4", async () => {
    await workersOfTwoPartitionsRun();
    const run = await runRelay(4);
    expect(run.code).toBe(4);
    expect(run.errorLines).toEqual([
      expect.stringMatching(
        /^error PASSAGE_ERR_SCALE_OUT_RELAY_PARTITIONS_MISMATCH: relay does not start: its PASSAGE_NATS_PARTITIONS is 4 but running workers read 2 partitions .*Set PASSAGE_NATS_PARTITIONS=2 for the relay/,
      ),
    ]);
    await markLayoutAlive(database.db, ["lifecycle#0/2", "lifecycle#1/2"], false);
  }, 60_000);

  it("stops with that error (exit 4) when such workers start while it runs", async () => {
    const run = await runRelay(4, workersOfTwoPartitionsRun);
    expect(run.code).toBe(4);
    expect(run.errorLines).toEqual([
      expect.stringMatching(
        /^error PASSAGE_ERR_SCALE_OUT_RELAY_PARTITIONS_MISMATCH: relay stopped: its PASSAGE_NATS_PARTITIONS is 4/,
      ),
    ]);
  }, 90_000);
});
