import { catchUpProjections, createRowIngestor, todayUtc } from "@passage/engine";
import { setCaseAssignment } from "@passage/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ingestPerson,
  rederivePersons,
  removalCaseRows,
} from "../../../engine/src/worklist/testing/removal-cases.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

// Asylum (8 CFR 208.6) and T/U/VAWA (8 U.S.C. 1367) matters are shown only to readers with the
// need, and 1367 bars disclosure of the case's existence: no answer may tell a reader without the
// need that such a record exists, nor cite records of a field group hidden from the reader, nor
// answer another office's case differently from one that does not exist.
const PURPOSE = { "x-passage-purpose": "case review" };
const ASYLUM_GRANT = "EAC2290088001";
const U_VISA_FILING = "EAC2290088002";
const ASYLUM_GRANTED_ON = "2019-03-04";
const U_VISA_FILED_ON = "2021-06-07";
const LAX_ADMISSION = `9${String(4).padStart(10, "0")}`;
let api: ApiTestApp;
const bearer: Record<string, Record<string, string>> = {};

const benefit = (number: number, receipt: string, form: string, event: string, eventDate: string) => ({
  receipt_number: receipt,
  family_name: `Testperson${number}`,
  given_names: "Ana",
  date_of_birth: "1985-05-05",
  a_number: `A${200_000_000 + number}`,
  form_type: form,
  event,
  event_date: eventDate,
});

function inject(who: string, method: "GET" | "POST", url: string, payload?: object) {
  return api.server.inject({ method, url, headers: { ...bearer[who], ...PURPOSE }, payload });
}

beforeAll(async () => {
  api = await createApiTestApp();
  for (const [who, role, office, needs] of [
    ["officer", "removal_officer", "NYC", []],
    ["supervisor", "supervisor", "NYC", ["asylum"]],
    ["planner", "transport_planner", "HQ", []],
    ["steward", "data_steward", "HQ", []],
  ] as const) {
    const user = userOf(who, role, { office, confidentialityNeeds: [...needs] });
    bearer[who] = { authorization: `Bearer ${await api.userToken(user)}` };
  }
  const ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  const asOf = todayUtc();
  // P-1: a final order and an aggravated felony (NYC); P-4: a final order (LAX).
  await ingestPerson(
    api.app.store,
    ingestor,
    "P-1",
    removalCaseRows({ number: 1, asOf, aggravatedFelony: true }),
  );
  await ingestPerson(api.app.store, ingestor, "P-4", removalCaseRows({ number: 4, asOf }));
  // P-2: granted asylum; P-3: a U visa petition filed (both NYC).
  await ingestor.ingest("benefit", benefit(2, ASYLUM_GRANT, "I-589", "approved", ASYLUM_GRANTED_ON));
  await ingestor.ingest("benefit", benefit(3, U_VISA_FILING, "I-918", "filed", U_VISA_FILED_ON));
  await ingestor.close();
  for (const [personId, receipt] of [
    ["P-2", ASYLUM_GRANT],
    ["P-3", U_VISA_FILING],
  ] as const) {
    await api.app.store.pool.query("INSERT INTO person (person_id) VALUES ($1)", [personId]);
    await api.app.store.pool.query(
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ('benefit', $1, $2)",
      [receipt, personId],
    );
  }
  for (const [personId, office] of [
    ["P-1", "NYC"],
    ["P-2", "NYC"],
    ["P-3", "NYC"],
    ["P-4", "LAX"],
  ] as const) {
    await setCaseAssignment(api.app.store.db, { personId, office, assignees: [], updatedBy: "test" });
  }
  await rederivePersons(api.app.store, ["P-1", "P-2", "P-3", "P-4"]);
  while ((await catchUpProjections(api.app)).applied > 0);
});

afterAll(async () => {
  await api.close();
});

