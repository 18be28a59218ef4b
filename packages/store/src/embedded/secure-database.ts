import { type Kysely, sql } from "kysely";
import { StoreErrors } from "../errors.ts";
import { APPLICATION_ROLE } from "./embedded-server.ts";

/**
 * The append-only tables (each has triggers refusing UPDATE, DELETE and TRUNCATE, some allowing one
 * narrow change) and what the application role may do on them. They belong to the cluster's
 * superuser, so no connection Passage opens can switch their triggers off (`ALTER TABLE ...
 * DISABLE TRIGGER` needs the owner, `session_replication_role` a superuser): the triggers decide.
 * MAINTAIN lets it ANALYZE them after a load. A test holds this list to every table a migration
 * gives an append-only trigger.
 */
export const APPEND_ONLY_TABLE_PRIVILEGES: Readonly<Record<string, string>> = {
  audit_entry: "SELECT, INSERT, MAINTAIN",
  audit_checkpoint: "SELECT, INSERT, MAINTAIN",
  // The head moves forward by UPDATE, which its trigger checks.
  audit_log_head: "SELECT, UPDATE, MAINTAIN",
  ingest_batch: "SELECT, INSERT, REFERENCES, MAINTAIN",
  source_record: "SELECT, INSERT, REFERENCES, MAINTAIN",
  outbox_event: "SELECT, INSERT, MAINTAIN",
  linkage_decision: "SELECT, INSERT, REFERENCES, MAINTAIN",
  policy_version: "SELECT, INSERT, UPDATE, REFERENCES, MAINTAIN",
  policy_activation: "SELECT, INSERT, REFERENCES, MAINTAIN",
  worklist_override: "SELECT, INSERT, REFERENCES, MAINTAIN",
  worklist_history: "SELECT, INSERT, MAINTAIN",
  redress_event: "SELECT, INSERT, REFERENCES, MAINTAIN",
};

/** The functions the append-only triggers run: the superuser's, so no one else can change them. */
const TRIGGER_FUNCTIONS = [
  "passage_refuse_change",
  "passage_audit_head_forward",
  "passage_policy_version_immutable",
];

/** Serialises concurrent starts securing the same database (any constant of Passage's own). */
const SECURE_LOCK = 7_061_737_361_676_502n;

interface OwnedRelation {
  readonly kind: "table" | "view" | "materialized view" | "sequence";
  readonly name: string;
  readonly owner: string;
}

// biome-ignore lint/suspicious/noExplicitAny: runs on any schema.
type AnyDatabase = Kysely<any>;

/**
 * Before the application role migrates the embedded database (as the superuser, which runs no code
 * of the role's): every table, view and free-standing sequence of the public schema that is not
 * append-only becomes the role's, so that its migrations can change them and its rebuilds create,
 * swap and drop projection tables. A directory made before the role existed had the superuser own
 * them all. With migrations pending, the append-only tables too, since a migration may change one
 * (`secureEmbeddedDatabase` takes them back once it ran). Changing an owner runs nothing of the
 * table's (no trigger, no index expression).
 */
export async function handOverToApplicationRole(
  admin: AnyDatabase,
  options: { readonly appendOnlyTablesToo: boolean },
): Promise<void> {
  await admin.transaction().execute(async (transaction) => {
    await lockAndPinSearchPath(transaction);
    for (const relation of await relationsOf(transaction)) {
      const appendOnly = relation.kind === "table" && relation.name in APPEND_ONLY_TABLE_PRIVILEGES;
      if (appendOnly && !options.appendOnlyTablesToo) continue;
      if (relation.owner === APPLICATION_ROLE) continue;
      await sql
        .raw(`ALTER ${relation.kind.toUpperCase()} public.${relation.name} OWNER TO ${APPLICATION_ROLE}`)
        .execute(transaction);
    }
  });
}

/**
 * After the application role migrated: the append-only tables and their trigger functions become
 * the superuser's, the role keeping the privileges of `APPEND_ONLY_TABLE_PRIVILEGES` (and the use
 * of their sequences). A trigger function the role owns is taken over only if it is one of
 * Passage's own and not SECURITY DEFINER (a function the superuser owns runs with its rights only
 * when it is SECURITY DEFINER); anything else on an append-only table that the role made
 * (a trigger calling its own function) refuses the start as tampering. The superuser never runs a
 * function the role could have written.
 */
