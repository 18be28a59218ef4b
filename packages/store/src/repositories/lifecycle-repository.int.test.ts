import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPersonStatus, type PersonStatusRow, upsertPersonStatuses } from "./lifecycle-repository.ts";

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
});
