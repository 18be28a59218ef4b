import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPersonStatusCopy,
  findPersonStatus,
  insertPersonStatuses,
  type PersonStatusRow,
  upsertPersonStatuses,
} from "./lifecycle-repository.ts";
import { executeSql } from "./outbox-repository.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const row = (personId: string, overrides: Partial<PersonStatusRow> = {}): PersonStatusRow => ({
  personId,
  asOf: "2025-06-30",
  primaryState: "FINAL_ORDER",
  stateDetail: null,
  overlays: [],
  blockers: [],
  gatesHolding: [],
  finalOrderExecutable: true,
  actionable: true,
  nextChangeOn: null,
  status: { state: "FINAL_ORDER" },
  gates: { holding: [] },
  inputDigest: "digest-1",
  ...overrides,
});

describe("the lifecycle projection's rows", () => {
  it("store every field as given, quotes, backslashes, commas and braces included, and replace on a second upsert", async () => {
    const awkward = row("P-1", {
      stateDetail: 'detail with "quotes", a \\ backslash and {braces}',
      overlays: ["STAY", 'a "quoted", overlay', "back\\slash", "{brace}"],
      blockers: ["USC_CLAIM"],
      gatesHolding: ["IDENTITY_NOT_CONFIRMED", "CLAIMED_DEPARTURE"],
      nextChangeOn: "2025-07-31",
      status: { text: 'say "hi"\\n', nested: [{ a: 1 }, null, true], unicode: "Müller 張" },
      gates: { evaluated: [{ gate: "USC", holds: false }] },
    });
    await upsertPersonStatuses(database.db, [awkward, row("P-2")]);
    expect(await findPersonStatus(database.db, "P-1")).toEqual(awkward);
    expect(await findPersonStatus(database.db, "P-2")).toEqual(row("P-2"));

    const replaced = row("P-1", { primaryState: "DEPARTED", actionable: false, inputDigest: "digest-2" });
    await upsertPersonStatuses(database.db, [replaced]);
    expect(await findPersonStatus(database.db, "P-1")).toEqual(replaced);
  });

  it("insert with COPY stores every field as given and, for a person who has a row, replaces it as an upsert does", async () => {
    const copied = (rows: PersonStatusRow[]) => {
      const batch = createPersonStatusCopy();
      for (const row of rows) batch.add(row);
      expect(batch.rows).toBe(rows.length);
      return batch;
    };
    const awkward = row("P-10", {
      stateDetail: 'tab\there, "quotes", a \\ backslash,\nnewline and {braces}',
      overlays: ["STAY", 'a "quoted", overlay', "back\\slash", "{brace}", "NULL", ""],
      blockers: ["USC_CLAIM"],
      gatesHolding: ["IDENTITY_NOT_CONFIRMED"],
      nextChangeOn: "2025-07-31",
      status: { text: 'say "hi"\\n\t', nested: [{ a: 1.5 }, null, true], unicode: "Müller 張 😀" },
      gates: { evaluated: [{ gate: "USC", holds: false }] },
    });
    // Larger than a heap page's share, so that PostgreSQL moves it out of line (and must not compress it).
    const large = row("P-11", {
      status: { timeline: Array.from({ length: 200 }, (_, day) => ({ day, text: "x".repeat(20) })) },
    });
    await insertPersonStatuses(database.pool, copied([awkward, large]));
    expect(await findPersonStatus(database.db, "P-10")).toEqual(awkward);
    expect(await findPersonStatus(database.db, "P-11")).toEqual(large);
    const [stored] = await executeSql<{ compression: string | null; external: boolean }>(
      database.db,
      `SELECT pg_column_compression(status) AS compression, pg_column_size(status) > 2000 AS external
       FROM person_status WHERE person_id = 'P-11'`,
    );
    expect(stored).toEqual({ compression: null, external: true });

    // P-10 has a row: the COPY fails as a whole and the batch is upserted through staging.
    const replaced = row("P-10", { primaryState: "DEPARTED", actionable: false, inputDigest: "digest-2" });
    await insertPersonStatuses(database.pool, copied([row("P-12"), replaced]));
    expect(await findPersonStatus(database.db, "P-10")).toEqual(replaced);
    expect(await findPersonStatus(database.db, "P-11")).toEqual(large);
    expect(await findPersonStatus(database.db, "P-12")).toEqual(row("P-12"));
    await insertPersonStatuses(database.pool, createPersonStatusCopy());
    const [count] = await executeSql<{ count: number }>(
      database.db,
      "SELECT count(*)::int AS count FROM person_status WHERE person_id LIKE 'P-1_'",
    );
    expect(count!.count).toBe(3);
  });
});
