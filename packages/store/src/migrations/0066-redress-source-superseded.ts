import { type Kysely, sql } from "kysely";

/**
 * Redress corrections and re-sent sources (packages/engine/src/ingest/README.md): a key whose
 * latest version a redress resolution wrote keeps it against source rows re-sending content the
 * key had before; a source row with new content supersedes it, and the request is told.
 *
 * - `ingest_batch.held_by_redress`: how many rows of the batch were held so. A batch that held any
 *   is never skipped as a repeat of a re-sent file, so every re-send counts its held rows.
 * - `redress_event.step` gains `source_superseded`: appended by the ingest transaction that wrote a
 *   new version over a resolution's correction, naming the record, the corrected version and the new
 *   one. Both tables stay append-only; only a column (with its default) and a step are added.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE ingest_batch ADD COLUMN held_by_redress integer NOT NULL DEFAULT 0;
    ALTER TABLE redress_event DROP CONSTRAINT redress_event_step_check;
    ALTER TABLE redress_event ADD CONSTRAINT redress_event_step_check
      CHECK (step IN ('filed', 'review_started', 'resolved', 'source_superseded'));
  `.execute(db);
}

/** Events already recorded stay (the history is append-only); the old step list holds for new ones. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE redress_event DROP CONSTRAINT redress_event_step_check;
    ALTER TABLE redress_event ADD CONSTRAINT redress_event_step_check
      CHECK (step IN ('filed', 'review_started', 'resolved')) NOT VALID;
    ALTER TABLE ingest_batch DROP COLUMN held_by_redress;
  `.execute(db);
}
