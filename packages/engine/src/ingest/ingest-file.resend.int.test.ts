import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRecordVersions } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "./ingest-file.ts";

/**
 * Re-sends of a file (README.md, "Idempotent re-ingest"): a batch whose chain digest is committed
 * is skipped only while none of its keys has a version written since by anything but its own run.
 */

let database: TestDatabase;
let directory: string;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-ingest-resend-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

const HEADER =
  "i94_number,family_name,given_names,date_of_birth,class_of_admission,admission_date,admit_until";

/** An admission file of `[i94_number, admit_until]` rows. */
function admissionFile(name: string, rows: ReadonlyArray<readonly [string, string]>): string {
  const file = path.join(directory, name);
  const lines = rows.map(([i94, until]) => `${i94},Doe,Jane,1990-01-01,B2,2023-02-01,${until}`);
  fs.writeFileSync(file, `${[HEADER, ...lines].join("\n")}\n`);
  return file;
}

const ingest = (file: string, batchSize = 2) =>
  ingestFile({ pool: database.pool, feed: "admission", file, batchSize });

async function counts(): Promise<{ records: number; batches: number; events: number }> {
  const { rows } = await database.pool.query<{ records: number; batches: number; events: number }>(`
    SELECT (SELECT count(*)::integer FROM source_record) AS records,
           (SELECT count(*)::integer FROM ingest_batch) AS batches,
           (SELECT count(*)::integer FROM outbox_event) AS events`);
  return rows[0]!;
}

async function untilOf(i94: string): Promise<string[]> {
  const versions = await findRecordVersions(database.db, "admission", i94);
  return versions.map((version) => String(version.fields.admit_until));
}

describe("re-sending a file", () => {
  it("versions a re-send that reverts corrections, and a plain re-run of it stays unchanged", async () => {
    const keys = ["REV00000001", "REV00000002", "REV00000003", "REV00000004", "REV00000005"];
    const original = keys.map((key) => [key, "2023-08-01"] as const);
    const first = admissionFile("revert-original.csv", original);
    expect(await ingest(first)).toMatchObject({ read: 5, new: 5, corrected: 0, unchanged: 0 });

    const changed = admissionFile(
      "revert-changed.csv",
      keys.map((key) => [key, "2024-12-31"] as const),
    );
    expect(await ingest(changed)).toMatchObject({ read: 5, new: 0, corrected: 5, unchanged: 0 });

    // A byte-identical copy of the original: its chain digests are committed, but every key has a
    // version written since by another run, so its values are corrections again.
    const copy = path.join(directory, "revert-copy.csv");
    fs.copyFileSync(first, copy);
    expect(await ingest(copy)).toMatchObject({ read: 5, new: 0, corrected: 5, unchanged: 0 });
    for (const key of keys) expect(await untilOf(key)).toEqual(["2023-08-01", "2024-12-31", "2023-08-01"]);

    // Nothing written since: the same file, its copy, or the whole file in one batch write nothing.
    const before = await counts();
    for (const [file, batchSize] of [
      [copy, 2],
      [first, 2],
      [first, 5000],
    ] as const) {
      expect(await ingest(file, batchSize)).toMatchObject({
        read: 5,
        new: 0,
        corrected: 0,
        unchanged: 5,
        batchesWritten: 0,
      });
    }
    expect(await counts()).toEqual(before);
    for (const key of keys) expect(await untilOf(key)).toEqual(["2023-08-01", "2024-12-31", "2023-08-01"]);
  });

  it("versions a revert of a key the file holds twice in file order, then is idempotent again", async () => {
    // KEY twice, in different batches (rows 1 and 4 of batches of 2).
    const rows = [
      ["TWICE000001", "2023-01-01"],
      ["TWICE000002", "2023-01-01"],
      ["TWICE000003", "2023-01-01"],
      ["TWICE000001", "2023-06-30"],
    ] as const;
    const file = admissionFile("twice.csv", rows);
    expect(await ingest(file)).toMatchObject({ new: 3, corrected: 1, unchanged: 0 });
    // A plain re-run: the later version of TWICE000001 is the same run's, not a change.
    expect(await ingest(file)).toMatchObject({ new: 0, corrected: 0, unchanged: 4, batchesWritten: 0 });

    const other = admissionFile("twice-other.csv", [["TWICE000001", "2025-01-01"]]);
    expect(await ingest(other)).toMatchObject({ corrected: 1 });
    expect(await ingest(file)).toMatchObject({ new: 0, corrected: 2, unchanged: 2 });
    expect(await untilOf("TWICE000001")).toEqual([
      "2023-01-01",
      "2023-06-30",
      "2025-01-01",
      "2023-01-01",
      "2023-06-30",
    ]);
    const before = await counts();
    expect(await ingest(file)).toMatchObject({ new: 0, corrected: 0, unchanged: 4, batchesWritten: 0 });
    expect(await counts()).toEqual(before);
  });

  it("resumes an interrupted run as that run: a later re-run stays unchanged", async () => {
    // The prefix stands for a run interrupted after its first two batches (the same chain digests).
    const rows = [
      ["RESUME00001", "2023-01-01"],
      ["RESUME00002", "2023-01-01"],
      ["RESUME00003", "2023-01-01"],
      ["RESUME00004", "2023-01-01"],
      ["RESUME00001", "2023-09-09"],
      ["RESUME00005", "2023-01-01"],
    ] as const;
    const prefix = admissionFile("resume-prefix.csv", rows.slice(0, 4));
    const whole = admissionFile("resume-whole.csv", rows);
    expect(await ingest(prefix)).toMatchObject({ new: 4, batchesWritten: 2 });
    expect(await ingest(whole)).toMatchObject({ new: 1, corrected: 1, unchanged: 4, batchesSkipped: 2 });
    const before = await counts();
    expect(await ingest(whole)).toMatchObject({ new: 0, corrected: 0, unchanged: 6, batchesWritten: 0 });
    expect(await counts()).toEqual(before);
    expect(await untilOf("RESUME00001")).toEqual(["2023-01-01", "2023-09-09"]);
  });
});
