import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../store.ts";
import { APPLICATION_ROLE, embeddedLayout } from "./embedded-server.ts";

// The embedded database's roles: Passage's own connections are not a superuser and do not own the
// audit log's tables, so the database itself refuses to let them switch the append-only triggers
// off (review finding: the app connected as the superuser owning them, and
// `SET session_replication_role = replica` let UPDATE and DELETE of entries through).
// Skipped against an external PostgreSQL (CI's second target): there the operator's roles apply.
const external = Boolean(process.env.PASSAGE_TEST_DATABASE_URL);

const directories: string[] = [];
const stores: Store[] = [];

async function openFresh(directory = makeDirectory()): Promise<Store> {
  const store = await openStore({ dataDir: directory, maxConnections: 2 });
  stores.push(store);
  return store;
}

function makeDirectory(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-roles-"));
  fs.chmodSync(directory, 0o755);
  directories.push(directory);
  return directory;
}

/** The error PostgreSQL answers `text` with, as the store's own connection (undefined: none). */
async function refusal(store: Store, text: string): Promise<string | undefined> {
  try {
    await store.db.transaction().execute((transaction) => sql.raw(text).execute(transaction));
    return undefined;
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  for (const directory of directories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
});

describe.skipIf(external)("the embedded database's roles", () => {
  it("connects Passage as a role that is no superuser and cannot switch the audit log's triggers off", async () => {
    const store = await openFresh();
    const { rows } = await sql<{ role: string; superuser: boolean }>`
      SELECT current_user AS role, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user
    `.execute(store.db);
    expect(rows).toEqual([{ role: APPLICATION_ROLE, superuser: false }]);

    for (const statement of [
      "SET session_replication_role = replica",
      "ALTER TABLE audit_entry DISABLE TRIGGER USER",
      "ALTER TABLE audit_log_head DISABLE TRIGGER audit_log_head_forward",
      "ALTER TABLE audit_checkpoint DISABLE TRIGGER USER",
      "DROP TABLE audit_entry",
      "DELETE FROM audit_log_head",
      "TRUNCATE audit_checkpoint",
      "CREATE OR REPLACE FUNCTION passage_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
      "CREATE TRIGGER letting_through BEFORE UPDATE ON audit_entry FOR EACH ROW EXECUTE FUNCTION passage_refuse_change()",
    ]) {
      expect(await refusal(store, statement), statement).toMatch(/^42501: /);
    }
  });

  it("lets Passage append to the audit log, own its projections and swap tables in", async () => {
    const store = await openFresh();
    const owners = await sql<{ table: string; owner: string }>`
      SELECT tablename AS table, tableowner AS owner FROM pg_tables
      WHERE schemaname = 'public' AND tablename IN ('audit_entry', 'person_status', 'source_record')
      ORDER BY 1
    `.execute(store.db);
    expect(owners.rows).toEqual([
      { table: "audit_entry", owner: "passage" },
      { table: "person_status", owner: APPLICATION_ROLE },
      { table: "source_record", owner: APPLICATION_ROLE },
    ]);
    const privileges = await sql<{ insert: boolean; update: boolean; head_update: boolean }>`
      SELECT has_table_privilege('audit_entry', 'INSERT') AS insert,
             has_table_privilege('audit_entry', 'UPDATE') AS update,
             has_table_privilege('audit_log_head', 'UPDATE') AS head_update
    `.execute(store.db);
    expect(privileges.rows).toEqual([{ insert: true, update: false, head_update: true }]);
    // What `passage rebuild` does to person_status.
    expect(
      await refusal(
        store,
        "CREATE TABLE person_status_trial (LIKE person_status); DROP TABLE person_status_trial; ANALYZE person_status",
      ),
    ).toBeUndefined();
  });

  it("gives a directory made before the application role existed its role at the next start", async () => {
    const directory = makeDirectory();
    const first = await openFresh(directory);
    await first.close();
    stores.splice(stores.indexOf(first), 1);
    const stateFile = embeddedLayout(directory).stateFile;
    const { appPassword: _dropped, ...older } = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    fs.writeFileSync(stateFile, JSON.stringify(older));

    const again = await openFresh(directory);
    const { rows } = await sql<{ role: string }>`SELECT current_user AS role`.execute(again.db);
    expect(rows).toEqual([{ role: APPLICATION_ROLE }]);
    expect(JSON.parse(fs.readFileSync(stateFile, "utf8")).appPassword).toMatch(/^[0-9a-f]{48}$/);
  });
});
