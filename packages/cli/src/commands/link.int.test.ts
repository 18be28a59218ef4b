import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ingestSynthFiles,
  removeSynthFiles,
  writeSynthFiles,
} from "../../../engine/src/linkage/testing/linkage-population.ts";
import { runPassage } from "../testing/run-passage.ts";

let database: TestDatabase;
let dataDir: string;
let truthFile: string;
let oneRecordTruth: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-link-"));
  const files = await writeSynthFiles(200, "cli-link");
  await ingestSynthFiles(database, files);
  removeSynthFiles(files);
  truthFile = path.join(dataDir, "truth.csv");
  fs.writeFileSync(
    truthFile,
    `feed,key,person_id\n${[...files.truth].map(([record, person]) => `${record.replace(":", ",")},${person}`).join("\n")}\n`,
  );
  const [record, person] = [...files.truth][0]!;
  oneRecordTruth = path.join(dataDir, "one-record.csv");
  fs.writeFileSync(oneRecordTruth, `feed,key,person_id\n${record.replace(":", ",")},${person}\n`);
});

afterAll(async () => {
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const run = (args: string[]) =>
  runPassage(["--data-dir", dataDir, ...args], { env: { DATABASE_URL: database.url } });

describe("passage link", () => {
  it("with --evaluate prints precision, recall and F1 on the first line, then the table and cluster figures", async () => {
    const result = await run(["link", "--evaluate", truthFile]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^precision=[01]\.\d{6} recall=[01]\.\d{6} f1=[01]\.\d{6}$/);
    const [precision, recall] = [...lines[0]!.matchAll(/=([\d.]+)/g)].map((match) => Number(match[1]));
    expect(precision).toBeGreaterThan(0.99);
    expect(recall).toBeGreaterThan(0.85);
    expect(lines[1]).toBe("threshold  precision  recall     f1");
    expect(lines.some((line) => /^0\.999 +[01]\.\d{6}/.test(line))).toBe(true);
    expect(lines.find((line) => line.startsWith("clusters:"))).toMatch(/merged_with_different_a_numbers=0 /);
    expect(lines.find((line) => line.startsWith("review band:"))).toMatch(
      /^review band: pairs=\d+ true_matches=\d+ queue_items=\d+/,
    );
    expect(result.stdout).toMatch(/model=v1 \(trained\)/);
  });

  it("with --json prints exactly one JSON document; a second run keeps every person; the model can be saved", async () => {
    const modelFile = path.join(dataDir, "model.json");
    const result = await run(["link", "--json", "--model-out", modelFile]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ trained: false, modelVersion: 1, personsChanged: 0, personsCreated: 0 });
    expect(report.records).toBeGreaterThan(800);
    expect(JSON.parse(fs.readFileSync(modelFile, "utf8")).schema).toBe("passage.linkage-model");
  });

  it("lists the review queue", async () => {
    const list = await run(["review", "list", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(list.stdout))).toBe(true);
  });

  it("refuses the review queue to a role that may read no review item, as the API does, not with []", async () => {
    const added = await run(["users", "add", "planner.cli", "--role", "transport_planner"]);
    expect(added.code, added.stderr).toBe(0);
    const list = await run(["review", "list", "--as", "planner.cli", "--json"]);
    expect(list.stdout).toBe("");
    expect(list.stderr).toMatch(/^error PASSAGE_ERR_ACCESS_DENIED: /m);
    expect(list.code).toBe(5);
  });

  it("prints precision, recall and F1 as n/a with notes when one record leaves them 0/0", async () => {
    const result = await run(["link", "--evaluate", oneRecordTruth]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("precision=n/a recall=n/a f1=n/a");
    expect(lines).toContain(
      "note: no two records evaluated were linked: precision and F1 are undefined (n/a)",
    );
  });

  it("says a truth file that does not exist is not found (exit 3)", async () => {
    const missing = path.join(dataDir, "missing.csv");
    const result = await run(["link", "--evaluate", missing]);
    expect(result.code).toBe(3);
    expect(result.stderr.trim()).toBe(`error PASSAGE_ERR_LINK_TRUTH_NOT_FOUND: no truth file ${missing}`);
  });

  it("refuses a truth file it cannot read, with one coded line", async () => {
    const bad = path.join(dataDir, "bad.csv");
    fs.writeFileSync(bad, "id,who\n1,2\n");
    const result = await run(["link", "--evaluate", bad]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toMatch(
      /^error PASSAGE_ERR_LINK_TRUTH_INVALID: truth file .*feed,key,person_id/m,
    );
  });
});
