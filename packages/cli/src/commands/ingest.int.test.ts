import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, "../../../engine/src/ingest/fixtures");

const bed = useCliTestBed("ingest");
const { run } = bed;

describe("passage ingest", () => {
  it("ends with the summary line of CLI.md, exits 0 with rejected rows, and is idempotent", async () => {
    const file = path.join(bed.directory, "custody.csv");
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
    fs.copyFileSync(path.join(fixtures, "flight.csv"), path.join(bed.directory, "flight.csv"));
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
      heldByRedress: 0,
      rejectsFile: "flight.csv.rejects.ndjson",
      warnings: 0,
      warningsFile: null,
    });
  });

  it("stores a row with a malformed optional identifier without it, naming each dropped value in FILE.warnings.ndjson", async () => {
    const file = path.join(bed.directory, "encounter-warned.csv");
    const header = "encounter_id,family_name,given_names,encounter_type,event_date,a_number";
    const columns = header.split(",");
    const row = (values: Record<string, string>) => columns.map((column) => values[column] ?? "").join(",");
    const base = {
      encounter_type: "interior_arrest",
      event_date: "2023-01-02",
      family_name: "Warned",
      given_names: "Wes",
    };
    fs.writeFileSync(
      file,
      `${[
        header,
        row({ ...base, encounter_id: "E-W1", a_number: "A12" }),
        row({ ...base, encounter_id: "E-W2", a_number: "A123456789" }),
      ].join("\n")}\n`,
    );
    const first = await run(["ingest", "encounter", "encounter-warned.csv"]);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("read=2 new=2 corrected=0 unchanged=0 rejected=0");
    expect(lines.at(-2)).toBe(
      "warnings=1: rows stored with a warning (a malformed optional identifier dropped as SOURCES.md says, or a date that cannot be right, kept as received); each line, field and reason: encounter-warned.csv.warnings.ndjson",
    );
    const warnings = fs
      .readFileSync(`${file}.warnings.ndjson`, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(warnings).toEqual([
      { line: 2, field: "a_number", reason: expect.stringMatching(/A-number.*; dropped$/) },
    ]);

    // A clean re-send of the file removes the stale warnings file.
    fs.writeFileSync(file, `${[header, row({ ...base, encounter_id: "E-W1" })].join("\n")}\n`);
    const second = await run(["--json", "ingest", "encounter", "encounter-warned.csv"]);
    expect(JSON.parse(second.stdout)).toMatchObject({ warnings: 0, warningsFile: null });
    expect(fs.existsSync(`${file}.warnings.ndjson`)).toBe(false);
  });

  it("fails with one coded error line for an unknown feed, a missing file and a refused column", async () => {
    const unknown = await run(["ingest", "phones", "flight.csv"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error PASSAGE_ERR_FEED_UNKNOWN: unknown feed "phones"[^\n]*\n$/);

    const missing = await run(["ingest", "visa", "nowhere.csv"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe("error PASSAGE_ERR_INGEST_FILE_NOT_FOUND: no such file: nowhere.csv\n");

    fs.writeFileSync(
      path.join(bed.directory, "visa-gps.csv"),
      "visa_id,visa_class,issue_date,expiry_date,gps_lat\nV-1,B2,2020-01-01,2030-01-01,1.5\n",
    );
    const refused = await run(["ingest", "visa", "visa-gps.csv"]);
    expect(refused.code).toBe(6);
    expect(refused.stdout).toBe("");
    const lines = refused.stderr.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^error PASSAGE_ERR_INGEST_REFUSED_COLUMN: .*column "gps_lat"/);
    expect(fs.existsSync(path.join(bed.directory, "visa-gps.csv.rejects.ndjson"))).toBe(false);
  });
});

describe("passage ingest under access control", () => {
  /** The audit entries of ingests, oldest first. */
  const feedEntries = () => bed.auditEntries("Feed");
  const visaRecords = async () =>
    (await bed.database.pool.query("SELECT count(*)::int AS count FROM source_record WHERE feed = 'visa'"))
      .rows[0].count;

  it("denies a user without feed.ingest, with one coded error line, and stores nothing", async () => {
    expect((await run(["users", "demo"])).code).toBe(0);
    fs.copyFileSync(path.join(fixtures, "visa.csv"), path.join(bed.directory, "visa.csv"));
    const denied = await run(["--as", "removal.officer", "ingest", "visa", "visa.csv"]);
    expect(denied.code).toBe(5);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toBe(
      "error PASSAGE_ERR_ACCESS_DENIED: user:removal.officer may not feed.ingest Feed visa\n",
    );
    expect(await visaRecords()).toBe(0);
    expect(fs.existsSync(path.join(bed.directory, "visa.csv.rejects.ndjson"))).toBe(false);
    expect((await feedEntries()).at(-1)).toMatchObject({
      actor: "user:removal.officer",
      action: "feed.ingest",
      resourceId: "visa",
      decision: "deny",
      outcome: "failure",
      details: { file: path.join(bed.directory, "visa.csv") },
    });
  });

  it("audits the local operator's ingest with purpose cli and the counts, and a user's with --purpose", async () => {
    const ingested = await run(["ingest", "visa", "visa.csv"]);
    expect(ingested.code, ingested.stderr).toBe(0);
    expect(ingested.stdout.trimEnd().split("\n").at(-1)).toBe(
      "read=2 new=2 corrected=0 unchanged=0 rejected=0",
    );
    expect(await visaRecords()).toBe(2);
    expect((await feedEntries()).at(-1)).toMatchObject({
      actor: "system:local-operator",
      purpose: "cli",
      action: "feed.ingest",
      resourceType: "Feed",
      resourceId: "visa",
      decision: "allow",
      outcome: "success",
      details: {
        file: path.join(bed.directory, "visa.csv"),
        read: 2,
        new: 2,
        corrected: 0,
        unchanged: 0,
        rejected: 0,
        phase: "finished",
      },
    });
    // Written before the first batch, so that an ingest killed midway is on record too.
    expect((await feedEntries()).at(-2)).toMatchObject({
      action: "feed.ingest",
      decision: "allow",
      details: { file: path.join(bed.directory, "visa.csv"), phase: "started" },
    });
    const steward = await run([
      "--as",
      "data.steward",
      "--purpose",
      "monthly load",
      "ingest",
      "visa",
      "visa.csv",
    ]);
    expect(steward.code, steward.stderr).toBe(0);
    expect((await feedEntries()).at(-1)).toMatchObject({
      actor: "user:data.steward",
      purpose: "monthly load",
      outcome: "success",
      details: { read: 2, new: 0, unchanged: 2 },
    });
  });

  it("audits a refused file as a failure with its error code", async () => {
    fs.writeFileSync(
      path.join(bed.directory, "visa-refused.csv"),
      "visa_id,visa_class,issue_date,expiry_date,gps_lat\nV-1,B2,2020-01-01,2030-01-01,1.5\n",
    );
    const refused = await run(["ingest", "visa", "visa-refused.csv"]);
    expect(refused.code).toBe(6);
    expect((await feedEntries()).at(-1)).toMatchObject({
      action: "feed.ingest",
      decision: "allow",
      outcome: "failure",
      errorCode: "PASSAGE_ERR_INGEST_REFUSED_COLUMN",
      details: { file: path.join(bed.directory, "visa-refused.csv") },
    });
  });
});
