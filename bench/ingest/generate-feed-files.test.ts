import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { normaliseRow } from "@passage/core";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { generateFeedFiles } from "./generate-feed-files.ts";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-bench-rows-"));
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

describe("the ingest benchmark's generated rows", () => {
  // The benchmark measures the ingest of valid rows: a generator that drifts from the feed contract
  // (as when departures came to be rejected for a date after their report) measures rejects instead.
  it("are every one valid under the feed contract", async () => {
    const files = await generateFeedFiles(directory, 40_000, 7);
    expect(files).toHaveLength(11);
    for (const { feed, file, rows } of files) {
      const records = parse(fs.readFileSync(file, "utf8"), { columns: true }) as Record<string, string>[];
      expect(records).toHaveLength(rows);
      const rejected = records
        .map((record, index) => ({ index, result: normaliseRow(feed, record) }))
        .filter(({ result }) => !result.ok)
        .map(
          ({ index, result }) =>
            `${feed} row ${index + 1}: ${JSON.stringify(result.ok ? [] : result.issues)}`,
        );
      expect(rejected.slice(0, 3)).toEqual([]);
    }
  });
});
