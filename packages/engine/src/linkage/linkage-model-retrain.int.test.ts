import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AuditedAccess } from "@passage/access";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLinkageService, type LinkageService } from "./linkage-service.ts";
import { membershipOf, operatorAccess, TEST_TRAINING } from "./testing/linkage-population.ts";
import { ingestSmallTable, SMALL_TABLE_FIRST, SMALL_TABLE_LATER } from "./testing/small-table.ts";

let database: TestDatabase;
let closeAccess: () => Promise<void>;
let operator: AuditedAccess;
let linkage: LinkageService;
let directory: string;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ operator, close: closeAccess } = operatorAccess(database));
  linkage = createLinkageService({ store: database });
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-retrain-"));
});
afterAll(async () => {
  await closeAccess();
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

/** Rita Removed's records: an admission, a court decision, a custody booking, a departure. */
const RITA = ["admission:20000000400", "court:CE-4", "custody:B-4", "departure:D-4"];

describe("passage link on a table that outgrew its model", () => {
  let ritaPerson: string;

  it("makes v1 of the built-in default parameters on 14 records (too few to train on), says so, and links them", async () => {
    await ingestSmallTable(database, directory, "first", SMALL_TABLE_FIRST);
    const report = await linkage.linkAll(operator, { training: TEST_TRAINING });
    expect(report).toMatchObject({
      modelVersion: 1,
      trained: true,
      trainedBecause: null,
      modelTrainedOnRecords: 14,
      modelDefaultParameters: "14 records, fewer than the 100 needed to train on",
      records: 14,
      // One person per A-number: a model trained on 14 records linked none of them.
      persons: 10,
    });
    expect(report.autoLinkPairs).toBeGreaterThan(0);
    expect((await linkage.activeModel(operator))?.records).toBe(14);
    const first = await membershipOf(database);
    expect(RITA.slice(0, 3).map((record) => first.get(record))).toEqual(
      RITA.slice(0, 3).map(() => first.get(RITA[0]!)),
    );
    // A reviewer joins two of Rita's records: the retrained run must honour it and keep the id.
    const decided = await linkage.decidePair(operator, RITA[0]!, RITA[1]!, {
      decision: "must_link",
      reason: "same A-number, name and date of birth (reviewed)",
    });
    ritaPerson = decided.persons[RITA[0]!]!;
    expect(decided.persons[RITA[1]!]).toBe(ritaPerson);
  });

  it("retrains without --train once the table holds twice the records (14 -> 35), and links them", async () => {
    await ingestSmallTable(database, directory, "later", SMALL_TABLE_LATER);
    const report = await linkage.linkAll(operator, { training: TEST_TRAINING });
    expect(report.autoLinkPairs).toBeGreaterThan(0);
    const members = await membershipOf(database);
    expect(RITA.map((record) => members.get(record))).toEqual(RITA.map(() => ritaPerson));
    expect(report).toMatchObject({
      modelVersion: 2,
      trained: true,
      trainedBecause: "the table grew from 14 to 35 records since v1",
      modelTrainedOnRecords: 35,
      modelDefaultParameters: "35 records, fewer than the 100 needed to train on",
      records: 35,
      persons: 13,
      decisionsHonoured: 1,
    });
  });

  it("reuses the new model when the table has not grown again", async () => {
    const report = await linkage.linkAll(operator, { training: TEST_TRAINING });
    expect(report).toMatchObject({
      modelVersion: 2,
      trained: false,
      trainedBecause: null,
      personsChanged: 0,
    });
  });

  it("takes the count from the artefact when the stored row has none, and never retrains a model whose count is unknown", async () => {
    const { rows } = await database.pool.query<{ artefact: string }>(
      "SELECT artefact FROM linkage_model WHERE version = 2",
    );
    const artefact = JSON.parse(rows[0]!.artefact);
    expect(artefact.training.records).toBe(35);
    await database.pool.query("UPDATE linkage_model SET records = 0 WHERE version = 2");
    const fromArtefact = await createLinkageService({ store: database }).linkAll(operator);
    expect(fromArtefact).toMatchObject({ modelVersion: 2, trained: false, modelTrainedOnRecords: 35 });

    // An older artefact without the count: as if trained on 1 record, but unknown, so kept.
    delete artefact.training.records;
    await database.pool.query("UPDATE linkage_model SET artefact = $1 WHERE version = 2", [
      JSON.stringify(artefact),
    ]);
    const unknown = await createLinkageService({ store: database }).linkAll(operator);
    expect(unknown).toMatchObject({
      modelVersion: 2,
      trained: false,
      trainedBecause: null,
      modelTrainedOnRecords: null,
    });
  });
});
