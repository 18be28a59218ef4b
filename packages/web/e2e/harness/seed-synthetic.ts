import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { csvRows } from "./csv-rows.ts";
import type { DemoAccount } from "./demo-users.ts";
import type { RunningPassage } from "./passage-server.ts";

const PURPOSE = "Synthetic demonstration data";

async function signIn(url: string, account: DemoAccount): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (!response.ok)
    throw new Error(`sign-in as ${account.username} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get("set-cookie");
  if (!cookie) throw new Error("sign-in set no session cookie");
  return cookie.split(";")[0]!;
}

/** Events each projection consumer has yet to apply, from the Prometheus metrics (public). */
async function consumerLag(url: string): Promise<number[]> {
  const text = await (await fetch(`${url}/api/v1/metrics`)).text();
  return [...text.matchAll(/^passage_consumer_lag_events\{[^}]*\} (\d+)/gm)].map((match) => Number(match[1]));
}

/** Waits until every projection consumer has applied every event (linkage, lifecycle, worklist). */
export async function waitForProjections(url: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  let idle = 0;
  while (idle < 2) {
    if (Date.now() > deadline) throw new Error("the projections did not catch up within 5 minutes");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const lag = await consumerLag(url);
    if (lag.length === 0) throw new Error("/api/v1/metrics reports no passage_consumer_lag_events");
    idle = lag.every((events) => events === 0) ? idle + 1 : 0;
  }
}

async function worklistTotal(url: string, cookie: string): Promise<number> {
  const response = await fetch(`${url}/api/v1/worklist?pageSize=1`, {
    headers: { cookie, "x-passage-purpose": PURPOSE },
  });
  if (!response.ok) throw new Error(`worklist: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { total: number }).total;
}

/** Writes a synthetic population's feed files with `passage synth` (no database involved). */
export async function writeSyntheticFeeds(
  passage: RunningPassage,
  options: { persons: number; seed: number },
): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "passage-web-synth-"));
  await passage.cli([
    "synth",
    "--persons",
    String(options.persons),
    "--seed",
    String(options.seed),
    "--out",
    directory,
  ]);
  return directory;
}

/**
 * A synthetic population through the front door: each feed file `passage synth` wrote is posted to
 * `POST /api/v1/feeds/{feed}/records` as NDJSON by a user allowed to ingest, `passage link` links
 * the population, and the server's own projections derive statuses and rank the worklist.
 * Resolves once every projection consumer has caught up; removes the directory.
 */
export async function ingestSyntheticFeeds(
  passage: RunningPassage,
  ingester: DemoAccount,
  directory: string,
): Promise<number> {
  try {
    const cookie = await signIn(passage.url, ingester);
    let rows = 0;
    const files = (await readdir(directory))
      .filter((file) => file.endsWith(".csv") && file !== "truth.csv")
      .sort();
    for (const file of files) {
      const feed = path.basename(file, ".csv");
      const lines = csvRows(await readFile(path.join(directory, file), "utf8")).map((row) =>
        JSON.stringify(row),
      );
      const response = await fetch(`${passage.url}/api/v1/feeds/${feed}/records`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-ndjson", "x-passage-purpose": PURPOSE },
        body: `${lines.join("\n")}\n`,
      });
      if (!response.ok) throw new Error(`feed ${feed}: ${response.status} ${await response.text()}`);
      rows += lines.length;
    }
    // The incremental handler links each new record as it lands; the batch run then links the
    // whole population with one model, as `passage start` does.
    await waitForProjections(passage.url);
    await passage.cli(["link"]);
    await waitForProjections(passage.url);
    return rows;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Both steps, and the worklist's size afterwards (read as `reader`). */
export async function seedSyntheticPopulation(
  passage: RunningPassage,
  ingester: DemoAccount,
  reader: DemoAccount,
  options: { persons: number; seed: number },
): Promise<{ rows: number; worklist: number }> {
  const rows = await ingestSyntheticFeeds(passage, ingester, await writeSyntheticFeeds(passage, options));
  return { rows, worklist: await worklistTotal(passage.url, await signIn(passage.url, reader)) };
}
