import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catchUpProjections, createProjectionRunner } from "../consumers/projection-runner.ts";
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

// A process keeps the lifecycle rules it read at start. After the rules file is edited and
// `passage rebuild` derives every status under the new rules, a process still holding the old
// ones must not write a status under them (it undid the rebuild person by person): it switches to
// the rules in force when its file now holds them, and refuses to write otherwise.
let database: TestDatabase;
let root: string;

/** Rules under which the person's deferred action no longer holds the removal (left to policy). */
const EDITED_RULES = { policyDependentBlockersHold: ["VICTIM_PROTECTION"] };

beforeAll(async () => {
  database = await createTestDatabase();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "passage-rules-in-force-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(root, { recursive: true, force: true });
});

function writeRules(dataDir: string, rules: object | undefined): void {
  const file = path.join(dataDir, LIFECYCLE_RULES_FILE);
  if (rules === undefined) fs.rmSync(file, { force: true });
  else fs.writeFileSync(file, JSON.stringify(rules));
}

async function appIn(name: string, rules: object | undefined): Promise<App> {
  const dataDir = path.join(root, name);
  fs.mkdirSync(dataDir, { recursive: true });
  writeRules(dataDir, rules);
  return createApp(
    loadConfigOrThrow({
      cwd: dataDir,
      env: {},
      overrides: { dataDir, databaseUrl: database.url, logLevel: "silent" },
    }),
  );
}

async function storedStatus(app: App): Promise<{ actionable: boolean; input_digest: string }> {
  const { rows } = await app.store.pool.query<{ actionable: boolean; input_digest: string }>(
    "SELECT actionable, input_digest FROM person_status WHERE person_id = 'P-78'",
  );
  return rows[0]!;
}

describe("the lifecycle rules in force", () => {
  it("a process with the old rules writes no status under them after a rebuild: it refuses, then switches once its file holds the new rules", async () => {
    const asOf = todayUtc();
    const running = await appIn("running", undefined);
    const rebuilder = await appIn("rebuilder", EDITED_RULES);
    try {
      const ingestor = createRowIngestor({ pool: running.store.pool, sourceName: "test", maxDelayMs: 1 });
      await ingestPerson(running.store, ingestor, "P-78", removalCaseRows({ number: 78, asOf }));
      const daca = {
        receipt_number: "IOE0000780001",
        family_name: "Testperson78",
        given_names: "Ana",
        date_of_birth: "1985-05-05",
        a_number: "A200000078",
        form_type: "I-821D",
        event: "approved",
        event_date: dayFrom(asOf, -100),
        valid_from: dayFrom(asOf, -100),
        valid_to: dayFrom(asOf, 600),
      };
      await ingestor.ingest("benefit", daca);
      await ingestor.close();
      await running.store.pool.query(
        "INSERT INTO person_member (feed, key_value, person_id) VALUES ('benefit', $1, 'P-78')",
        [daca.receipt_number],
      );
      await rederivePersons(running.store, ["P-78"]);
      // The running process (serve, a worker): its handler built once, with the rules of its start.
      const runner = createProjectionRunner(running);
      while ((await runner.catchUp()).applied > 0);
      expect((await storedStatus(running)).actionable).toBe(false);

      // The operator edits the rules and rebuilds from another process.
      await rebuildProjections(rebuilder);
      while ((await catchUpProjections(rebuilder)).applied > 0);
      const rebuilt = await storedStatus(rebuilder);
      expect(rebuilt.actionable).toBe(true);

      // An unrelated change names the person: the running process's file still holds the old rules.
      await rederivePersons(running.store, ["P-78"]);
      const refused = await runner.catchUp().then(
        () => undefined,
        (error: unknown) => error,
      );
      // The consumer stays at the event before and retries; its failure is the rules' refusal itself.
      expect(refused).toMatchObject({ code: "PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE" });
      const message = (refused as Error).message;
      expect(message).toContain("the database's statuses were derived with lifecycle rules");
      expect(message).toContain(rebuilder.lifecycle.rulesInForce.digest);
      expect(message).toContain(running.lifecycle.rulesInForce.digest);
      expect(message).toContain("run `passage rebuild`");
      expect(await storedStatus(running)).toEqual(rebuilt);
      await expect(running.lifecycle.statusOfPerson("P-78")).rejects.toMatchObject({
        code: "PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE",
      });

      // Its file now holds the rules the database was rebuilt with: it switches to them and goes on.
      writeRules(running.config.dataDir, EDITED_RULES);
      while ((await runner.catchUp()).applied > 0);
      expect(await storedStatus(running)).toEqual(rebuilt);
      expect((await running.lifecycle.statusOfPerson("P-78")).actionable).toBe(true);
      expect(running.lifecycle.rulesInForce.digest).toBe(rebuilder.lifecycle.rulesInForce.digest);
      const recorded = await running.store.pool.query(
        "SELECT rules_digest, recorded_by FROM lifecycle_rules_in_force",
      );
      expect(recorded.rows).toEqual([
        { rules_digest: rebuilder.lifecycle.rulesInForce.digest, recorded_by: "rebuild" },
      ]);
      await runner.stop();
    } finally {
      await running.shutdown();
      await rebuilder.shutdown();
    }
  });

  it("a refresh of due statuses under other rules writes nothing", async () => {
    const stale = await appIn("stale", undefined);
    try {
      await expect(stale.lifecycle.refreshDue(dayFrom(todayUtc(), 4000))).rejects.toMatchObject({
        code: "PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE",
      });
    } finally {
      await stale.shutdown();
    }
  });
});
