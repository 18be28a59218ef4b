import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPassage } from "../testing/run-passage.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, "../../../engine/src/ingest/fixtures");

let database: TestDatabase;
let directory: string;
beforeAll(async () => {
  database = await createTestDatabase();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-cli-ingest-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

/** Runs `passage ARGS` against the test database and collects its output and exit status. */
function run(args: string[]) {
  return runPassage(args, { cwd: directory, env: { DATABASE_URL: database.url } });
}

describe("passage ingest", () => {
  it("ends with the summary line of CLI.md, exits 0 with rejected rows, and is idempotent", async () => {
    const file = path.join(directory, "custody.csv");
    fs.writeFileSync(
      file,
      `${fs.readFileSync(path.join(fixtures, "custody.csv"), "utf8")}BK-200,A1,Bad,Row,FAC-1,book_in,2021-13-01,\n`,
    );
    const first = await run(["ingest", "custody", "custody.csv"]);
    expect(first.code).toBe(0);
    expect(first.stdout.trimEnd().split("\n").at(-1)).toBe("read=3 new=2 corrected=0 unchanged=0 rejected=1");
    const rejects = fs
      .readFileSync(`${file}.rejects.ndjson`, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rejects).toEqual([
      { line: 4, field: "a_number", reason: expect.stringContaining("not an A-number") },
      { line: 4, field: "event_date", reason: "month 13 does not exist" },
    ]);
    const second = await run(["ingest", "custody", "custody.csv"]);
    expect(second.stdout.trimEnd().split("\n").at(-1)).toBe(
      "read=3 new=0 corrected=0 unchanged=2 rejected=1",
    );
  });

  it("prints exactly one JSON document with --json", async () => {
    fs.copyFileSync(path.join(fixtures, "flight.csv"), path.join(directory, "flight.csv"));
    const result = await run(["--json", "ingest", "flight", "flight.csv"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      feed: "flight",
      file: "flight.csv",
      read: 2,
      new: 2,
      corrected: 0,
      unchanged: 0,
      rejected: 0,
      rejectsFile: "flight.csv.rejects.ndjson",
    });
  });

  it("fails with one coded error line for an unknown feed, a missing file and a refused column", async () => {
    const unknown = await run(["ingest", "phones", "flight.csv"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error PASSAGE_ERR_FEED_UNKNOWN: unknown feed "phones"[^\n]*\n$/);

    const missing = await run(["ingest", "visa", "nowhere.csv"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe("error PASSAGE_ERR_INGEST_FILE_NOT_FOUND: no such file: nowhere.csv\n");

    fs.writeFileSync(
      path.join(directory, "visa-gps.csv"),
      "visa_id,visa_class,issue_date,expiry_date,gps_lat\nV-1,B2,2020-01-01,2030-01-01,1.5\n",
    );
    const refused = await run(["ingest", "visa", "visa-gps.csv"]);
    expect(refused.code).toBe(6);
    expect(refused.stdout).toBe("");
    const lines = refused.stderr.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^error PASSAGE_ERR_INGEST_REFUSED_COLUMN: .*column "gps_lat"/);
    expect(fs.existsSync(path.join(directory, "visa-gps.csv.rejects.ndjson"))).toBe(false);
  });
});
