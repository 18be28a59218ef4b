import { type Kysely, sql } from "kysely";
import { APPLICATION_ROLE } from "./embedded-server.ts";

/**
 * The audit log's tables: appended to by Passage, never changed. They belong to the cluster's
 * superuser and the application role holds only what appending needs (the head moves forward by
 * UPDATE, which its trigger checks), so no connection Passage opens can disable their triggers
 * (`ALTER TABLE ... DISABLE TRIGGER` needs the owner; `session_replication_role` a superuser).
 */
export const EVIDENCE_TABLE_PRIVILEGES: Readonly<Record<string, string>> = {
  audit_entry: "SELECT, INSERT",
  audit_checkpoint: "SELECT, INSERT",
  audit_log_head: "SELECT, UPDATE",
};

/** Serialises concurrent starts securing the same database (any constant of Passage's own). */
const SECURE_LOCK = 7_061_737_361_676_502n;

interface OwnedObject {
  readonly kind: "table" | "view" | "materialized view" | "sequence" | "function";
  readonly name: string;
  readonly owner: string;
}

/**
 * Gives the embedded database its two roles' shares, run as the superuser after migrating (every
 * start; it changes nothing once done): every table, view and free-standing sequence of the public
 * schema belongs to the application role, which runs Passage (its rebuilds create, swap and drop
 * projection tables), except the evidence tables, which belong to the superuser with the grants of
 * `EVIDENCE_TABLE_PRIVILEGES`; every function (the append-only triggers' among them) belongs to
 * the superuser, so the application role cannot replace a trigger's function with one that lets
 * changes through. A database migrated by the application role itself (tests do) is put right the
 * same way. Only for the embedded server: with DATABASE_URL the operator's roles apply (README).
 */
// biome-ignore lint/suspicious/noExplicitAny: runs on any schema.
export async function secureEmbeddedDatabase(admin: Kysely<any>): Promise<void> {
  await admin.transaction().execute(async (transaction) => {
    await sql`SELECT pg_advisory_xact_lock(${SECURE_LOCK})`.execute(transaction);
    const { rows } = await sql<OwnedObject>`
      SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                            WHEN 'S' THEN 'sequence' ELSE 'table' END AS kind,
             quote_ident(c.relname) AS name, pg_get_userbyid(c.relowner) AS owner
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        -- a sequence of a serial or identity column follows its table's owner
        AND NOT (c.relkind = 'S' AND EXISTS (
          SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
            AND d.deptype IN ('a', 'i')))
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
      UNION ALL
      SELECT 'function', p.oid::regprocedure::text, pg_get_userbyid(p.proowner)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    `.execute(transaction);
    const superuser = (await sql<{ name: string }>`SELECT current_user AS name`.execute(transaction)).rows[0]!
      .name;
    for (const object of rows) {
      const evidence = object.kind === "table" && object.name in EVIDENCE_TABLE_PRIVILEGES;
      const owner = evidence || object.kind === "function" ? superuser : APPLICATION_ROLE;
      if (object.owner !== owner) {
        await sql
          .raw(`ALTER ${object.kind.toUpperCase()} ${object.name} OWNER TO ${quoteRole(owner)}`)
          .execute(transaction);
      }
      if (
        evidence &&
        (await privilegesOf(transaction, object.name)) !== EVIDENCE_TABLE_PRIVILEGES[object.name]
      ) {
        await sql.raw(`REVOKE ALL ON ${object.name} FROM ${APPLICATION_ROLE}`).execute(transaction);
        await sql
          .raw(`GRANT ${EVIDENCE_TABLE_PRIVILEGES[object.name]} ON ${object.name} TO ${APPLICATION_ROLE}`)
          .execute(transaction);
      }
    }
  });
}

const TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];

/** The application role's privileges on a table, as `EVIDENCE_TABLE_PRIVILEGES` writes them. */
// biome-ignore lint/suspicious/noExplicitAny: runs on any schema.
async function privilegesOf(executor: Kysely<any>, table: string): Promise<string> {
  const { rows } = await sql<{ privilege: string }>`
    SELECT p AS privilege FROM unnest(${TABLE_PRIVILEGES}::text[]) WITH ORDINALITY AS t(p, position)
    WHERE has_table_privilege(${APPLICATION_ROLE}, ${table}::regclass, p) ORDER BY position
  `.execute(executor);
  return rows.map((row) => row.privilege).join(", ");
}

function quoteRole(role: string): string {
  return `"${role.replaceAll('"', '""')}"`;
}
