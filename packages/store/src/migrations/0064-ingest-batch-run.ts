import { type Kysely, sql } from "kysely";

/**
 * What a re-sent file batch is checked against (packages/engine/src/ingest/README.md, "Idempotent
 * re-ingest"): a batch whose chain digest is already committed is skipped only when none of its
 * keys has a version written since that batch by anything but the same file run.
 *
 * - `run_id`: the file ingest run that wrote the batch (a run that resumes or repeats another one
 *   before writing anything carries that run's id on); null for streams, redress and batches
 *   committed before this migration.
 * - `records_before`: the last source_record id drawn when the batch took its feed lock: every
 *   version of the feed with a greater id was written by this batch or after it. Null for batches
 *   committed before this migration (those keep the old rule: a committed digest is skipped).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE ingest_batch ADD COLUMN run_id uuid, ADD COLUMN records_before bigint
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE ingest_batch DROP COLUMN run_id, DROP COLUMN records_before`.execute(db);
}
