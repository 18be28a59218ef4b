import { spawn } from "node:child_process";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** Runs `passage worker` until it exits by itself (or 60 s pass, then SIGTERM). */
async function runWorker(partition: string, partitions: number) {
  const child = spawn(
    process.execPath,
    [PASSAGE, "worker", "--partition", partition, "--handlers", "worklist"],
    {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PASSAGE_NATS_SERVERS: nats.servers.join(","),
        PASSAGE_NATS_REPLICAS: "1",
        PASSAGE_NATS_PARTITIONS: String(partitions),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGTERM"), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exit) => resolve(exit)));
  clearTimeout(timer);
  return { code, errors: stderr.split("\n").filter((line) => line.startsWith("error ")) };
}

describe("passage worker", () => {
  it("fails at once, with one error line, when its partition layout cannot take the handler over", async () => {
    // The worklist handler runs under 2 partitions whose offsets stand at different positions.
    await sql`INSERT INTO consumer_layout (handler, partitions) VALUES ('worklist', 2)`.execute(database.db);
    await sql`INSERT INTO consumer_offset (consumer, position)
      VALUES ('worklist#0/2', 5), ('worklist#1/2', 3)`.execute(database.db);
    const { code, errors } = await runWorker("0/4", 4);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_CONFLICT: consumer worklist#0\/4 cannot start: .*layout of 2 partitions.*worklist#0\/2 at 5, worklist#1\/2 at 3.*PASSAGE_NATS_PARTITIONS=2/,
    );
  });

  it("says a --partition count differs from the worker's own PASSAGE_NATS_PARTITIONS", async () => {
    const { code, errors } = await runWorker("0/3", 2);
    expect(code).not.toBe(0);
    expect(errors).toEqual([
      expect.stringMatching(
        /^error PASSAGE_ERR_SCALE_OUT_PARTITION_MISMATCH: --partition 0\/3 names 3 partitions but this worker's PASSAGE_NATS_PARTITIONS is 2/,
      ),
    ]);
    expect(errors[0]).not.toContain("the relay publishes");
  });
});
