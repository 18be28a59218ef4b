import { spawn } from "node:child_process";
import path from "node:path";
import { getConsumerOffset } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendTestEvents } from "../../../engine/src/consumers/testing/recording-handler.ts";
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

describe("passage relay", () => {
  it("publishes the outbox until SIGTERM, then stops cleanly with one JSON document", async () => {
    const positions = await appendTestEvents(database.db, 120);
    const child = spawn(process.execPath, [PASSAGE, "relay", "--json"], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PASSAGE_NATS_SERVERS: nats.servers.join(","),
        PASSAGE_NATS_REPLICAS: "1",
        PASSAGE_NATS_PARTITIONS: "4",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while ((await getConsumerOffset(database.db, "relay:PASSAGE_EVENTS")) !== positions.at(-1)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`relay did not publish: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    const document = JSON.parse(stdout);
    expect(document).toMatchObject({
      stoppedBy: "SIGTERM",
      consumer: "relay:PASSAGE_EVENTS",
      published: positions.length,
      offset: positions.at(-1),
      lastError: null,
    });
    expect(stderr).toContain("publishing the outbox to stream PASSAGE_EVENTS (4 partitions, 1 replicas)");
  });
});