describe("confidential matters and other offices' cases are not disclosed", () => {
  it("answers a filing without the person's confidentiality flags the filer may not read", async () => {
    for (const [who, personId] of [
      ["officer", "P-2"],
      ["officer", "P-3"],
      ["supervisor", "P-3"],
    ] as const) {
      const filed = await inject(who, "POST", "/api/v1/redress", {
        personId,
        kind: "other",
        statement: "check",
      });
      expect(filed.statusCode, filed.body).toBe(201);
      expect(filed.json().request.confidentiality).toEqual([]);
      expect(filed.body).not.toMatch(/asylum|vawa1367/);
    }
    // The supervisor has the asylum need: the flag is theirs to see.
    const seen = await inject("supervisor", "POST", "/api/v1/redress", {
      personId: "P-2",
      kind: "other",
      statement: "check",
    });
    expect(seen.json().request.confidentiality).toEqual(["asylum"]);
  });

  it("refuses a disputed confidential record of the person as it refuses a record that is not the person's", async () => {
    const answers = [];
    for (const record of [`benefit:${ASYLUM_GRANT}`, `admission:${LAX_ADMISSION}`]) {
      const filed = await inject("officer", "POST", "/api/v1/redress", {
        personId: "P-2",
        kind: "not_my_record",
        statement: "not mine",
        disputedRecords: [record],
      });
      answers.push({ status: filed.statusCode, body: filed.body.replaceAll(record, "RECORD") });
    }
    expect(answers[0]!.status).toBe(400);
    expect(answers[0]).toEqual(answers[1]);
  });

  it("answers a status read by a missing, a confidential and another office's record alike", async () => {
    const references = ["benefit:EAC0000000000", `benefit:${U_VISA_FILING}`, `admission:${LAX_ADMISSION}`];
    // The planner holds no record.read at all, and status.read on every office.
    for (const who of ["officer", "steward", "planner"]) {
      const answers = [];
      for (const reference of references) {
        const [feed, key] = reference.split(":");
        const response = await inject(who, "GET", `/api/v1/records/${feed}/${key}/status`);
        answers.push({ status: response.statusCode, body: response.body.replaceAll(reference, "RECORD") });
        if (who === "officer") expect(response.body).not.toMatch(/P-3|P-4/);
        else if (reference !== references[2]) expect(response.body).not.toMatch(/P-3/);
      }
      if (who === "officer") {
        expect(answers[0]!.status).toBe(403);
        expect(answers[1]).toEqual(answers[0]);
        expect(answers[2]).toEqual(answers[0]);
      } else {
        // Every office's reach: the missing and the confidential record alike (the LAX one is read).
        expect(answers[0]!.status).toBe(404);
        expect(JSON.parse(answers[0]!.body).error.code).toBe("PASSAGE_ERR_STATUS_RECORD_NOT_FOUND");
        expect(answers[1]).toEqual(answers[0]);
        expect(answers[2]!.status).toBe(200);
      }
    }
  });

  it("shows that a confidential matter holds without the dates that rest on it", async () => {
    for (const [personId, date] of [
      ["P-2", ASYLUM_GRANTED_ON],
      ["P-3", U_VISA_FILED_ON],
    ] as const) {
      const status = await inject("officer", "GET", `/api/v1/persons/${personId}/status`);
      expect(status.statusCode, status.body).toBe(200);
      expect(status.json().state.primary).toMatch(/PROTECTED_STATUS|BENEFIT_PENDING/);
      expect(status.json().state.since).toBeNull();
      expect(status.body).not.toContain(date);
      const person = await inject("officer", "GET", `/api/v1/persons/${personId}`);
      expect(person.statusCode, person.body).toBe(200);
      expect(person.json().person.state.primary).toBe(status.json().state.primary);
      expect(person.body).not.toContain(date);
    }
  });

  it("hides the confidential field group on every person alike from a reader without the need", async () => {
    const hidden = async (who: string, personId: string) =>
      (await inject(who, "GET", `/api/v1/persons/${personId}`)).json().hiddenFieldGroups;
    // P-1 holds no confidential matter, P-2 an asylum grant, P-3 a U visa filing (all NYC).
    for (const personId of ["P-1", "P-2", "P-3"]) {
      expect(await hidden("officer", personId)).toContain("confidential");
      // The asylum need alone is not the 1367 need: hidden on every person alike for it too.
      expect(await hidden("supervisor", personId)).toContain("confidential");
    }
  });

  it("cites no record of a field group hidden from the reader", async () => {
    const person = await inject("planner", "GET", "/api/v1/persons/P-1");
    expect(person.statusCode, person.body).toBe(200);
    expect(person.json().hiddenFieldGroups).toEqual(expect.arrayContaining(["criminal", "benefits"]));
    expect(person.body).not.toContain("conviction");
    expect(person.body).not.toContain("D-1");
    const steward = await inject("steward", "GET", "/api/v1/persons/P-1");
    expect(steward.body).toContain("conviction:D-1");
  });

  it("refuses another office's person's records and plans as the sibling routes do", async () => {
    for (const url of [
      "/api/v1/persons/P-4",
      "/api/v1/persons/P-4/records",
      "/api/v1/persons/P-404/records",
    ]) {
      const response = await inject("officer", "GET", url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(403);
    }
    expect((await inject("officer", "GET", "/api/v1/persons/P-1/records")).statusCode).toBe(200);
    expect((await inject("steward", "GET", "/api/v1/persons/P-404/records")).statusCode).toBe(404);
    for (const url of ["/api/v1/worklist?office=LAX", "/api/v1/transport-plans?office=LAX"]) {
      const response = await inject("officer", "GET", url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(403);
    }
    expect((await inject("officer", "GET", "/api/v1/transport-plans?office=NYC")).statusCode).toBe(200);
  });
});
