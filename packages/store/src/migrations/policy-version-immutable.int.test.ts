import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("policy_version (migration 0061)", () => {
  it("refuses any change to a stored version but which one is active, and its deletion", async () => {
    await sql`
      INSERT INTO policy_version (policy_id, version, digest, file_name, text, description, effective_from, loaded_by)
      VALUES ('p', '1', 'd1', 'p.yaml', 'id: p', 'a policy', '2024-01-01', 'test'),
             ('p', '2', 'd2', 'p.yaml', 'id: p', 'a policy', '2024-01-01', 'test')
    `.execute(database.db);
    // Activation moves `active` from one row to another.
    await sql`UPDATE policy_version SET active = true WHERE digest = 'd1'`.execute(database.db);
    await sql`UPDATE policy_version SET active = false WHERE digest = 'd1'`.execute(database.db);
    for (const statement of [
      sql`UPDATE policy_version SET text = 'id: q' WHERE digest = 'd1'`,
      sql`UPDATE policy_version SET active = true, description = 'other' WHERE digest = 'd2'`,
      sql`DELETE FROM policy_version WHERE digest = 'd2'`,
      sql`TRUNCATE policy_version CASCADE`,
    ]) {
      await expect(statement.execute(database.db)).rejects.toThrow(/append-only/);
    }
    const rows = await sql<{ digest: string; text: string; active: boolean }>`
      SELECT digest, text, active FROM policy_version ORDER BY digest
    `.execute(database.db);
    expect(rows.rows).toEqual([
      { digest: "d1", text: "id: p", active: false },
      { digest: "d2", text: "id: p", active: false },
    ]);
  });
});
