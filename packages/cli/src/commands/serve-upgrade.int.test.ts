import { PersonsChanged } from "@passage/core";
import { createRowIngestor } from "@passage/engine";
import { appendOutboxEvents, executeSql, outboxEventOf } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";
import { ingestFinalOrderPerson } from "../testing/final-order-person.ts";
import { servePassage } from "../testing/serve-passage.ts";

// After an upgrade whose lifecycle derivation changed (a legal fix), the statuses stored by the
// earlier version are out of date under the same rules. Re-deriving a person only when a record
// changed left the fix unapplied (the worklist kept listing whom the earlier derivation found
// removable); now status reads and writes refuse them, and `passage serve` rebuilds before serving.
const bed = useCliTestBed("serve-upgrade", seedFinalOrder);

/** P-1: admitted, then ordered removed in absentia (a final order: actionable). */
async function seedFinalOrder(database: TestDatabase): Promise<void> {
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  await ingestFinalOrderPerson(ingestor);
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
  const serving = await servePassage({ cwd: bed.directory, databaseUrl: bed.database.url });
  serving.child.kill("SIGTERM");
  expect(await serving.exited, serving.stderr()).toBe(0);
  return serving.stderr();
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
    // The worklist is ranked from those statuses: refused alike, not shown as current.
    const worklist = await bed.run(["worklist", "--json"]);
    expect(worklist.code).toBe(4);
    expect(worklist.stdout).toBe("");
    expect(worklist.stderr).toMatch(/^error PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE: /);
    // So is a transport plan made from them.
    const plan = await bed.run(["plan-transport", "--from", "2030-01-01", "--to", "2030-01-10", "--json"]);
    expect(plan.code).toBe(4);
    expect(plan.stderr).toMatch(/^error PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE: /);

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
    const listed = await bed.run(["worklist", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).map((entry: { person_id: string }) => entry.person_id)).toEqual(["P-1"]);
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
