import { type Kysely, sql } from "kysely";

/**
 * `linkage_decision.unlinked_record`: on the cannot-link decisions an unlink writes (`source`
 * `unlink`: a reviewer's `review unlink`, a redress resolution's unlinks), the record that was taken
 * out of its person. A pair is stored in key order (left < right), so the pair alone cannot say
 * which record was unlinked from which: a person made of nothing but unlinked records rests on no
 * record that anyone confirmed (the IDENTITY_NOT_CONFIRMED gate reads it). Null on every other
 * decision and on unlinks recorded before this column. The partial index serves the lookup by
 * record. The table stays append-only; only a column is added.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE linkage_decision ADD COLUMN unlinked_record text;
    ALTER TABLE linkage_decision ADD CONSTRAINT linkage_decision_unlinked_record_check
      CHECK (unlinked_record IS NULL OR (source = 'unlink' AND unlinked_record IN (left_record, right_record)));
    CREATE INDEX linkage_decision_unlinked_record ON linkage_decision (unlinked_record)
      WHERE unlinked_record IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX linkage_decision_unlinked_record;
    ALTER TABLE linkage_decision DROP COLUMN unlinked_record;
  `.execute(db);
}
