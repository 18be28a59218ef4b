import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { FEEDS } from "@passage/core";
import { afterAll, describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";
import { PASSAGE_BIN } from "../testing/run-passage.ts";

/**
 * `passage start` stopped part-way through loading the demo (Ctrl-C, kill -9): the signal stops it
 * cleanly with the one-line error, and the next start finishes the load instead of serving the
 * few feeds it found as a whole demo (no persons, no statuses).
 */

const bed = useCliTestBed("start-interrupted");
const PERSONS = "1500";

interface Started {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function start(): Started {
  const child = spawn(
    process.execPath,
    [PASSAGE_BIN, "start", "--persons", PERSONS, "--port", "0", "--departure-rate", "0"],
    {
      cwd: bed.directory,
      env: { ...process.env, DATABASE_URL: bed.database.url },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function count(sql: string): Promise<number> {
  const { rows } = await bed.database.pool.query<{ count: number }>(sql);
  return rows[0]!.count;
}

const feedsIngested = () => count("SELECT count(DISTINCT feed)::int AS count FROM ingest_batch");
const persons = () => count("SELECT count(*)::int AS count FROM person");
const statuses = () => count("SELECT count(*)::int AS count FROM person_status");

describe("passage start, interrupted while it loads the demo", () => {
  it("stops at SIGINT with the one-line error, keeping what was committed", async () => {
    // Ctrl-C once the first feed is in: a clean stop, non-zero, one `error CODE:` line.
    const first = start();
    await until(async () => (await feedsIngested()) >= 1, "the first feed");
    first.child.kill("SIGINT");
    const stopped = await first.exited;
    expect(stopped.signal).toBeNull();
    expect(stopped.code).not.toBe(0);
    expect(first.stderr().trimEnd().split("\n").at(-1)).toMatch(
      /^error PASSAGE_ERR_CLI_INTERRUPTED: interrupted by SIGINT/,
    );
    expect(first.stdout()).not.toContain("Passage demo:");
    expect(await feedsIngested()).toBeLessThan(FEEDS.length);
    expect(await persons()).toBe(0);
  }, 300_000);

  it("is finished by the next start (also one killed -9 on its way), then reused", async () => {
    // What the first test left, or a load killed -9 once a feed is in when run alone.
    if ((await feedsIngested()) === 0) {
      const killed = start();
      await until(async () => (await feedsIngested()) >= 1, "the first feed");
      killed.child.kill("SIGKILL");
      await killed.exited;
    }
    expect(await persons()).toBe(0);

    // The next start sees the load unfinished and goes on with it; killed -9 on its way.
    const second = start();
    await until(
      () => /finishing the interrupted load|using the records already in/.test(second.stderr()),
      "the second start to look at the database",
    );
    expect(second.stderr()).toContain(`finishing the interrupted load of ${PERSONS} persons`);
    second.child.kill("SIGKILL");
    await second.exited;

    // And the one after that finishes it: every feed, persons, statuses, then serves.
    const third = start();
    await until(() => third.stdout().includes("Passage demo:"), "the demo served");
    expect(third.stderr()).toContain("finishing the interrupted load");
    expect(third.stderr()).not.toContain("using the records already in");
    third.child.kill("SIGINT");
    expect((await third.exited).code).toBe(0);
    const record = JSON.parse(
      fs.readFileSync(path.join(bed.directory, ".passage", "demo-population", "demo-load.json"), "utf8"),
    );
    expect(record).toMatchObject({ persons: Number(PERSONS), complete: true });
    expect(await feedsIngested()).toBe(record.feedFiles.length);
    expect(await persons()).toBeGreaterThan(0);
    expect(await statuses()).toBe(await persons());
    expect(await count("SELECT count(*)::int AS count FROM worklist_entry")).toBeGreaterThan(0);
    expect(await count("SELECT count(*)::int AS count FROM case_assignment")).toBeGreaterThan(0);

    // A whole load is reused as it is.
    const fourth = start();
    await until(() => fourth.stdout().includes("Passage demo:"), "the demo served again");
    expect(fourth.stderr()).toContain("using the records already in");
    fourth.child.kill("SIGTERM");
    expect((await fourth.exited).code).toBe(0);
  }, 600_000);
});
