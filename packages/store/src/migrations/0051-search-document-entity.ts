import { type Kysely, sql } from "kysely";

/**
 * `linkage_search_document` gains an index on `entity_id`: incremental linkage replaces an
 * entity's search terms by deleting them by entity, which without it scanned the whole table once
 * per batch (tens of milliseconds at 700k documents, on every record streamed in). The batch
 * link drops and rebuilds it around its bulk load, like the other linkage indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX linkage_search_document_entity ON linkage_search_document (entity_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX linkage_search_document_entity`.execute(db);
}
