import { type Kysely, sql } from "kysely";

/**
 * `redress_event.step` gains `links_partly_decided`: a resolution whose link decisions commit one
 * by one (linkage's service) and one of which was refused after others were taken
 * (PASSAGE_ERR_REDRESS_LINKS_PARTLY_DECIDED) appends it, naming the decisions that stand, the one
 * refused and why. The request stays open; before, only linkage's audit said what had been taken.
 * The table stays append-only; only a step is added.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE redress_event DROP CONSTRAINT redress_event_step_check;
    ALTER TABLE redress_event ADD CONSTRAINT redress_event_step_check
      CHECK (step IN ('filed', 'review_started', 'resolved', 'source_superseded', 'links_partly_decided'));
  `.execute(db);
}

/** Events already recorded stay (the history is append-only); the old step list holds for new ones. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE redress_event DROP CONSTRAINT redress_event_step_check;
    ALTER TABLE redress_event ADD CONSTRAINT redress_event_step_check
      CHECK (step IN ('filed', 'review_started', 'resolved', 'source_superseded')) NOT VALID;
  `.execute(db);
}
