import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { FEEDS, isPassageError, RecordsCorrected, RecordsIngested } from "@passage/core";
import { findRecordVersions, readOutboxEvents } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "./ingest-file.ts";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
let database: TestDatabase;
let directory: string;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-ingest-test-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(directory, name);
  fs.writeFileSync(file, content);
  return file;
}

const ingest = (feed: string, file: string, batchSize?: number) =>
  ingestFile({ pool: database.pool, feed, file, batchSize });

async function countRows(table: string, feed?: string): Promise<number> {
  const { rows } = await database.pool.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM ${table}${feed ? " WHERE feed = $1" : ""}`,
    feed ? [feed] : [],
  );
  return rows[0]!.count;
}

function rejectsOf(file: string): Array<{ line: number; field: string | null; reason: string }> {
  const text = fs.readFileSync(`${file}.rejects.ndjson`, "utf8");
  return text === ""
    ? []
    : text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
}

async function refusal(work: Promise<unknown>): Promise<{ code: string; kind: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (isPassageError(error)) return error;
    throw error;
  }
  throw new Error("expected the ingest to be refused");
}

describe("file ingest", () => {
  it("accepts a small valid file of every feed of SOURCES.md", async () => {
    for (const feed of FEEDS) {
      const file = path.join(directory, `${feed}.csv`);
      fs.copyFileSync(path.join(fixtures, `${feed}.csv`), file);
      const summary = await ingest(feed, file);
      const rows = fs.readFileSync(file, "utf8").trimEnd().split("\n").length - 1;
      expect(summary).toMatchObject({ feed, read: rows, new: rows, rejected: 0, corrected: 0 });
      expect(rejectsOf(file)).toEqual([]);
      expect(await countRows("source_record", feed)).toBe(rows);
    }
    // One RecordsIngested per feed's file (a batch), naming all of its records.
    const events = await readOutboxEvents(database.db, "0", 1000);
    expect(events.map((event) => [event.type, event.partitionKey])).toEqual(
      FEEDS.map((feed) => ["RecordsIngested", feed]),
    );
    for (const event of events) {
      const payload = RecordsIngested.parseOrThrow(event.payload);
      expect(payload.records).toBe(await countRows("source_record", payload.feed));
    }
  });

  it("changes nothing when the same file is ingested again", async () => {
    const file = path.join(directory, "court.csv");
    const records = await countRows("source_record");
    const events = await countRows("outbox_event");
    const summary = await ingest("court", file);
    expect(summary).toMatchObject({ read: 3, new: 0, corrected: 0, unchanged: 3, rejected: 0 });
    expect(await countRows("source_record")).toBe(records);
    expect(await countRows("outbox_event")).toBe(events);
  });

  it("adds a version for a corrected row and keeps both", async () => {
    const original = fs.readFileSync(path.join(fixtures, "visa.csv"), "utf8");
    const file = write(
      "visa-corrected.csv",
      original.replace("VIS-0002,Nguyen,Van An,1985-11-30", "VIS-0002,Nguyen,Van An,1985-11-03"),
    );
    const summary = await ingest("visa", file);
    expect(summary).toMatchObject({ read: 2, new: 0, corrected: 1, unchanged: 1 });
    const versions = await findRecordVersions(database.db, "visa", "VIS-0002");
    expect(versions.map((version) => [version.version, version.fields.date_of_birth])).toEqual([
      [1, "1985-11-30"],
      [2, "1985-11-03"],
    ]);
    expect(versions[1]!.sourceName).toBe(path.resolve(file));
    expect(versions[1]!.sourceRow).toBe(3);
    const last = (await readOutboxEvents(database.db, "0", 10_000)).at(-1)!;
    expect(last.type).toBe("RecordsCorrected");
    expect(RecordsCorrected.parseOrThrow(last.payload)).toMatchObject({
      feed: "visa",
      records: 1,
      firstRecordId: versions[1]!.id,
      lastRecordId: versions[1]!.id,
    });
  });

  it("rejects malformed rows with a reason each, line by line, and loads every good row exactly once", async () => {
    const file = write(
      "encounter-mixed.csv",
      [
        "encounter_id,family_name,given_names,encounter_type,event_date,entry_without_inspection,a_number,note",
        'M-1,"Smith,\nJr.",John,border_apprehension,2022-01-01,Y,A1234567,multi-line name', // lines 2-3
        "M-2,Doe,Jane,interior_arrest,2022-02-30,N,,impossible date", // line 4
        "M-3,Roe,Rita,teleported,2022-03-03,N,,bad enum", // line 5
        "",
        "M-4,Poe,Paul,interior_arrest,2022-04-04,N,A12,short A-number is dropped with a warning", // line 7
        ",Moe,Max,interior_arrest,2022-05-05,N,,missing key", // line 8
        'M-5,"Bad"quote,X,interior_arrest,2022-05-05,N,,syntax', // line 9
        "M-6,Few,Fields", // line 10
        "M-7,Good,Gina,inadmissible_at_port,2023-06-06,U,,fine", // line 11
      ].join("\n"),
    );
    for (let run = 0; run < 2; run++) {
      const summary = await ingest("encounter", file, 3);
      expect(summary).toMatchObject({
        read: 8,
        rejected: 5,
        new: run === 0 ? 3 : 0,
        unchanged: run === 0 ? 0 : 3,
      });
      expect(rejectsOf(file)).toEqual([
        { line: 4, field: "event_date", reason: "2022-02-30 does not exist" },
        { line: 5, field: "encounter_type", reason: expect.stringContaining('"teleported" is not one of') },
        { line: 8, field: "encounter_id", reason: "required field is missing" },
        { line: 9, field: null, reason: expect.stringContaining("CSV syntax") },
        { line: 10, field: null, reason: "row has 3 fields but the header has 8" },
      ]);
    }
    expect(await countRows("source_record", "encounter")).toBe(2 + 3);
    const [multiLine] = await findRecordVersions(database.db, "encounter", "M-1");
    expect(multiLine!.fields.family_name).toBe("Smith, Jr.");
    expect(multiLine!.raw.family_name).toBe("Smith,\nJr.");
    expect(multiLine!.raw.note).toBe("multi-line name");
    expect(multiLine!.fields.note).toBeUndefined();
    expect(multiLine!.sourceRow).toBe(2);
    const [warned] = await findRecordVersions(database.db, "encounter", "M-4");
    expect(warned!.sourceRow).toBe(7);
    expect(warned!.fields.a_number).toBeUndefined();
    expect(warned!.warnings).toEqual([{ field: "a_number", reason: expect.stringContaining("dropped") }]);
  });

  it("reads NDJSON, JSON Lines and gzip alike: the same content is unchanged in any format", async () => {
    const lines = [
      {
        flight_id: "NF-1",
        date: "2024-03-01",
        origin_hub: "AEX",
        destination_country: "gtm",
        seats: 100,
        cost: 5000,
      },
      {
        flight_id: "NF-2",
        date: "2024-03-02",
        origin_hub: "MAF",
        destination_country: "HND",
        seats: "80",
        cost: "4000.5",
      },
    ];
    const text = `${lines.map((line) => JSON.stringify(line)).join("\n")}\n\n[1,2]\n`;
    expect(await ingest("flight", write("flights.ndjson", text))).toMatchObject({
      read: 3,
      new: 2,
      rejected: 1,
    });
    expect(rejectsOf(path.join(directory, "flights.ndjson"))).toEqual([
      { line: 4, field: null, reason: "expected a JSON object, got an array" },
    ]);
    expect(await ingest("flight", write("flights.jsonl.gz", gzipSync(text)))).toMatchObject({
      unchanged: 2,
      new: 0,
    });
    const csv =
      "flight_id,date,origin_hub,destination_country,seats,cost\nNF-1,2024-03-01,AEX,GTM,100,5000\n";
    expect(await ingest("flight", write("flights.csv.gz", gzipSync(csv)))).toMatchObject({
      unchanged: 1,
      new: 0,
    });
    const [stored] = await findRecordVersions(database.db, "flight", "NF-2");
    expect(stored!.fields).toMatchObject({ seats: 80, cost: 4000.5, destination_country: "HND" });
  });

  it("versions several rows of one key in file order, and re-ingesting that file changes nothing", async () => {
    const outcomes = ["denied", "granted", "granted", "denied", "dismissed"];
    const rows = outcomes.map((outcome) => `MV-1,CASE-1,A012345678,RMV,decision,2020-01-01,${outcome}`);
    const file = write(
      "court-versions.csv",
      `court_event_id,case_id,a_number,case_type,event_type,event_date,outcome\n${rows.join("\n")}\n`,
    );
    expect(await ingest("court", file, 2)).toMatchObject({ new: 1, corrected: 3, unchanged: 1 });
    expect(await ingest("court", file, 2)).toMatchObject({ new: 0, corrected: 0, unchanged: 5 });
    const versions = await findRecordVersions(database.db, "court", "MV-1");
    expect(versions.map((version) => version.fields.outcome)).toEqual([
      "denied",
      "granted",
      "denied",
      "dismissed",
    ]);
  });

  it("refuses a CSV with a denylisted column before writing anything", async () => {
    const before = await countRows("source_record");
    const file = write(
      "visa-address.csv",
      "visa_id,visa_class,issue_date,expiry_date,Home Address\nV-9,B2,2020-01-01,2030-01-01,1 Main St\n",
    );
    const error = await refusal(ingest("visa", file));
    expect(error).toMatchObject({ code: "PASSAGE_ERR_INGEST_REFUSED_COLUMN", kind: "refused" });
    expect(error.message).toContain('column "Home Address"');
    expect(await countRows("source_record")).toBe(before);
    expect(fs.existsSync(`${file}.rejects.ndjson`)).toBe(false);
  });

  it("refuses an NDJSON file whose later row carries a denylisted key, with nothing half-written", async () => {
    const before = await countRows("source_record");
    const good = Array.from({ length: 20 }, (_, index) =>
      JSON.stringify({
        flight_id: `RF-${index}`,
        date: "2024-01-01",
        origin_hub: "AEX",
        destination_country: "GTM",
        seats: 1,
        cost: 1,
      }),
    );
    const bad = JSON.stringify({ flight_id: "RF-X", extra: { gps: "1,2" } });
    const error = await refusal(ingest("flight", write("refused.ndjson", `${good.join("\n")}\n${bad}\n`), 5));
    expect(error).toMatchObject({ code: "PASSAGE_ERR_INGEST_REFUSED_COLUMN" });
    expect(error.message).toContain('column "gps"');
    expect(error.message).toContain("line 21");
    expect(await countRows("source_record")).toBe(before);
  });

  it("refuses an unknown feed, an unknown extension, a missing file and a header without a required column", async () => {
    const csv = write("any.csv", "visa_id\nV1\n");
    expect(await refusal(ingest("passports", csv))).toMatchObject({ code: "PASSAGE_ERR_FEED_UNKNOWN" });
    expect(await refusal(ingest("visa", write("visa.txt", "x")))).toMatchObject({
      code: "PASSAGE_ERR_INGEST_UNKNOWN_FORMAT",
    });
    expect(await refusal(ingest("visa", path.join(directory, "absent.csv")))).toMatchObject({
      code: "PASSAGE_ERR_INGEST_FILE_NOT_FOUND",
      kind: "not_found",
      message: `no such file: ${path.join(directory, "absent.csv")}`,
    });
    const folder = path.join(directory, "folder.csv");
    fs.mkdirSync(folder, { recursive: true });
    expect(await refusal(ingest("visa", folder))).toMatchObject({
      code: "PASSAGE_ERR_INGEST_FILE_NOT_FOUND",
      message: `${folder} is a directory, not a file`,
    });
    const missing = await refusal(ingest("visa", csv));
    expect(missing).toMatchObject({ code: "PASSAGE_ERR_INGEST_MISSING_COLUMNS" });
    expect(missing.message).toContain("visa_class, issue_date, expiry_date");
    expect(await refusal(ingest("visa", write("dup.csv", "visa_id,visa_id\n")))).toMatchObject({
      code: "PASSAGE_ERR_INGEST_DUPLICATE_COLUMN",
    });
  });

  it("rejects a runaway quote or an over-long line and loads every other row of the file", async () => {
    const header = "flight_id,date,origin_hub,destination_country,seats,cost";
    const fileOf = (name: string, rows: number, badRow: number, bad: string, newline = "\n") => {
      const lines = [header];
      for (let row = 1; row <= rows; row++) {
        lines.push(row === badRow ? bad : `${name}-${row},2024-01-01,AEX,GTM,1,1`);
      }
      return write(`${name}.csv`, lines.join(newline) + newline);
    };
    const cases = [
      // A stray quote at row 6,001 of 40,000: the quoted field runs on past 1 MiB (it threw, after
      // 5,000 rows were stored, and every re-run failed the same way).
      {
        file: fileOf("RQ", 40_000, 6001, 'RQ-6001,"2024-01-01,AEX,GTM,1,1'),
        rows: 40_000,
        reason:
          "CSV syntax: the record is longer than 1 MiB (1048576 characters): the quoted field opened on " +
          "line 6002 is not closed within it (a stray quote?)",
      },
      // The same at row 6,001 of 12,000: the quote runs to the end of the file (the 5,999 rows after
      // it were neither stored nor reported).
      {
        file: fileOf("RE", 12_000, 6001, 'RE-6001,"2024-01-01,AEX,GTM,1,1', "\r\n"),
        rows: 12_000,
        reason: "CSV syntax: a quoted field opened on line 6002 is never closed",
      },
      // A 2 MB unquoted line.
      {
        file: fileOf("RL", 8_000, 6001, `RL-6001,2024-01-01,AEX,${"G".repeat(2_000_000)},1,1`),
        rows: 8_000,
        reason: "CSV syntax: the line is longer than 1 MiB (1048576 characters)",
      },
    ];
    for (const { file, rows, reason } of cases) {
      for (let run = 0; run < 2; run++) {
        expect(await ingest("flight", file)).toMatchObject({
          read: rows,
          new: run === 0 ? rows - 1 : 0,
          unchanged: run === 0 ? 0 : rows - 1,
          rejected: 1,
        });
        expect(rejectsOf(file)).toEqual([{ line: 6002, field: null, reason }]);
      }
    }
  });

  it("reports a truncated gzip file as unreadable, keeping the batches before the damage", async () => {
    const rows = Array.from({ length: 4000 }, (_, index) => `TR-${index},2024-01-01,AEX,GTM,1,1`);
    const compressed = gzipSync(
      `flight_id,date,origin_hub,destination_country,seats,cost\n${rows.join("\n")}\n`,
    );
    const file = write("truncated.csv.gz", compressed.subarray(0, Math.floor(compressed.length * 0.8)));
    const error = await refusal(ingest("flight", file, 500));
    expect(error).toMatchObject({ code: "PASSAGE_ERR_INGEST_UNREADABLE" });
    const stored = await countRows("source_record", "flight");
    const complete = write("complete.csv.gz", compressed);
    const summary = await ingest("flight", complete, 500);
    expect(summary.new + summary.unchanged).toBe(4000);
    expect(await countRows("source_record", "flight")).toBe(stored + summary.new);
  });
});
