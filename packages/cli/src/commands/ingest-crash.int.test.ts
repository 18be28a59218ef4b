import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Crash safety of `passage ingest` (issue 2): kill -9 the ingest at random points and re-run it,
 * and kill -9 the embedded PostgreSQL under a running ingest. Afterwards: no duplicates, nothing
 * committed lost, no half-written batch. A few trials in the normal suite, 50 with PASSAGE_SOAK=1.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const passage = path.resolve(here, "../../../../node_modules/.bin/passage");
const TRIALS = process.env.PASSAGE_SOAK === "1" ? 50 : 3;
const ROWS = 3000;
const BATCH_SIZE = 125;
// Keys that appear twice with different content, far apart: the re-run must not version them again.
const REPEATED_EVERY = 500;
const REPEAT_DISTANCE = 1300;

let directory: string;
let file: string;
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-ingest-crash-"));
  fs.chmodSync(directory, 0o755);
  file = path.join(directory, "flight.csv");
  const lines = ["flight_id,date,origin_hub,destination_country,seats,cost"];
  for (let row = 0; row < ROWS; row++) {
    const repeatOf = row - REPEAT_DISTANCE;
    lines.push(
      repeatOf >= 0 && repeatOf % REPEATED_EVERY === 0
        ? `FL-${repeatOf},2024-01-01,AEX,GTM,${repeatOf + 1},999`
        : `FL-${row},2024-01-01,AEX,GTM,${row},100`,
    );
  }
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
});
afterAll(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/** Versions every key must end with: 2 for the repeated keys, 1 for the others. */
function expectedVersions(): Map<string, number> {
  const versions = new Map<string, number>();
  const text = fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(1);
  for (const line of text) {
    const key = line.split(",")[0]!;
    versions.set(key, (versions.get(key) ?? 0) + 1);
  }
  return versions;
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess & { done: Promise<Result> } {
  const child = spawn(passage, args, { cwd: directory, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<Result>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return Object.assign(child, { done });
}

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  return false;
}

async function committedBatches(client: pg.Client | pg.Pool): Promise<number> {
  const { rows } = await client.query<{ count: number }>(
    "SELECT count(*)::integer AS count FROM ingest_batch",
  );
  return rows[0]!.count;
}

/** Every committed batch is whole, and together the batches hold a prefix of the file, in order. */
async function expectWholeBatches(client: pg.Client | pg.Pool): Promise<Set<string>> {
  const { rows: batches } = await client.query<{ rows_received: number; stored: number; events: number }>(`
    SELECT b.rows_received,
           (SELECT count(*)::integer FROM source_record r WHERE r.batch_id = b.id) AS stored,
           (SELECT coalesce(sum((e.payload->>'records')::integer), 0)::integer FROM outbox_event e
            WHERE e.payload->>'batchId' = b.id::text) AS events
    FROM ingest_batch b`);
  for (const batch of batches) {
    expect(batch.stored).toBe(batch.rows_received);
    expect(batch.events).toBe(batch.stored);
  }
  const { rows } = await client.query<{ id: string; source_row: number }>(
    "SELECT id::text, source_row FROM source_record ORDER BY source_row",
  );
  expect(rows.map((row) => row.source_row)).toEqual(rows.map((_, index) => index + 2));
  return new Set(rows.map((row) => row.id));
}

async function expectComplete(client: pg.Client | pg.Pool, before: Set<string>): Promise<void> {
  const { rows } = await client.query<{ record_key: string; versions: number; ids: string[] }>(
    "SELECT record_key, count(*)::integer AS versions, array_agg(id::text) AS ids FROM source_record GROUP BY record_key",
  );
  const expected = expectedVersions();
  expect(rows).toHaveLength(expected.size);
  const stored = new Set<string>();
  for (const row of rows) {
    expect(row.versions, row.record_key).toBe(expected.get(row.record_key));
    for (const id of row.ids) stored.add(id);
  }
  for (const id of before) expect(stored.has(id)).toBe(true);
  // The outbox names every stored record once (a batch's events count their records).
  const { rows: events } = await client.query<{ count: number }>(
    "SELECT coalesce(sum((payload->>'records')::integer), 0)::integer AS count FROM outbox_event",
  );
  expect(events[0]!.count).toBe(stored.size);
}

describe("passage ingest under kill -9", () => {
  it(`keeps only whole committed batches and completes on a re-run (${TRIALS} trials)`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const database: TestDatabase = await createTestDatabase();
      try {
        const env = { ...process.env, DATABASE_URL: database.url };
        // A data directory of the trial's own: its audit checkpoint files belong to this database's
        // log (another trial's files bind another log, and the checkpointer refuses to sign under them).
        const dataDir = path.join(directory, `trial-${trial}`);
        const args = ["--data-dir", dataDir, "ingest", "flight", file, "--batch-size", String(BATCH_SIZE)];
        const target = 1 + Math.floor(Math.random() * (ROWS / BATCH_SIZE - 4));
        const child = start(args, env);
        await waitFor(
          async () => (await committedBatches(database.pool)) >= target || child.exitCode !== null,
          120_000,
        );
        child.kill("SIGKILL");
        const killed = await child.done;
        const before = await expectWholeBatches(database.pool);
        // The records stored before the kill have their audit entry: it was written first.
        const { rows: audited } = await database.pool.query<{ phase: string }>(
          `SELECT content::jsonb->'details'->>'phase' AS phase FROM audit_entry
            WHERE content::jsonb->>'action' = 'feed.ingest' AND content::jsonb->'details'->>'file' = $1`,
          [file],
        );
        // The kill can land in the instant after a run's last batch and its "finished" entry (a fast
        // host ingests the last batches between two polls): then every row is stored.
        const phases = audited.map((entry) => entry.phase);
        if (before.size > 0) expect(phases[0]).toBe("started");
        expect(phases.slice(1)).toEqual(phases.length > 1 ? ["finished"] : []);
        if (phases.includes("finished")) expect(before.size).toBe(ROWS);

        const rerun = await start(args, env).done;
        expect(rerun.code, rerun.stderr).toBe(0);
        const summary = rerun.stdout.trimEnd().split("\n").at(-1)!;
        const counts = Object.fromEntries(
          summary.split(" ").map((pair) => pair.split("=") as [string, string]),
        );
        expect(Number(counts.read)).toBe(ROWS);
        expect(Number(counts.rejected)).toBe(0);
        // Rows of batches committed before the kill are found stored; the rest are written now.
        expect(Number(counts.unchanged), `trial ${trial}, killed by ${killed.signal}`).toBe(before.size);
        expect(Number(counts.new) + Number(counts.corrected)).toBe(ROWS - before.size);
        await expectWholeBatches(database.pool);
        await expectComplete(database.pool, before);
      } finally {
        await database.drop();
      }
    }
  });

  it("fails clearly when the embedded server is killed, and the next ingest recovers by itself", async () => {
    const dataDir = path.join(directory, "data");
    const env = { ...process.env };
    delete env.DATABASE_URL;
    // Small batches: the ingest must still be running when the server is killed.
    const args = ["--data-dir", dataDir, "ingest", "flight", file, "--batch-size", "50"];
    const child = start(args, env);
    const stateFile = path.join(dataDir, "postgres.json");
    let client: pg.Client | undefined;
    const connected = await waitFor(async () => {
      try {
        const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
        client = new pg.Client({
          host: "127.0.0.1",
          port: state.port,
          user: state.user,
          password: state.password,
          database: state.database,
        });
        client.on("error", () => undefined);
        await client.connect();
        return (await committedBatches(client)) >= 3;
      } catch {
        await client?.end().catch(() => undefined);
        client = undefined;
        return false;
      }
    }, 120_000);
    expect(connected).toBe(true);
    const postmaster = Number(
      fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0],
    );
    process.kill(postmaster, "SIGKILL");
    await client!.end().catch(() => undefined);

    const failed = await child.done;
    expect(failed.code).not.toBe(0);
    const errorLine = failed.stderr.trimEnd().split("\n").at(-1)!;
    expect(errorLine, failed.stderr).toMatch(
      /^error PASSAGE_ERR_(INGEST_DATABASE_LOST|STORE_CONNECTION_FAILED): /,
    );

    const recovered = await start(args, env).done;
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stdout.trimEnd().split("\n").at(-1)).toMatch(
      new RegExp(`^read=${ROWS} new=\\d+ corrected=\\d+ unchanged=\\d+ rejected=0$`),
    );
    // Look at the result through a third run's server, then let it stop.
    const check = start(["--data-dir", dataDir, "ingest", "flight", file], env);
    const final = await check.done;
    expect(final.stdout.trimEnd().split("\n").at(-1)).toBe(
      `read=${ROWS} new=0 corrected=0 unchanged=${ROWS} rejected=0`,
    );
  });
});
