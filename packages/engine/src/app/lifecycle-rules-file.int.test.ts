import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catchUpProjections } from "../consumers/projection-runner.ts";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import { todayUtc } from "../lifecycle/lifecycle-service.ts";
import {
  dayFrom,
  ingestPerson,
  rederivePersons,
  removalCaseRows,
} from "../worklist/testing/removal-cases.ts";
import { LIFECYCLE_RULES_FILE, loadConfigOrThrow } from "./config.ts";
import { type App, createApp } from "./create-app.ts";
import { rebuildProjections } from "./rebuild-projections.ts";

// The data directory's rules file changes the lifecycle's rules for every process on it: the
// status answer and the projection (what the worklist reads) alike.
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-rules-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function appWithRules(rules: object | undefined): Promise<App> {
  const file = path.join(dataDir, LIFECYCLE_RULES_FILE);
  if (rules === undefined) fs.rmSync(file, { force: true });
  else fs.writeFileSync(file, JSON.stringify(rules));
  return createApp(
    loadConfigOrThrow({
      cwd: dataDir,
      env: {},
      overrides: { dataDir, databaseUrl: database.url, logLevel: "silent" },
    }),
  );
}

describe("the lifecycle rules file", () => {
  it("leaves current deferred action to the published policy when it says so, in the answer and the projection", async () => {
    const asOf = todayUtc();
    const daca = {
      receipt_number: "IOE0000770001",
      family_name: "Testperson77",
      given_names: "Ana",
      date_of_birth: "1985-05-05",
      a_number: "A200000077",
      form_type: "I-821D",
      event: "approved",
      event_date: dayFrom(asOf, -100),
      valid_from: dayFrom(asOf, -100),
      valid_to: dayFrom(asOf, 600),
    };
    const stored = async (app: App) =>
      (
        await app.store.pool.query<{ actionable: boolean }>(
          "SELECT actionable FROM person_status WHERE person_id = 'P-77'",
        )
      ).rows[0]?.actionable;
    const answer = async (app: App) => (await app.lifecycle.statusOfPerson("P-77")).status;

    const held = await appWithRules(undefined);
    try {
      const ingestor = createRowIngestor({ pool: held.store.pool, sourceName: "test", maxDelayMs: 1 });
      await ingestPerson(held.store, ingestor, "P-77", removalCaseRows({ number: 77, asOf }));
      await ingestor.ingest("benefit", daca);
      await ingestor.close();
      await held.store.pool.query(
        "INSERT INTO person_member (feed, key_value, person_id) VALUES ('benefit', $1, 'P-77')",
        [daca.receipt_number],
      );
      await rederivePersons(held.store, ["P-77"]);
      while ((await catchUpProjections(held)).applied > 0);
      expect(await stored(held)).toBe(false);
      expect((await answer(held)).blockers.map((blocker) => blocker.code)).toContain("DEFERRED_ACTION");
    } finally {
      await held.shutdown();
    }

    const leftToPolicy = await appWithRules({ policyDependentBlockersHold: ["VICTIM_PROTECTION"] });
    try {
      // The stored statuses were derived under the other rules: until `passage rebuild` puts the
      // edited file in force, no answer or status is derived under it (README, "Upgrading").
      await expect(answer(leftToPolicy)).rejects.toMatchObject({
        code: "PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE",
      });
      await rebuildProjections(leftToPolicy);
      const status = await answer(leftToPolicy);
      expect(status.blockers.map((blocker) => blocker.code)).not.toContain("DEFERRED_ACTION");
      expect(status.policyConsiderations.map((consideration) => consideration.code)).toEqual([
        "DEFERRED_ACTION",
      ]);
      expect(await stored(leftToPolicy)).toBe(true);
      // And the person touched again (records unchanged) keeps the status the rebuild derived.
      await rederivePersons(leftToPolicy.store, ["P-77"]);
      while ((await catchUpProjections(leftToPolicy)).applied > 0);
      expect(await stored(leftToPolicy)).toBe(true);
    } finally {
      await leftToPolicy.shutdown();
    }
  });
});
