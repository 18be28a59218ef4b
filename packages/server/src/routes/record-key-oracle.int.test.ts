import { LOCAL_OPERATOR } from "@passage/access";
import { catchUpProjections, createRowIngestor } from "@passage/engine";
import { setCaseAssignment } from "@passage/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ingestSynthFiles,
  removeSynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "../../../engine/src/linkage/testing/linkage-population.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

/**
 * 8 U.S.C. 1367 bars disclosure even of a case's existence (8 CFR 208.6 protects the fact of an
 * asylum application): every route that takes a record key answers a reader without the need
 * alike for a key that names no record and for a key of a confidential record, whether the
 * record's person is of the reader's own office or of another; a reader with the needs is told
 * the truth (a missing key is not found).
 */
const PURPOSE = { "x-passage-purpose": "case review" };
const MISSING = "ZNY0000000000";
const NYC_ASYLUM = "ZNY2390055001";
const NYC_U_VISA = "ZNY2390055002";
const LAX_ASYLUM = "ZLA2390055003";
const IN_OFFICE_RECORD = "encounter:EN-N-A";
let api: ApiTestApp;
const bearer: Record<string, Record<string, string>> = {};

const benefit = (tag: string, receipt: string, form: string) => ({
  family_name: `Ostrowski${tag}`,
  given_names: "Halina",
  date_of_birth: "1977-07-07",
  a_number: `A0888000${tag.charCodeAt(0)}`,
  receipt_number: receipt,
  form_type: form,
  event: "filed",
  event_date: "2023-04-01",
});

const personOfRecord = async (feed: string, key: string) =>
  (
    await api.app.store.pool.query<{ person_id: string }>(
      "SELECT person_id FROM person_member WHERE feed = $1 AND key_value = $2",
      [feed, key],
    )
  ).rows[0]!.person_id;

beforeAll(async () => {
  api = await createApiTestApp();
  for (const [who, role, office, needs] of [
    ["officer-nyc", "removal_officer", "NYC", []],
    ["officer-lax", "removal_officer", "LAX", []],
    ["supervisor-nyc", "supervisor", "NYC", []],
    ["supervisor-lax", "supervisor", "LAX", []],
    ["steward", "data_steward", "HQ", []],
    ["cleared", "data_steward", "HQ", ["asylum", "vawa1367"]],
    ["auditor", "auditor", "HQ", []],
  ] as const) {
    const user = userOf(who, role, { office, confidentialityNeeds: [...needs] });
    bearer[who] = { authorization: `Bearer ${await api.userToken(user)}` };
  }
  const files = await writeSynthFiles(250, "record-key-oracle");
  await ingestSynthFiles(api.app.store, files);
  removeSynthFiles(files);
  const operator = api.app.access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "setup" });
  await api.app.linkage.linkAll(operator, { training: TEST_TRAINING });
  const ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  for (const [tag, office] of [
    ["N", "NYC"],
    ["L", "LAX"],
  ] as const) {
    await ingestor.ingest("encounter", {
      family_name: `Brzezinska${tag}`,
      given_names: "Wanda",
      date_of_birth: "1982-02-02",
      sex: "F",
      encounter_id: `EN-${tag}-A`,
      nationality: office === "NYC" ? "POL" : "UKR",
      encounter_type: "interior_arrest",
      event_date: "2023-02-01",
    });
  }
  await ingestor.ingest("benefit", benefit("N", NYC_ASYLUM, "I-589"));
  await ingestor.ingest("benefit", benefit("U", NYC_U_VISA, "I-918"));
  await ingestor.ingest("benefit", benefit("L", LAX_ASYLUM, "I-589"));
  await ingestor.close();
  await catchUpProjections(api.app);
  for (const [feed, key, office] of [
    ["encounter", "EN-N-A", "NYC"],
    ["encounter", "EN-L-A", "LAX"],
    ["benefit", NYC_ASYLUM, "NYC"],
    ["benefit", NYC_U_VISA, "NYC"],
    ["benefit", LAX_ASYLUM, "LAX"],
  ] as const) {
    const personId = await personOfRecord(feed, key);
    await setCaseAssignment(api.app.store.db, { personId, office, assignees: [], updatedBy: "test" });
  }
}, 240_000);

