import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRecordVersions } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "./ingest-file.ts";
import { createRowIngestor } from "./row-ingestor.ts";

let database: TestDatabase;
let directory: string;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-dates-test-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

const warningLinesOf = (file: string) =>
  fs
    .readFileSync(`${file}.warnings.ndjson`, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

describe("impossible dates: stored with the record, with a warning on the row", () => {
  it("a file's rows are all stored; each impossible date is a line of FILE.warnings.ndjson and a warning of its record", async () => {
    const file = path.join(directory, "admission.csv");
    fs.writeFileSync(
      file,
      [
        "i94_number,class_of_admission,admission_date,admit_until,date_of_birth",
        "11111111111,B2,2024-03-01,2024-08-31,1990-04-05", // line 2: fine
        "22222222222,B2,2099-03-01,D/S,1990-04-05", // line 3: admitted in 2099
        "33333333333,B2,2024-03-01,2024-02-01,2090-04-05", // line 4: admit_until first; born in 2990
      ].join("\n"),
    );
    const summary = await ingestFile({ pool: database.pool, feed: "admission", file });
    expect(summary).toMatchObject({ read: 3, new: 3, rejected: 0, warnings: 2 });
    expect(summary.warningsFile).toBe(`${file}.warnings.ndjson`);
    expect(warningLinesOf(file)).toEqual([
      {
        line: 3,
        field: "admission_date",
        reason: expect.stringMatching(/^2099-03-01 is after the row was received/),
      },
      {
        line: 4,
        field: "date_of_birth",
        reason: expect.stringMatching(/^2090-04-05 is after the row was received/),
      },
      {
        line: 4,
        field: "admit_until",
        reason:
          "2024-02-01 is before admission_date 2024-03-01: an admitted stay ends on or after the day it begins; kept as received",
      },
      {
        line: 4,
        field: "date_of_birth",
        reason: expect.stringMatching(/^2090-04-05 is after admission_date 2024-03-01/),
      },
    ]);
    const [future] = await findRecordVersions(database.db, "admission", "22222222222");
    expect(future!.fields.admission_date).toBe("2099-03-01");
    expect(future!.warnings).toEqual([
      {
        field: "admission_date",
        reason: expect.stringContaining("an admission is recorded once it has happened"),
      },
    ]);
    const [fine] = await findRecordVersions(database.db, "admission", "11111111111");
    expect(fine!.warnings).toEqual([]);
  });

  it("a streamed row resolves with its warnings, and its record keeps them", async () => {
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test:stream", maxDelayMs: 5 });
    try {
      const result = await ingestor.ingest(
        "visa",
        { visa_id: "V-9", visa_class: "F1", issue_date: "2024-05-10", expiry_date: "2023-05-10" },
        { receivedAt: "2026-06-15T12:00:00.000Z" },
      );
      expect(result).toMatchObject({
        outcome: "new",
        warnings: [
          {
            field: "expiry_date",
            reason:
              "2023-05-10 is before issue_date 2024-05-10: a visa expires after it is issued; kept as received",
          },
        ],
      });
      const [stored] = await findRecordVersions(database.db, "visa", "V-9");
      expect(stored!.warnings).toEqual([{ field: "expiry_date", reason: expect.any(String) }]);
    } finally {
      await ingestor.close();
    }
  });
});
