import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { findRecordVersions } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "./ingest-file.ts";

/**
 * An NDJSON line longer than 1 MiB is rejected as CSV rejects one (a malformed row on its line,
 * `the line is longer than 1 MiB`), the rows around it are loaded, and nothing of it is stored:
 * before, a gzip unpacking to one 120 MB line was read whole into memory and stored.
 */

let database: TestDatabase;
let directory: string;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-ingest-line-limit-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

function visa(visaId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    visa_id: visaId,
    family_name: "Testperson",
    given_names: "Ana",
    date_of_birth: "1990-04-12",
    nationality: "MEX",
    visa_class: "B1/B2",
    issue_date: "2023-01-10",
    expiry_date: "2033-01-09",
    ...extra,
  });
}

describe("NDJSON file ingest: line length", () => {
  it("rejects a line longer than 1 MiB, plain or gzipped, and loads the rows around it", async () => {
    const cases = [
      { name: "LL.ndjson", note: "x".repeat(2_000_000), compress: false },
      { name: "LG.ndjson.gz", note: "x".repeat(30_000_000), compress: true },
    ];
    for (const { name, note, compress } of cases) {
      const prefix = name.slice(0, 2);
      const text = `${[visa(`${prefix}-1`), visa(`${prefix}-2`, { note }), visa(`${prefix}-3`)].join("\n")}\n`;
      const file = path.join(directory, name);
      fs.writeFileSync(file, compress ? gzipSync(text) : text);
      const summary = await ingestFile({ pool: database.pool, feed: "visa", file });
      expect(summary).toMatchObject({ read: 3, new: 2, rejected: 1 });
      expect(fs.readFileSync(`${file}.rejects.ndjson`, "utf8")).toBe(
        `${JSON.stringify({ line: 2, field: null, reason: "the line is longer than 1 MiB (1048576 characters)" })}\n`,
      );
      expect(await findRecordVersions(database.db, "visa", `${prefix}-2`)).toEqual([]);
      expect(await findRecordVersions(database.db, "visa", `${prefix}-3`)).toHaveLength(1);
    }
  });
});
