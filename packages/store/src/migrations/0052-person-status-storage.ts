import { type Kysely, sql } from "kysely";

/**
 * `person_status` stores its status and gate documents uncompressed, out of line (TOAST storage
 * EXTERNAL): compressing every status of about 3.5 KB with pglz, the only method the embedded
 * server has, was a quarter of PostgreSQL's CPU in a rebuild and in each status upsert. The heap
 * row keeps the headline columns and a pointer, so reports and worklist scans read less; the
 * documents take about twice the space (about 5 KB a person instead of 2.5 KB). Rows written
 * before keep their compressed form until they are next written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE person_status
    ALTER COLUMN status SET STORAGE EXTERNAL,
    ALTER COLUMN gates SET STORAGE EXTERNAL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE person_status
    ALTER COLUMN status SET STORAGE EXTENDED,
    ALTER COLUMN gates SET STORAGE EXTENDED`.execute(db);
}