export async function secureEmbeddedDatabase(admin: AnyDatabase): Promise<void> {
  await admin.transaction().execute(async (transaction) => {
    await lockAndPinSearchPath(transaction);
    const superuser = (await sql<{ name: string }>`SELECT current_user AS name`.execute(transaction)).rows[0]!
      .name;
    const functions = await sql<{ name: string; owner: string; definer: boolean; signature: string }>`
      SELECT DISTINCT p.proname AS name, pg_get_userbyid(p.proowner) AS owner, p.prosecdef AS definer,
             p.oid::regprocedure::text AS signature
      FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE n.nspname = 'public' AND NOT t.tgisinternal AND c.relname = ANY(${Object.keys(APPEND_ONLY_TABLE_PRIVILEGES)}::text[])
    `.execute(transaction);
    for (const fn of functions.rows) {
      if (fn.owner === superuser) continue;
      if (!TRIGGER_FUNCTIONS.includes(fn.name) || fn.definer) {
        throw StoreErrors.databaseTampered.create(
          `an append-only table has a trigger running ${fn.signature}, owned by ${fn.owner}, which is not one of Passage's`,
        );
      }
      await sql.raw(`ALTER FUNCTION ${fn.signature} OWNER TO ${quoteRole(superuser)}`).execute(transaction);
    }
    for (const relation of await relationsOf(transaction)) {
      if (relation.kind !== "table" || !(relation.name in APPEND_ONLY_TABLE_PRIVILEGES)) continue;
      const table = `public.${relation.name}`;
      if (relation.owner !== superuser) {
        await sql.raw(`ALTER TABLE ${table} OWNER TO ${quoteRole(superuser)}`).execute(transaction);
      }
      const wanted = APPEND_ONLY_TABLE_PRIVILEGES[relation.name]!;
      if ((await privilegesOf(transaction, table)) !== wanted) {
        await sql.raw(`REVOKE ALL ON ${table} FROM ${APPLICATION_ROLE}`).execute(transaction);
        await sql.raw(`GRANT ${wanted} ON ${table} TO ${APPLICATION_ROLE}`).execute(transaction);
      }
    }
    // The sequences of their serial columns follow them to the superuser; inserting draws on them.
    const sequences = await sql<{ name: string }>`
      SELECT s.oid::regclass::text AS name
      FROM pg_class s JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
      JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE s.relkind = 'S' AND d.deptype IN ('a', 'i') AND n.nspname = 'public'
        AND t.relname = ANY(${Object.keys(APPEND_ONLY_TABLE_PRIVILEGES)}::text[])
        -- (the planner may test privileges before the kind: only a sequence may be asked about)
        AND CASE WHEN s.relkind = 'S' THEN NOT has_sequence_privilege(${APPLICATION_ROLE}, s.oid, 'USAGE') ELSE false END
    `.execute(transaction);
    for (const sequence of sequences.rows) {
      await sql
        .raw(`GRANT USAGE, SELECT ON SEQUENCE ${sequence.name} TO ${APPLICATION_ROLE}`)
        .execute(transaction);
    }
  });
}

/** Takes the lock, and reads names from the catalog first whatever the role put in public. */
async function lockAndPinSearchPath(transaction: AnyDatabase): Promise<void> {
  await sql`SET LOCAL search_path = pg_catalog`.execute(transaction);
  await sql`SELECT pg_advisory_xact_lock(${SECURE_LOCK})`.execute(transaction);
}

async function relationsOf(transaction: AnyDatabase): Promise<OwnedRelation[]> {
  const { rows } = await sql<OwnedRelation>`
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
  `.execute(transaction);
  return rows;
}

const TABLE_PRIVILEGES = [
  "SELECT",
  "INSERT",
  "UPDATE",
  "DELETE",
  "TRUNCATE",
  "REFERENCES",
  "TRIGGER",
  "MAINTAIN",
];

/** The application role's privileges on a table, as `APPEND_ONLY_TABLE_PRIVILEGES` writes them. */
async function privilegesOf(executor: AnyDatabase, table: string): Promise<string> {
  const { rows } = await sql<{ privilege: string }>`
    SELECT p AS privilege FROM unnest(${TABLE_PRIVILEGES}::text[]) WITH ORDINALITY AS t(p, position)
    WHERE has_table_privilege(${APPLICATION_ROLE}, ${table}::regclass, p) ORDER BY position
  `.execute(executor);
  return rows.map((row) => row.privilege).join(", ");
}

function quoteRole(role: string): string {
  return `"${role.replaceAll('"', '""')}"`;
}
