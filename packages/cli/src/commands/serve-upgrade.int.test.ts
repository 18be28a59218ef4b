import { spawn } from "node:child_process";
import { PersonsChanged } from "@passage/core";
import { createRowIngestor } from "@passage/engine";
import { appendOutboxEvents, executeSql, outboxEventOf } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";
import { PASSAGE_BIN } from "../testing/run-passage.ts";

// After an upgrade whose lifecycle derivation changed (a legal fix), the statuses stored by the
// earlier version are out of date under the same rules. Re-deriving a person only when a record
// changed left the fix unapplied (the worklist kept listing whom the earlier derivation found
// removable); now status reads and writes refuse them, and `passage serve` rebuilds before serving.
const bed = useCliTestBed("serve-upgrade", seedFinalOrder);

const identity = {
  family_name: "Moreno",
  given_names: "Lucia",
  date_of_birth: "1990-03-04",
  a_number: "A012345678",
};

/** P-1: admitted, then ordered removed in absentia (a final order: actionable). */
async function seedFinalOrder(database: TestDatabase): Promise<void> {
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  await ingestor.ingest("admission", {
    ...identity,
    i94_number: "12345678901",
    class_of_admission: "B2",
    admission_date: "2024-01-10",
    admit_until: "2024-07-09",
  });
  await ingestor.ingest("court", {
    ...identity,
    court_event_id: "CE-1",
    case_id: "C-1",
    case_type: "RMV",
    event_type: "decision",
    event_date: "2025-02-03",
    outcome: "removal_ordered",
    in_absentia: "Y",
    notice_served: "Y",
    destination_country: "MEX",
  });
  await ingestor.close();
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ('P-1')");
  await executeSql(
    database.db,
    "INSERT INTO person_member (feed, key_value, person_id) VALUES ('admission', '12345678901', 'P-1'), ('court', 'CE-1', 'P-1')",
  );
  await database.db.transaction().execute((transaction) =>
    appendOutboxEvents(transaction, [
      outboxEventOf(PersonsChanged, "P-1", {
        personIds: ["P-1"],
        retiredPersonIds: [],
        reason: "record_linked",
      }),
    ]),
  );
}

/** Starts `passage serve`, waits until it serves, stops it; its stderr. */
async function serveOnce(): Promise<string> {
  const child = spawn(process.execPath, [PASSAGE_BIN, "serve", "--port", "0", "--json"], {
    cwd: bed.directory,
    env: { ...process.env, DATABASE_URL: bed.database.url, PASSAGE_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('"url"')) resolve();
    });
    void exited.then((code) => reject(new Error(`passage serve exited ${code}: ${stderr}`)));
  });
  child.kill("SIGTERM");
  expect(await exited, stderr).toBe(0);
  return stderr;
}

const storedStatus = async () =>
  (
    await bed.database.pool.query<{ primary_state: string; actionable: boolean }>(
      "SELECT primary_state, actionable FROM person_status WHERE person_id = 'P-1'",
    )
  ).rows[0];

const recordedRules = async () =>
  (
    await bed.database.pool.query<{ rules_digest: string; recorded_by: string }>(
      "SELECT rules_digest, recorded_by FROM lifecycle_rules_in_force",
    )
  ).rows[0];

describe("passage serve after an upgrade that changed the lifecycle derivation", () => {
  it("refuses statuses stored by the earlier derivation, then rebuilds them before serving", async () => {
    const rebuilt = await bed.run(["rebuild"]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(await storedStatus()).toEqual({ primary_state: "FINAL_ORDER", actionable: true });
    const current = (await recordedRules())!.rules_digest;

    // What an earlier version left: its digest over the same rules, and its own answer stored.
    await bed.database.pool.query(
      "UPDATE lifecycle_rules_in_force SET rules_digest = 'an-earlier-derivation', recorded_by = 'rebuild'",
    );
    await bed.database.pool.query(
      "UPDATE person_status SET primary_state = 'ADMITTED_FIXED', actionable = false, input_digest = 'earlier' WHERE person_id = 'P-1'",
    );

    const refused = await bed.run(["status", "--record", "court:CE-1", "--json"]);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^error PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE: no status is derived: /);
    expect(refused.stderr).toContain("another version of Passage's lifecycle derivation");
    expect(refused.stderr).toContain("run `passage rebuild`");

    const stderr = await serveOnce();
    expect(stderr).toContain("rebuilding the projections before serving");
    expect(stderr).toMatch(/rebuilt: 1 persons, 1 worklist entries in /);
    expect(await recordedRules()).toEqual({ rules_digest: current, recorded_by: "rebuild" });
    expect(await storedStatus()).toEqual({ primary_state: "FINAL_ORDER", actionable: true });
    expect((await bed.auditEntries("Projection")).at(-1)).toMatchObject({
      actor: "system:local-operator",
      action: "projection.rebuild",
      outcome: "success",
      details: { persons: 1, phase: "finished" },
    });

    const answered = await bed.run(["status", "--record", "court:CE-1", "--json"]);
    expect(answered.code, answered.stderr).toBe(0);
    expect(JSON.parse(answered.stdout)).toMatchObject({ person_id: "P-1", actionable: true });

    // Statuses of this version: nothing to rebuild.
    const rebuilds = (await bed.auditEntries("Projection")).length;
    expect(await serveOnce()).not.toContain("rebuilding");
    expect(await bed.auditEntries("Projection")).toHaveLength(rebuilds);
  });

  it("leaves edited rules to the operator: serve does not put them in force", async () => {
    await bed.database.pool.query(
      `UPDATE lifecycle_rules_in_force
       SET rules_digest = 'edited-rules', rules = rules || '{"thirdCountryDestinationBlocks": false}'::jsonb`,
    );
    const rebuilds = (await bed.auditEntries("Projection")).length;
    expect(await serveOnce()).not.toContain("rebuilding");
    expect(await bed.auditEntries("Projection")).toHaveLength(rebuilds);
    const refused = await bed.run(["status", "--record", "court:CE-1", "--json"]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("after editing lifecycle-rules.json run `passage rebuild`");
  });
});
