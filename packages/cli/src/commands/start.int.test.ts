import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

const bed = useCliTestBed("start");
const { run } = bed;

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
    const records = await bed.database.pool.query("SELECT count(*)::int AS count FROM source_record");
    expect(records.rows[0].count).toBe(0);
    expect(await bed.auditEntries("Feed")).toMatchObject([
      { actor: "user:auditor", action: "feed.ingest", decision: "deny", outcome: "failure" },
    ]);
  });
});
