import type { Store } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigOrThrow } from "../app/config.ts";
import { catchUpProjections, createProjectionRunner } from "./projection-runner.ts";
import {
  appendTestEvents,
  createRecordingTables,
  readRecording,
  recordingHandler,
} from "./testing/recording-handler.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const app = () => ({
  config: loadConfigOrThrow({ cwd: "/tmp/passage", env: { PASSAGE_NATS_PARTITIONS: "3" } }),
  store: database as unknown as Store,
});

describe("projection runner", () => {
  it("runs the registered handlers under the deployment's partition layout", async () => {
    await createRecordingTables(database.db, "projected");
    const positions = await appendTestEvents(database.db, 90);
    const runner = createProjectionRunner(app(), {
      registrations: [
        {
          name: "projected",
          description: "records what it applies",
          create: () => recordingHandler({ name: "projected", prefix: "projected" }),
        },
      ],
    });
    expect(runner.consumers).toEqual(["projected#0/3", "projected#1/3", "projected#2/3"]);
    expect(await runner.catchUp()).toEqual({ position: positions.at(-1), applied: 90 });
    const recording = await readRecording(database.db, "projected");
    expect(recording.applied.size).toBe(90);
    expect(recording.duplicates).toBe(0);
  });

  it("catches up with nothing registered yet, as reading commands do", async () => {
    const report = await catchUpProjections(app());
    expect(report.applied).toBe(0);
  });
});
