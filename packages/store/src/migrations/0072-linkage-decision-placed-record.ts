import { type Kysely, sql } from "kysely";

/**
 * `linkage_decision.placed_record`: on the must-links linkage writes for a record someone placed in
 * a person outside linkage (`source` `placement`: a redress correction, a data load), the record
 * placed. A pair is stored in key order (left < right), so the pair alone cannot say which record
 * was placed and which is the person's record it was joined to: the placed record was never matched
 * on its content, so its automatic links join no persons on any linkage path (a correction carrying
 * another person's identifiers merged the two persons in `passage link`). Null on every other
 * decision and on placements recorded before this column (they stay ordinary must-links). The
 * partial index serves the lookup by record. The table stays append-only; only a column is added.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE linkage_decision ADD COLUMN placed_record text;
    ALTER TABLE linkage_decision ADD CONSTRAINT linkage_decision_placed_record_check
      CHECK (placed_record IS NULL OR (source = 'placement' AND decision = 'must_link'
        AND placed_record IN (left_record, right_record)));
    CREATE INDEX linkage_decision_placed_record ON linkage_decision (placed_record)
      WHERE placed_record IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX linkage_decision_placed_record;
    ALTER TABLE linkage_decision DROP COLUMN placed_record;
  `.execute(db);
}
