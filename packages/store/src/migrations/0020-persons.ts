import { type Kysely, sql } from "kysely";

/**
 * Persons and which linkage entities (`feed:keyValue`, all rows of one key) belong to them. Written
 * by linkage (batch and incremental); read by every projection derived from a person's records.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE person (
      person_id text PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE person_member (
      feed text NOT NULL,
      key_value text NOT NULL,
      person_id text NOT NULL REFERENCES person (person_id),
      linked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (feed, key_value)
    );
    CREATE INDEX person_member_person ON person_member (person_id);

    -- What makes a person's identity unconfirmed, maintained by linkage whenever clusters change:
    -- a link in the review band the cluster rests on, or conflicting strong identifiers inside
    -- it. The due-process gate IDENTITY_NOT_CONFIRMED reads this table.
    CREATE TABLE person_identity_issue (
      person_id text NOT NULL REFERENCES person (person_id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('review_band_link', 'conflicting_identifier')),
      detail text NOT NULL,
      match_probability double precision,
      evidence jsonb NOT NULL,
      PRIMARY KEY (person_id, kind, detail)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE person_identity_issue; DROP TABLE person_member; DROP TABLE person;`.execute(db);
}
