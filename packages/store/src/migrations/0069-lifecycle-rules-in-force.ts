import { type Kysely, sql } from "kysely";

/**
 * `lifecycle_rules_in_force`: one row, the digest of the lifecycle rules the statuses in
 * `person_status` were derived with, and those rules as JSON (for the operator: which rules are in
 * force). `passage rebuild` sets it in the transaction that swaps its statuses in; the first
 * derivation of a database with none recorded (a fresh one, or one migrated from a version without
 * this table) records the rules it derives with. Every derivation that writes statuses compares
 * its rules with it and refuses to write under others: a process started before the rules file was
 * edited and `passage rebuild` run would otherwise undo the rebuild person by person.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE lifecycle_rules_in_force (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      rules_digest text NOT NULL,
      rules jsonb NOT NULL,
      recorded_by text NOT NULL CHECK (recorded_by IN ('rebuild', 'first_derivation')),
      recorded_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE lifecycle_rules_in_force;`.execute(db);
}
