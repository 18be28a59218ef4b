import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPassage } from "../testing/run-passage.ts";

let database: TestDatabase;
let directory: string;
beforeAll(async () => {
  database = await createTestDatabase();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-cli-simulate-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

function run(args: string[]) {
  return runPassage(args, { cwd: directory, env: { DATABASE_URL: database.url } });
}

async function departureFeedEntries() {
  const rows = await database.pool.query<{ content: string }>(
    "SELECT content FROM audit_entry WHERE resource_type = 'Feed' AND resource_id = 'departure' ORDER BY sequence",
  );
  return rows.rows.map((row) => JSON.parse(row.content));
}

// The simulator streams departure records into the departure feed: the same feed.ingest the
// HTTP feed route asks. (Persons to simulate are the engine's concern: an empty database has none.)
describe("passage simulate departures", () => {
  it("denies a user without feed.ingest, with one coded error line", async () => {
    expect((await run(["users", "demo"])).code).toBe(0);
    const denied = await run(["--as", "auditor", "simulate", "departures", "--rate", "5", "--count", "1"]);
    expect(denied.code).toBe(5);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toBe(
      "error PASSAGE_ERR_ACCESS_DENIED: user:auditor may not feed.ingest Feed departure\n",
    );
    expect(await departureFeedEntries()).toMatchObject([
      { actor: "user:auditor", action: "feed.ingest", decision: "deny", outcome: "failure" },
    ]);
  });

  it("audits the local operator's simulation with purpose cli and what was sent", async () => {
    const simulated = await run(["simulate", "departures", "--rate", "5", "--count", "1"]);
    expect(simulated.code, simulated.stderr).toBe(0);
    expect(simulated.stdout).toMatch(/^sent=0 rejected=0 /);
    expect((await departureFeedEntries()).at(-1)).toMatchObject({
      actor: "system:local-operator",
      purpose: "cli",
      action: "feed.ingest",
      decision: "allow",
      outcome: "success",
      details: { simulator: "departures", rate: 5, count: 1, sent: 0, rejected: 0 },
    });
  });
});
