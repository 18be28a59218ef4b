import { type Kysely, sql } from "kysely";

/**
 * `linkage_must_link_outdated`: a must-link (a reviewer's accept, a direct decision, a placement)
 * one of whose records has changed its compared values since (a corrected version from its
 * source). The decision judged the record's old content, so it no longer joins the pair: linkage
 * clusters without it on every path, and IDENTITY_NOT_CONFIRMED holds on the persons holding
 * either record until someone decides the pair again (a new decision has a new id, to which no
 * row here applies). One row per decision and changed record, written once (the first time a
 * linkage path meets the change), with the versions of the record as it changed. Rows are only
 * ever added (no trigger enforces it: the append-only tables' triggers belong to the superuser,
 * `secure-database.ts`, and person_identity_issue is as little guarded).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE linkage_must_link_outdated (
      decision_id bigint NOT NULL REFERENCES linkage_decision (decision_id),
      changed_record text NOT NULL,
      citations jsonb NOT NULL,
      detected_by text NOT NULL CHECK (detected_by IN ('incremental', 'batch')),
      detected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (decision_id, changed_record)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE linkage_must_link_outdated;`.execute(db);
}
