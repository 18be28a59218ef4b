import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ingestSmallTable,
  SMALL_TABLE_FIRST,
  SMALL_TABLE_LATER,
} from "../../../engine/src/linkage/testing/small-table.ts";
import { runPassage } from "../testing/run-passage.ts";

let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-link-retrain-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const run = (args: string[]) =>
  runPassage(["--data-dir", dataDir, ...args], { env: { DATABASE_URL: database.url } });

/** The truth of the hand-made table: every record of one A-number is one person. */
function truthFile(): string {
  const lines = ["feed,key,person_id"];
  for (const { feed, csv } of [...SMALL_TABLE_FIRST, ...SMALL_TABLE_LATER]) {
    const [header, ...rows] = csv.split("\n");
    const aNumber = header!.split(",").indexOf("a_number");
    for (const row of rows) {
      const cells = row.split(",");
      lines.push(`${feed},${cells[0]},${cells[aNumber]}`);
    }
  }
  const file = path.join(dataDir, "truth.csv");
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

describe("passage link on a small table", () => {
  it("links 14 records with built-in default parameters (too few to train on), saying so on stderr", async () => {
    await ingestSmallTable(database, dataDir, "first", SMALL_TABLE_FIRST);
    const result = await run(["link"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ model=v1 \(defaults\)\n/);
    expect(result.stdout).toMatch(/^records=14 persons=10 /m);
    expect(Number(/^auto_link_pairs=(\d+) /m.exec(result.stdout)?.[1])).toBeGreaterThan(0);
    expect(result.stderr).toMatch(
      /^warning: model v1 holds built-in default parameters, not trained ones \(14 records, fewer than the 100 needed to train on\)/m,
    );
    expect(result.stdout).not.toMatch(/warning/);
  });

  it("retrains without --train once the table has doubled, saying why, and links the records", async () => {
    await ingestSmallTable(database, dataDir, "later", SMALL_TABLE_LATER);
    const result = await run(["link"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ model=v2 \(defaults: the table grew from 14 to 35 records since v1\)\n/);
    expect(Number(/^auto_link_pairs=(\d+) /m.exec(result.stdout)?.[1])).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/^warning: model v2 holds built-in default parameters/m);
  });

  it("keeps --evaluate's first stdout line exact (the warning is on stderr) and reuses the model", async () => {
    const result = await run(["link", "--evaluate", truthFile()]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split("\n")[0]).toMatch(/^precision=\S+ recall=\S+ f1=\S+$/);
    expect(result.stdout).toMatch(/ model=v2 \(reused\)\n/);
    expect(result.stderr).toMatch(/^warning: model v2 holds built-in default parameters/m);
  });
});
