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
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-cli-start-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

function run(args: string[]) {
  return runPassage(args, { cwd: directory, env: { DATABASE_URL: database.url } });
}

describe("passage start", () => {
  it("loads the demo population only for an actor allowed to ingest, and stores nothing otherwise", async () => {
    expect((await run(["users", "demo"])).code).toBe(0);
    const denied = await run([
      "--as",
      "auditor",
      "start",
      "--persons",
      "5",
      "--port",
      "0",
      "--departure-rate",
      "0",
    ]);
    expect(denied.code).toBe(5);
    expect(denied.stdout).toBe("");
    expect(denied.stderr.trimEnd().split("\n").at(-1)).toMatch(
      /^error PASSAGE_ERR_ACCESS_DENIED: user:auditor may not feed.ingest Feed \w+$/,
    );
    const records = await database.pool.query("SELECT count(*)::int AS count FROM source_record");
    expect(records.rows[0].count).toBe(0);
    const entries = await database.pool.query<{ content: string }>(
      "SELECT content FROM audit_entry WHERE resource_type = 'Feed' ORDER BY sequence",
    );
    expect(entries.rows.map((row) => JSON.parse(row.content))).toMatchObject([
      { actor: "user:auditor", action: "feed.ingest", decision: "deny", outcome: "failure" },
    ]);
  });
});
