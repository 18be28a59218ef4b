import type { Feed, SourceRecord } from "@passage/core";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRecordWriter } from "../testing/record-writer.ts";
import { executeSql } from "./outbox-repository.ts";
import { findRecordsOfPersons, streamPersonsWithRecords } from "./person-repository.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  write = createTestRecordWriter(database.pool);
});
afterAll(async () => {
  await database.drop();
});

let write: ReturnType<typeof createTestRecordWriter>;

/** The latest version of each record, in the order the stream gives them (feed, then record key). */
function latest(records: readonly SourceRecord[]): SourceRecord[] {
  const byKey = new Map<string, SourceRecord>();
  for (const record of records) {
    const key = `${record.feed}\u0000${record.recordKey}`;
    const current = byKey.get(key);
    if (!current || record.version > current.version) byKey.set(key, record);
  }
  return [...byKey.values()];
}

describe("streaming every person with their records", () => {
  it("gives each person once, in person order, with the latest version of each of their records", async () => {
    // Key values and fields COPY text must escape: tabs, newlines, backslashes, non-ASCII.
    await write("visa", [
      { key: "V\t1", fields: { visa_id: "V\t1", visa_class: "B2", note: 'say "hi"\\n' } },
      { key: "V\\2", fields: { visa_id: "V\\2", visa_class: "F1", name: "Müller 張 😀" } },
      { key: "V3\nx", fields: { visa_id: "V3\nx", visa_class: "J1", note: "" } },
    ]);
    await write("visa", [{ key: "V\\2", fields: { visa_id: "V\\2", visa_class: "H1B", name: "Müller" } }]);
    await write(
      "court",
      Array.from({ length: 40 }, (_, index) => ({
        key: `CE-${index}`,
        fields: { court_event_id: `CE-${index}`, case_id: `C-${index % 7}`, event_date: "2024-01-02" },
      })),
    );
    await write("court", [{ key: "CE-3", fields: { court_event_id: "CE-3", outcome: "granted" } }]);
    // Persons whose ids sort unlike the order they are linked in, with one, several and many
    // records; the last has no records and is not streamed.
    const persons = Array.from({ length: 12 }, (_, index) => `P-${(index * 7) % 12}-${"x".repeat(index)}`);
    const members: Array<[Feed, string, string]> = [
      ["visa", "V\t1", persons[5]!],
      ["visa", "V\\2", persons[5]!],
      ["court", "CE-0", persons[5]!],
      ["visa", "V3\nx", persons[0]!],
      ...Array.from({ length: 39 }, (_, index): [Feed, string, string] => [
        "court",
        `CE-${index + 1}`,
        persons[(index * 5) % 11]!,
      ]),
    ];
    for (const person of persons) {
      await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1)", [person]);
    }
    for (const [feed, key, person] of members.reverse()) {
      await executeSql(
        database.db,
        "INSERT INTO person_member (feed, key_value, person_id) VALUES ($1, $2, $3)",
        [feed, key, person],
      );
    }

    const streamed: Array<{ personId: string; records: SourceRecord[] }> = [];
    for await (const person of streamPersonsWithRecords(database.pool)) streamed.push(person);

    const ordered = await executeSql<{ person_id: string }>(
      database.db,
      "SELECT DISTINCT person_id FROM person_member ORDER BY person_id",
    );
    expect(streamed.map((person) => person.personId)).toEqual(ordered.map((row) => row.person_id));
    const expected = await findRecordsOfPersons(
      database.db,
      ordered.map((row) => row.person_id),
    );
    for (const person of streamed) expect(person.records).toEqual(latest(expected.get(person.personId)!));
    const all = streamed.flatMap((person) => person.records);
    expect(all).toHaveLength(43);
    expect(all.find((record) => record.keyValue === "V\\2")!.fields).toEqual({
      visa_id: "V\\2",
      visa_class: "H1B",
      name: "Müller",
    });
    expect(all.find((record) => record.keyValue === "V\t1")!.fields.note).toBe('say "hi"\\n');
  });

  it("ends the COPY and frees its connection when the reader stops early", async () => {
    const before = database.pool.totalCount;
    for await (const person of streamPersonsWithRecords(database.pool)) {
      expect(person.records.length).toBeGreaterThan(0);
      break;
    }
    expect(database.pool.totalCount).toBeLessThanOrEqual(before);
    let count = 0;
    for await (const _person of streamPersonsWithRecords(database.pool)) count++;
    expect(count).toBeGreaterThan(1);
  });
});
