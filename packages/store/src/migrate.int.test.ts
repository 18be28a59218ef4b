import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/migrations.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("migrations", () => {
  it("are all applied to the template and re-running applies nothing", async () => {
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(
      database.db,
    );
    expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(MIGRATIONS).sort());
    expect((await migrateToLatest(database.db)).applied).toEqual([]);
  });

  it("make source records append-only", async () => {
    await sql`INSERT INTO ingest_batch (id, feed, source_kind, source_name) VALUES ('00000000-0000-0000-0000-000000000001', 'visa', 'file', 't.csv')`.execute(
      database.db,
    );
    await sql`
      INSERT INTO source_record (feed, record_key, key_value, version, content_hash, fields, raw, batch_id, source_kind, source_name, received_at)
      VALUES ('visa', 'V1', 'V1', 1, '\\x00', '{}', '{}', '00000000-0000-0000-0000-000000000001', 'file', 't.csv', now())
    `.execute(database.db);
    await expect(sql`UPDATE source_record SET version = 2`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM source_record`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE source_record CASCADE`.execute(database.db)).rejects.toThrow(/append-only/);
  });
});
