import { type Kysely, sql } from "kysely";

/**
 * `consumer_layout` records, per event handler, the one partition layout (partition count) whose
 * consumers may apply its events. A consumer adopting a handler under another layout rewrites the
 * row under an exclusive row lock; every batch share-locks it in its own transaction and refuses
 * to apply when its layout is not the recorded one, so two layouts never apply the same events.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE consumer_layout (
      handler text PRIMARY KEY,
      partitions int NOT NULL CHECK (partitions BETWEEN 1 AND 1024),
      adopted_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE consumer_layout`.execute(db);
}
