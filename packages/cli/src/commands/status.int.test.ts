import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PersonsChanged } from "@passage/core";
import { createRowIngestor } from "@passage/engine";
import { appendOutboxEvents, executeSql, outboxEventOf } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFinalOrderPerson } from "../testing/final-order-person.ts";
import { runPassage } from "../testing/run-passage.ts";

let database: TestDatabase;
let dataDir: string;
const ASYLUM_RECEIPT = "ZLA2490011223";
const U_VISA_RECEIPT = "VSC2490044556";

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-status-"));
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  await ingestFinalOrderPerson(ingestor);
  /** An admission, then a pending application of `formType` filed under `receipt`. */
  const admittedApplicant = async (
    identity: Record<string, string>,
    i94: string,
    receipt: string,
    formType: string,
    filedOn: string,
  ) => {
    const admission = { class_of_admission: "B2", admission_date: "2024-01-10", admit_until: "2024-07-09" };
    await ingestor.ingest("admission", { ...identity, i94_number: i94, ...admission });
    await ingestor.ingest("benefit", {
      ...identity,
      receipt_number: receipt,
      form_type: formType,
      event: "filed",
      event_date: filedOn,
    });
  };
  // P-2: a pending asylum application (8 CFR 208.6).
  await admittedApplicant(
    { family_name: "Ortega", given_names: "Rosa", date_of_birth: "1988-06-07", a_number: "A087654321" },
    "22345678901",
    ASYLUM_RECEIPT,
    "I-589",
    "2024-03-01",
  );
  // P-3: a pending U visa petition (8 U.S.C. 1367).
  await admittedApplicant(
    { family_name: "Quispe", given_names: "Ana", date_of_birth: "1992-08-09", a_number: "A076543210" },
    "32345678901",
    U_VISA_RECEIPT,
    "I-918",
    "2024-04-01",
  );
  await ingestor.close();
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ('P-1'), ('P-2'), ('P-3')");
  await executeSql(
    database.db,
    `INSERT INTO person_member (feed, key_value, person_id) VALUES ('admission', '12345678901', 'P-1'), ('court', 'CE-1', 'P-1'),
       ('admission', '22345678901', 'P-2'), ('benefit', '${ASYLUM_RECEIPT}', 'P-2'),
       ('admission', '32345678901', 'P-3'), ('benefit', '${U_VISA_RECEIPT}', 'P-3')`,
  );
  await database.db.transaction().execute((transaction) =>
    appendOutboxEvents(transaction, [
      outboxEventOf(PersonsChanged, "P-1", {
        personIds: ["P-1", "P-2", "P-3"],
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

/** `passage users add USERNAME --role ROLE ...`, which must succeed. */
async function addUser(username: string, role: string, ...options: string[]): Promise<void> {
  const added = await run(["users", "add", username, "--role", role, ...options]);
  expect(added.code, added.stderr).toBe(0);
}

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

  it("refuses a malformed record reference with PASSAGE_ERR_RECORD_REFERENCE_INVALID, saying what is wrong", async () => {
    const refusals: Record<string, string> = {
      nocolon: `"nocolon" is not a record reference of the form FEED:KEY`,
      "admission:": `"admission:" is not a record reference of the form FEED:KEY`,
      "admission:ZZZ": `"admission:ZZZ" is not a valid record reference: the key is not admission's i94_number: "ZZZ" is not an I-94 number (11 letters or digits)`,
    };
    for (const [reference, message] of Object.entries(refusals)) {
      const result = await run(["status", "--record", reference, "--json"]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim()).toBe(`error PASSAGE_ERR_RECORD_REFERENCE_INVALID: ${message}`);
    }
  });

  it("refuses a malformed date as invalid input before looking the record up (exit 2)", async () => {
    // It was reported as a missing record (exit 3) when the record was unknown.
    for (const option of [
      ["--as-of", "2024-02-30"],
      ["--known-at", "yesterday"],
    ]) {
      const result = await run(["status", "--record", "visa:NOPE", ...option, "--json"]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/error PASSAGE_ERR_STATUS_DATE_INVALID: /);
    }
  });

  it("decides a user's read on the person's case, as the HTTP read does: own office yes, another office no", async () => {
    await executeSql(
      database.db,
      "INSERT INTO case_assignment (person_id, office, updated_by) VALUES ('P-1', 'ATL', 'test')",
    );
    for (const [name, office] of [
      ["officer.atl", "ATL"],
      ["officer.nyc", "NYC"],
    ] as const) {
      await addUser(name, "removal_officer", "--office", office);
    }
    const own = await run(["status", "--record", "court:CE-1", "--as", "officer.atl", "--json"]);
    expect(own.code, own.stderr).toBe(0);
    expect(JSON.parse(own.stdout)).toMatchObject({ person_id: "P-1", state: { primary: "FINAL_ORDER" } });
    const other = await run(["status", "--record", "court:CE-1", "--as", "officer.nyc", "--json"]);
    expect(other.code).not.toBe(0);
    expect(other.stdout).toBe("");
    expect(other.stderr).toMatch(/^error PASSAGE_ERR_ACCESS_DENIED: /m);
    const decisions = await executeSql<{ actor: string; decision: string; record: string }>(
      database.db,
      `SELECT content::jsonb->>'actor' AS actor, content::jsonb->>'decision' AS decision,
              content::jsonb->'details'->>'record' AS record
         FROM audit_entry WHERE content::jsonb->>'action' = 'status.read' AND actor LIKE 'user:officer.%'
        ORDER BY sequence`,
    );
    expect(decisions).toEqual([
      { actor: "user:officer.atl", decision: "allow", record: "court:CE-1" },
      { actor: "user:officer.nyc", decision: "deny", record: "court:CE-1" },
    ]);
  });

  it("tells a user of --as without the need to know nothing of the case's asylum matter, as the HTTP read does", async () => {
    await addUser("planner", "transport_planner");
    const operator = await run(["status", "--record", "admission:22345678901", "--json"]);
    expect(operator.code, operator.stderr).toBe(0);
    expect(operator.stdout).toContain(ASYLUM_RECEIPT);
    expect(
      JSON.parse(operator.stdout).overlays.map((overlay: { overlay: string }) => overlay.overlay),
    ).toContain("CONFIDENTIAL_ASYLUM");
    const planner = await run(["status", "--record", "admission:22345678901", "--as", "planner", "--json"]);
    expect(planner.code, planner.stderr).toBe(0);
    expect(planner.stdout).not.toContain(ASYLUM_RECEIPT);
    expect(planner.stdout).not.toContain("CONFIDENTIAL_ASYLUM");
    const document = JSON.parse(planner.stdout);
    expect(document).toMatchObject({ person_id: "P-2", facts: null });
    expect(document.state.primary).toBe(JSON.parse(operator.stdout).state.primary);
    const text = await run(["status", "--record", "admission:22345678901", "--as", "planner"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain(ASYLUM_RECEIPT);
    expect(text.stdout).not.toContain("CONFIDENTIAL_ASYLUM");
  });

  it("tells a user of --as without the need nothing of a T/U/VAWA matter: not in the blockers, not in the gates", async () => {
    const operator = JSON.parse(
      (await run(["status", "--record", "admission:32345678901", "--json"])).stdout,
    );
    expect(operator.blockers.map((entry: { code: string }) => entry.code)).toContain("VICTIM_PROTECTION");
    expect(operator.actionable).toBe(false);
    await addUser("planner.p3", "transport_planner");
    const planner = await run([
      "status",
      "--record",
      "admission:32345678901",
      "--as",
      "planner.p3",
      "--json",
    ]);
    expect(planner.code, planner.stderr).toBe(0);
    expect(planner.stdout).not.toMatch(/VICTIM_PROTECTION|I-918|T\/U|1367_|CONFIDENTIAL_1367/);
    expect(planner.stdout).not.toContain(U_VISA_RECEIPT);
    const document = JSON.parse(planner.stdout);
    // The protection shows without saying what it is about (not even its binding: "policy" named VICTIM_PROTECTION).
    expect(document.blockers).toEqual([
      expect.objectContaining({ code: "withheld-1", binding: "withheld", detail: null }),
    ]);
    expect(document.actionable).toBe(false);
    expect(document.state.primary).toBe(operator.state.primary);
  });

  it("looks a person up by a flagged record only for a reader who may read that record", async () => {
    await addUser("counsel", "legal_counsel");
    await addUser("counsel.1367", "legal_counsel", "--need", "vawa1367");
    const byPetition = ["status", "--record", `benefit:${U_VISA_RECEIPT}`, "--json"];
    // Answered as for a record that does not exist: not even that a petition is there.
    const refused = await run([...byPetition, "--as", "counsel"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^error PASSAGE_ERR_STATUS_RECORD_NOT_FOUND: /m);
    expect(refused.stderr).not.toContain("P-3");
    const none = await run(["status", "--record", "benefit:VSC0000000000", "--json", "--as", "counsel"]);
    expect(refused.stderr.replaceAll(U_VISA_RECEIPT, "KEY")).toBe(
      none.stderr.replaceAll("VSC0000000000", "KEY"),
    );
    expect(refused.code).toBe(none.code);
    const allowed = await run([...byPetition, "--as", "counsel.1367"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ person_id: "P-3" });
    // The same counsel reads the same person's status by an unflagged record, redacted.
    const byAdmission = await run([
      "status",
      "--record",
      "admission:32345678901",
      "--json",
      "--as",
      "counsel",
    ]);
    expect(byAdmission.code, byAdmission.stderr).toBe(0);
    expect(byAdmission.stdout).not.toContain(U_VISA_RECEIPT);
  });
});
