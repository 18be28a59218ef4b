import { type Kysely, sql } from "kysely";

/**
 * Citizenship claims opened through redress (never by a feed). While a claim is open the person
 * carries the USC_CLAIM_OPEN overlay and the USC blocker (DOMAIN.md §1.9): no civil immigration
 * action until the claim is resolved.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE citizenship_claim (
      claim_id text PRIMARY KEY,
      person_id text NOT NULL,
      opened_on date NOT NULL,
      closed_on date,
      opened_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      closed_at timestamptz,
      CHECK (closed_on IS NULL OR closed_on >= opened_on)
    );
    CREATE INDEX citizenship_claim_person ON citizenship_claim (person_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE citizenship_claim;`.execute(db);
}
