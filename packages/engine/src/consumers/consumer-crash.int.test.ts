import path from "node:path";
import { latestOutboxPosition } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendTestEvents, createRecordingTables, readRecording } from "./testing/recording-handler.ts";
import { exited, spawnTypeScript } from "./testing/spawn-typescript.ts";

const CHILD = path.join(import.meta.dirname, "testing", "crash-consumer-child.ts");
/** Kills per run: a few in the normal suite, many under `npm run soak`. */
const KILLS = process.env.PASSAGE_SOAK === "1" ? 40 : 3;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await createRecordingTables(database.db, "crash");
});
afterAll(async () => {
  await database.drop();
});

/** Starts the consumer child and resolves once its runner has started. */
async function startChild(mode: "run" | "finish") {
  let started!: () => void;
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  const child = spawnTypeScript(CHILD, [database.url, mode], {
    onLine: (line) => {
      if (line === "started" || line.startsWith("finished")) started();
    },
  });
  const exit = exited(child);
  await Promise.race([ready, exit.then((code) => Promise.reject(new Error(`child exited early: ${code}`)))]);
  return { child, exit };
}

/** Resolves once the recording holds at least one applied event (polled; the child is running). */
async function appliedSomething(): Promise<void> {
  while ((await readRecording(database.db, "crash")).applied.size === 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("in-process consumer under kill -9", () => {
  it("applies every event's effect exactly once across crashes at random points", async () => {
    const positions = await appendTestEvents(database.db, 1_500, { perTransaction: 50 });
    const appliedBeforeEachKill: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      // More events arrive while consumers crash and restart.
      const appending = appendTestEvents(database.db, 100, {
        firstIndex: 100_000 + kill * 100,
        perTransaction: 7,
      });
      const { child, exit } = await startChild("run");
      await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 300));
      // On a loaded machine a child can be killed before it applies anything in every run; the
      // last one lives until it has applied something, so the trial always crashes mid-work.
      if (kill === KILLS - 1) {
        await Promise.race([
          appliedSomething(),
          exit.then((code) => Promise.reject(new Error(`child exited before applying anything: ${code}`))),
        ]);
      }
      child.kill("SIGKILL");
      expect(await exit).toBe("SIGKILL");
      positions.push(...(await appending));
      appliedBeforeEachKill.push((await readRecording(database.db, "crash")).applied.size);
    }
    const beforeFinish = await readRecording(database.db, "crash");
    // The kills must have landed while work remained, or this test would prove nothing.
    expect(beforeFinish.applied.size).toBeLessThan(positions.length);
    expect(appliedBeforeEachKill.at(-1)).toBeGreaterThan(0);

    const { exit } = await startChild("finish");
    expect(await exit).toBe(0);
    const recording = await readRecording(database.db, "crash");
    expect(recording.duplicates).toBe(0);
    expect(recording.applied.size).toBe(positions.length);
    for (const position of positions) expect(recording.applied.has(position)).toBe(true);
    expect(await latestOutboxPosition(database.db)).toBe(positions.at(-1));
  });
});
