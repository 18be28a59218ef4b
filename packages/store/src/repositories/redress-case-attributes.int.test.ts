import type { Feed } from "@passage/core";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRecordWriter } from "../testing/record-writer.ts";
import { executeSql } from "./outbox-repository.ts";
import {
  assignUnassignedCases,
  createPersonCaseReads,
  findCaseAttributes,
  findPersonCases,
  setCaseAssignment,
} from "./redress-case-attributes.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  write = createTestRecordWriter(database.pool);
});
afterAll(async () => {
  await database.drop();
});

let write: ReturnType<typeof createTestRecordWriter>;

async function link(person: string, members: Array<[Feed, string]>): Promise<void> {
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1)", [person]);
  for (const [feed, key] of members) {
    await executeSql(
      database.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ($1, $2, $3)",
      [feed, key, person],
    );
  }
}

describe("the person view's data of several persons in one statement", () => {
  it("gives each person's latest records, and case attributes equal to findCaseAttributes", async () => {
    // An asylum application corrected into another form: the case stays confidential (flags come
    // from every version), the record itself shows its latest version and that version's flags.
    await write("benefit", [{ key: "B-1", fields: { receipt_number: "B-1", form_type: "I-589" } }]);
    await write("benefit", [{ key: "B-1", fields: { receipt_number: "B-1", form_type: "I-130" } }]);
    await write("benefit", [{ key: "B-2", fields: { receipt_number: "B-2", form_type: "I-918" } }]);
    await write("court", [
      { key: "CE-1", fields: { court_event_id: "CE-1", relief_type: "withholding" } },
      { key: "CE-2", fields: { court_event_id: "CE-2", case_type: "rmv" } },
    ]);
    await write("admission", [{ key: "I-1", fields: { i94_number: "I-1", family_name: "Doe" } }]);
    await write("admission", [{ key: "I-1", fields: { i94_number: "I-1", family_name: "Doe-Smith" } }]);
    await link("P-corrected", [
      ["benefit", "B-1"],
      ["admission", "I-1"],
    ]);
    await link("P-both", [
      ["benefit", "B-2"],
      ["court", "CE-1"],
      ["court", "CE-2"],
    ]);
    await link("P-none", []);
    await setCaseAssignment(database.db, {
      personId: "P-both",
      office: "NYC",
      assignees: ["officer.a"],
      updatedBy: "test",
    });
    const persons = ["P-corrected", "P-both", "P-none", "P-missing"];

    const cases = await findPersonCases(database.pool, persons);
    const attributes = await findCaseAttributes(database.db, persons);

    expect([...cases.keys()].sort()).toEqual(["P-both", "P-corrected", "P-none"]);
    for (const [person, found] of cases) expect(found.attributes).toEqual(attributes.get(person));
    expect(cases.get("P-corrected")!.attributes.confidentiality).toEqual(["asylum"]);
    expect(cases.get("P-both")!.attributes).toEqual({
      office: "NYC",
      assignees: ["officer.a"],
      confidentiality: ["asylum", "vawa1367"],
    });
    const summary = (person: string) =>
      cases.get(person)!.records.map((record) => ({
        record: `${record.feed}:${record.recordKey}`,
        version: record.version,
        fields: record.fields,
        confidentiality: record.confidentiality,
      }));
    expect(summary("P-corrected")).toEqual([
      {
        record: "admission:I-1",
        version: 2,
        fields: { i94_number: "I-1", family_name: "Doe-Smith" },
        confidentiality: [],
      },
      {
        record: "benefit:B-1",
        version: 2,
        fields: { receipt_number: "B-1", form_type: "I-130" },
        confidentiality: [],
      },
    ]);
    expect(summary("P-both").map((record) => [record.record, record.confidentiality])).toEqual([
      ["benefit:B-2", ["vawa1367"]],
      ["court:CE-1", ["asylum"]],
      ["court:CE-2", []],
    ]);
    expect(cases.get("P-none")).toEqual({
      attributes: { office: "", assignees: [], confidentiality: [] },
      records: [],
      status: undefined,
    });
    // The instant stored, written as Date#toISOString writes it (PostgreSQL formats it).
    for (const record of cases.get("P-both")!.records) {
      const stored = await database.pool.query<{ recorded_at: string | Date }>(
        "SELECT recorded_at FROM source_record WHERE feed = $1 AND record_key = $2 AND version = $3",
        [record.feed, record.recordKey, record.version],
      );
      expect(record.recordedAt).toBe(new Date(stored.rows[0]!.recorded_at).toISOString());
    }
    expect(await findPersonCases(database.pool, [])).toEqual(new Map());

    // On connections of their own (generic plans forced), the same answers, read after read.
    const reads = createPersonCaseReads(database.pool, 2);
    try {
      for (let read = 0; read < 7; read++) {
        expect(await reads.find(persons.slice(read % 3))).toEqual(
          await findPersonCases(database.pool, persons.slice(read % 3)),
        );
      }
    } finally {
      await reads.close();
    }
  });
});

describe("assigning unassigned cases to an office", () => {
  it("names the assignee on the office's first case when one in `every` by hash picked none", async () => {
    for (const person of ["P-ASSIGN-1", "P-ASSIGN-2", "P-ASSIGN-3"]) await link(person, []);
    await assignUnassignedCases(database.db, {
      offices: ["ZZZ"],
      office: "ZZZ",
      assignee: { username: "investigator", every: 1_000_000_000 },
      updatedBy: "test",
    });
    const rows = await executeSql<{ person_id: string; assignees: string[] }>(
      database.db,
      "SELECT person_id, assignees FROM case_assignment WHERE office = 'ZZZ' AND cardinality(assignees) > 0",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.assignees).toEqual(["investigator"]);
  });
});