afterAll(async () => {
  await api?.close();
});

/** A request on a record key (`benefit:KEY`), as each route takes it. */
type KeyRoute = (key: string) => { method: "GET" | "POST"; url: string; payload?: object };

const ROUTES: Readonly<Record<string, KeyRoute>> = {
  "records by key": (key) => ({ method: "GET", url: `/api/v1/records/benefit/${key}` }),
  "status by record": (key) => ({ method: "GET", url: `/api/v1/records/benefit/${key}/status` }),
  "pair explanation": (key) => ({
    method: "GET",
    url: `/api/v1/links/explanation?left=${IN_OFFICE_RECORD}&right=benefit:${key}`,
  }),
  "pair explanation, key first": (key) => ({
    method: "GET",
    url: `/api/v1/links/explanation?left=benefit:${key}&right=${IN_OFFICE_RECORD}`,
  }),
  unlink: (key) => ({
    method: "POST",
    url: `/api/v1/records/benefit/${key}/unlink`,
    payload: { reason: "not this person's record" },
  }),
  "decide pair": (key) => ({
    method: "POST",
    url: "/api/v1/links/decisions",
    payload: { left: IN_OFFICE_RECORD, right: `benefit:${key}`, decision: "cannot_link", reason: "checked" },
  }),
  "search by receipt number": (key) => ({ method: "GET", url: `/api/v1/persons?q=${key}` }),
};

/**
 * The answer to a request on `key` and the audit entries it wrote as an auditor without the need
 * lists them, with the key itself (and what differs between any two requests) written out.
 */
async function answerOf(who: string, route: KeyRoute, key: string) {
  const { audit, auditRepository } = api.app.access;
  await audit.flush();
  const before = await auditRepository.recordedSize();
  const response = await api.server.inject({ ...route(key), headers: { ...bearer[who], ...PURPOSE } });
  await audit.flush();
  const listed = await api.server.inject({
    url: `/api/v1/audit/entries?actor=user:${who}&limit=20`,
    headers: bearer.auditor,
  });
  // The first request of a user also records its token's first use: not about the key.
  const entries = (listed.json().entries as { index: number; action: string }[])
    .filter((entry) => entry.index >= before && entry.action !== "auth.token")
    .map(({ index, time, requestId, leafHash, ...entry }: Record<string, unknown>) => entry);
  const written = (text: string) =>
    text.replaceAll(key, "KEY").replace(/"requestId":"[^"]*"/g, '"requestId":"ID"');
  return {
    status: response.statusCode,
    body: written(response.body),
    audit: written(JSON.stringify(entries)),
  };
}

describe("a record key's answer never tells a reader without the need that a confidential record exists", () => {
  for (const [name, route] of Object.entries(ROUTES)) {
    it(`${name}: a missing key and a confidential record's key answer alike, in and out of office`, async () => {
      for (const who of ["officer-nyc", "officer-lax", "supervisor-nyc", "supervisor-lax", "steward"]) {
        const missing = await answerOf(who, route, MISSING);
        for (const key of [NYC_ASYLUM, NYC_U_VISA, LAX_ASYLUM]) {
          expect(await answerOf(who, route, key), `${who} on ${key}`).toEqual(missing);
        }
      }
    });
  }

  it("tells a reader with the needs that a missing key is not found", async () => {
    for (const name of ["records by key", "status by record", "pair explanation", "unlink", "decide pair"]) {
      const missing = await answerOf("cleared", ROUTES[name]!, MISSING);
      expect(missing.status, `${name}: ${missing.body}`).toBe(404);
    }
    for (const name of ["records by key", "pair explanation"]) {
      const confidential = await answerOf("cleared", ROUTES[name]!, NYC_ASYLUM);
      expect(confidential.status, `${name}: ${confidential.body}`).toBe(200);
    }
  });
});
