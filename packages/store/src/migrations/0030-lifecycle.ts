import { type Kysely, sql } from "kysely";

/**
 * The lifecycle projection: each person's derived status as of the day it was derived, with the
 * gates that hold. A projection: `passage rebuild` drops it and derives it again from records.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE person_status (
      person_id text PRIMARY KEY,
      as_of date NOT NULL,
      primary_state text NOT NULL,
      state_detail text,
      overlays text[] NOT NULL,
      blockers text[] NOT NULL,
      gates_holding text[] NOT NULL,
      final_order_executable boolean NOT NULL,
      actionable boolean NOT NULL,
      next_change_on date,
      status jsonb NOT NULL,
      gates jsonb NOT NULL,
      input_digest text NOT NULL,
      derived_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX person_status_actionable ON person_status (person_id) WHERE actionable;
    CREATE INDEX person_status_next_change ON person_status (next_change_on) WHERE next_change_on IS NOT NULL;
    CREATE INDEX person_status_state ON person_status (primary_state);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE person_status;`.execute(db);
}
