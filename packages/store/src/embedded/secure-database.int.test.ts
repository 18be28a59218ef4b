import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Migrator, sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../database.ts";
import { MIGRATIONS } from "../migrations/migrations.ts";
import { openStore, type Store } from "../store.ts";
import { APPLICATION_ROLE, embeddedLayout } from "./embedded-server.ts";
import { APPEND_ONLY_TABLE_PRIVILEGES } from "./secure-database.ts";

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
      // The other append-only tables alike.
      "ALTER TABLE source_record DISABLE TRIGGER source_record_append_only",
      "ALTER TABLE policy_version DISABLE TRIGGER policy_version_immutable",
      "ALTER TABLE linkage_decision DISABLE TRIGGER USER",
      "TRUNCATE redress_event",
      "ALTER ROLE passage_app SUPERUSER",
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
      { table: "source_record", owner: "passage" },
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

  it("holds every table a migration makes append-only among the superuser's", async () => {
    const store = await openFresh();
    const { rows } = await sql<{ table: string; owner: string }>`
      SELECT DISTINCT c.relname AS table, pg_get_userbyid(c.relowner) AS owner
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE NOT t.tgisinternal AND p.proname LIKE 'passage\\_%' ORDER BY 1
    `.execute(store.db);
    expect(rows.map((row) => row.table).sort()).toEqual(Object.keys(APPEND_ONLY_TABLE_PRIVILEGES).sort());
    expect(new Set(rows.map((row) => row.owner))).toEqual(new Set(["passage"]));
  });

  it("never runs what the application role wrote with the superuser's rights (review: two ways to become superuser)", async () => {
    const directory = makeDirectory();
    const store = await openFresh(directory);
    // A SECURITY DEFINER function of its own, which an earlier start handed to the superuser.
    await sql
      .raw(
        "CREATE FUNCTION public.run_as_owner(q text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN EXECUTE q; END $$",
      )
      .execute(store.db);
    // A trigger on the migrations' own table, which fired while the superuser migrated.
    await sql
      .raw(`CREATE TABLE public.who_ran (role text, superuser boolean);
            CREATE FUNCTION public.record_who_ran() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
              INSERT INTO public.who_ran SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user;
              BEGIN EXECUTE 'ALTER ROLE passage_app SUPERUSER'; EXCEPTION WHEN OTHERS THEN NULL; END;
              RETURN NEW; END $$;
            CREATE TRIGGER record_who_ran AFTER INSERT ON kysely_migration FOR EACH ROW EXECUTE FUNCTION public.record_who_ran();`)
      .execute(store.db);
    // The newest migration undone (whichever it is), so that the next start runs it.
    const names = Object.keys(MIGRATIONS).sort();
    const admin = await openDatabase(store.embedded!.adminUrl, { maxConnections: 1 });
    try {
      const migrator = new Migrator({
        db: admin.db,
        provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
      });
      expect((await migrator.migrateTo(names.at(-2)!)).error).toBeUndefined();
    } finally {
      await admin.close();
    }
    await store.close();
    stores.splice(stores.indexOf(store), 1);

    const again = await openFresh(directory);
    const ran = await sql<{ role: string; superuser: boolean }>`SELECT * FROM who_ran`.execute(again.db);
    expect(ran.rows).toEqual([{ role: APPLICATION_ROLE, superuser: false }]);
    const attributes = await sql<{ superuser: boolean; owner: string }>`
      SELECT r.rolsuper AS superuser, pg_get_userbyid(p.proowner) AS owner
      FROM pg_roles r, pg_proc p WHERE r.rolname = ${APPLICATION_ROLE} AND p.proname = 'run_as_owner'
    `.execute(again.db);
    expect(attributes.rows).toEqual([{ superuser: false, owner: APPLICATION_ROLE }]);
    expect(await refusal(again, "SELECT run_as_owner('ALTER ROLE passage_app SUPERUSER')")).toMatch(
      /^42501: /,
    );
    // Its own procedure in public does not stop the next start either (it did: 'is not a function').
    await sql.raw("CREATE PROCEDURE public.nothing() LANGUAGE sql AS 'SELECT 1'").execute(again.db);
    await again.close();
    stores.splice(stores.indexOf(again), 1);
    await (await openFresh(directory)).close();
  });

  it("refuses to start when an append-only table has a trigger Passage did not make", async () => {
    const directory = makeDirectory();
    const store = await openFresh(directory);
    const layout = JSON.parse(fs.readFileSync(embeddedLayout(directory).stateFile, "utf8"));
    const admin = new pg.Client({ connectionString: store.embedded!.adminUrl });
    await admin.connect();
    try {
      // As if planted while the role owned the table (during a migration).
      await admin.query(
        `CREATE FUNCTION public.planted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
         ALTER FUNCTION public.planted() OWNER TO ${APPLICATION_ROLE};
         CREATE TRIGGER planted BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION public.planted()`,
      );
    } finally {
      await admin.end();
    }
    expect(layout.appPassword).toBeDefined();
    await expect(openStore({ dataDir: directory, maxConnections: 1 })).rejects.toMatchObject({
      code: "PASSAGE_ERR_STORE_DATABASE_TAMPERED",
    });
    await expect(openStore({ dataDir: directory, maxConnections: 1 })).rejects.toThrow(
      /refusing to start: an append-only table has a trigger running public\.planted\(\), owned by passage_app/,
    );
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

  it("opens a directory made before the role existed that has a migration pending (an older benchmark directory failed: permission denied for table kysely_migration)", async () => {
    const directory = makeDirectory();
    const first = await openFresh(directory);
    // As the code before the role left a directory: the superuser owns every table, there is no
    // role, and the newest migration is still to run.
    const names = Object.keys(MIGRATIONS).sort();
    const admin = await openDatabase(first.embedded!.adminUrl, { maxConnections: 1 });
    try {
      const { error } = await new Migrator({
        db: admin.db,
        provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
      }).migrateTo(names.at(-2)!);
      expect(error).toBeUndefined();
      await sql.raw(`REASSIGN OWNED BY ${APPLICATION_ROLE} TO CURRENT_USER`).execute(admin.db);
      await sql.raw(`DROP OWNED BY ${APPLICATION_ROLE}`).execute(admin.db);
      await sql.raw(`DROP ROLE ${APPLICATION_ROLE}`).execute(admin.db);
    } finally {
      await admin.close();
    }
    await first.close();
    stores.splice(stores.indexOf(first), 1);
    const stateFile = embeddedLayout(directory).stateFile;
    const { appPassword: _dropped, ...older } = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    fs.writeFileSync(stateFile, JSON.stringify(older));

    const again = await openFresh(directory);
    const { rows } = await sql<{ role: string }>`SELECT current_user AS role`.execute(again.db);
    expect(rows).toEqual([{ role: APPLICATION_ROLE }]);
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(
      again.db,
    );
    expect(applied.rows.map((row) => row.name)).toEqual(names);
    expect(await refusal(again, "ALTER TABLE audit_entry DISABLE TRIGGER ALL")).toMatch(/^42501: /);
  });
});
