import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PersonsChanged } from "@passage/core";
import { createRowIngestor } from "@passage/engine";
import { appendOutboxEvents, executeSql, outboxEventOf } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPassage } from "../testing/run-passage.ts";

let database: TestDatabase;
let dataDir: string;

const identity = {
  family_name: "Moreno",
  given_names: "Lucia",
  date_of_birth: "1990-03-04",
  a_number: "A012345678",
};

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-status-"));
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  await ingestor.ingest("admission", {
    ...identity,
    i94_number: "12345678901",
    class_of_admission: "B2",
    admission_date: "2024-01-10",
    admit_until: "2024-07-09",
  });
  await ingestor.ingest("court", {
    ...identity,
    court_event_id: "CE-1",
    case_id: "C-1",
    case_type: "RMV",
    event_type: "decision",
    event_date: "2025-02-03",
    outcome: "removal_ordered",
    in_absentia: "Y",
    notice_served: "Y",
    destination_country: "MEX",
  });
  await ingestor.close();
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ('P-1')");
  await executeSql(
    database.db,
    "INSERT INTO person_member (feed, key_value, person_id) VALUES ('admission', '12345678901', 'P-1'), ('court', 'CE-1', 'P-1')",
  );
  await database.db.transaction().execute((transaction) =>
    appendOutboxEvents(transaction, [
      outboxEventOf(PersonsChanged, "P-1", {
        personIds: ["P-1"],
        retiredPersonIds: [],
        reason: "record_linked",
      }),
    ]),
  );
});

afterAll(async () => {
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const run = (args: string[]) =>
  runPassage(["--data-dir", dataDir, ...args], { env: { DATABASE_URL: database.url } });

describe("passage status", () => {
  it("prints exactly one JSON document with the CLI.md fields", async () => {
    const result = await run(["status", "--record", "admission:12345678901", "--json"]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ person_id: "P-1", actionable: true, state: { primary: "FINAL_ORDER" } });
    expect(Object.keys(document)).toEqual(
      expect.arrayContaining([
        "person_id",
        "actionable",
        "state",
        "overlays",
        "blockers",
        "gates",
        "evidence",
      ]),
    );
    expect(document.gates.clear).toBe(true);
    expect(document.evidence.map((entry: { feed: string }) => entry.feed)).toEqual(["admission", "court"]);
  });

  it("answers as of a past date and records the read in the audit log", async () => {
    const before = await run(["status", "--record", "court:CE-1", "--as-of", "2024-03-01", "--json"]);
    expect(JSON.parse(before.stdout)).toMatchObject({
      actionable: false,
      state: { primary: "ADMITTED_FIXED" },
    });
    const entries = await executeSql<{ action: string; purpose: string }>(
      database.db,
      "SELECT content::jsonb->>'action' AS action, content::jsonb->>'purpose' AS purpose FROM audit_entry ORDER BY sequence",
    );
    const reads = entries.filter((entry) => entry.action === "status.read");
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads.every((entry) => entry.purpose === "cli")).toBe(true);
  });

  it("fails with one coded line for an unknown record and for a malformed date", async () => {
    const missing = await run(["status", "--record", "visa:NOPE", "--json"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toBe("");
    expect(missing.stderr.trim()).toMatch(/^error PASSAGE_ERR_STATUS_RECORD_NOT_FOUND: /m);
    const malformed = await run(["status", "--record", "court:CE-1", "--as-of", "yesterday"]);
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toMatch(/error PASSAGE_ERR_STATUS_DATE_INVALID: as-of date "yesterday"/);
  });
});
