import type { AuditedAccess } from "@passage/access";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETRAIN_GROWTH_FACTOR } from "./active-model.ts";
import { createLinkageService, type LinkageService } from "./linkage-service.ts";
import {
  holdOutRows,
  ingestSynthFiles,
  membershipOf,
  operatorAccess,
  removeSynthFiles,
  type SynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "./testing/linkage-population.ts";

let database: TestDatabase;
let closeAccess: () => Promise<void>;
let operator: AuditedAccess;
let linkage: LinkageService;
let population: SynthFiles;
let arrivals: SynthFiles;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ operator, close: closeAccess } = operatorAccess(database));
  linkage = createLinkageService({ store: database });
  population = await writeSynthFiles(300, "model-growth");
  const split = holdOutRows(population, 100, 11);
  arrivals = split.arrivals;
  await ingestSynthFiles(database, split.base);
});
afterAll(async () => {
  await closeAccess();
  await database.drop();
  removeSynthFiles(population);
});

describe("passage link keeps its model while the table grows less than the retrain factor", () => {
  it("reuses the model after 1% more records (no retrain) and keeps at least 99% of person ids", async () => {
    const first = await linkage.linkAll(operator, { training: TEST_TRAINING });
    expect(first).toMatchObject({ modelVersion: 1, trained: true, modelTrainedOnRecords: first.records });
    const before = await membershipOf(database);
    await ingestSynthFiles(database, arrivals);
    const report = await linkage.linkAll(operator, { training: TEST_TRAINING });
    expect(report.records).toBeGreaterThan(first.records);
    expect(report.records).toBeLessThan(first.records * RETRAIN_GROWTH_FACTOR);
    expect(report).toMatchObject({
      modelVersion: 1,
      trained: false,
      trainedBecause: null,
      modelTrainedOnRecords: first.records,
    });
    const after = await membershipOf(database);
    const previousPersons = new Map<string, string[]>();
    for (const [key, person] of before)
      previousPersons.set(person, [...(previousPersons.get(person) ?? []), key]);
    let kept = 0;
    for (const [person, keys] of previousPersons)
      if (keys.every((key) => after.get(key) === person)) kept += 1;
    expect(kept / previousPersons.size).toBeGreaterThanOrEqual(0.99);
  });
});
