import { catchUpProjections, createRowIngestor, type RowIngestor, todayUtc } from "@passage/engine";
import { setCaseAssignment } from "@passage/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestPerson, removalCaseRows } from "../../../engine/src/worklist/testing/removal-cases.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

// What a resolution refuses, it refuses before anything is written, naming what to change.
const TODAY = todayUtc();
const PURPOSE = { "x-passage-purpose": "redress review" };
const NO_BIRTH_DATE = "P-NODOB";
const LINKS = "P-LINKS";

let api: ApiTestApp;
let ingestor: RowIngestor;
const bearer: Record<string, Record<string, string>> = {};

const post = (who: string, url: string, payload: object) =>
  api.server.inject({ method: "POST", url, headers: { ...bearer[who], ...PURPOSE }, payload });
const get = (who: string, url: string) => api.server.inject({ url, headers: { ...bearer[who], ...PURPOSE } });

async function file(personId: string, body: Record<string, unknown>): Promise<string> {
  const filed = await post("clerk", "/api/v1/redress", { personId, statement: "please check", ...body });
  expect(filed.statusCode, filed.body).toBe(201);
  return filed.json().request.requestId as string;
}

const recordsOf = async (personId: string) =>
  (
    await api.app.store.pool.query<{ ref: string }>(
      "SELECT feed || ':' || key_value AS ref FROM person_member WHERE person_id = $1 ORDER BY 1",
      [personId],
    )
  ).rows.map((row) => row.ref);

const versionsOf = async (feed: string) =>
  (
    await api.app.store.pool.query<{ count: string }>(
      "SELECT count(*)::text AS count FROM source_record WHERE feed = $1",
      [feed],
    )
  ).rows[0]!.count;

beforeAll(async () => {
  api = await createApiTestApp();
  ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  for (const [who, role] of [
    ["clerk", "data_steward"],
    ["steward", "data_steward"],
  ] as const) {
    bearer[who] = { authorization: `Bearer ${await api.userToken(userOf(who, role))}` };
  }
  await ingestPerson(api.app.store, ingestor, NO_BIRTH_DATE, [
    [
      "benefit",
      {
        family_name: "Nodob",
        given_names: "Ines",
        a_number: "A300000001",
        receipt_number: "EAC2390000001",
        form_type: "I-485",
        event: "filed",
        event_date: "2023-01-02",
      },
    ],
  ]);
  await ingestPerson(api.app.store, ingestor, LINKS, removalCaseRows({ number: 7, asOf: TODAY }));
  for (const personId of [NO_BIRTH_DATE, LINKS]) {
    await setCaseAssignment(api.app.store.db, { personId, office: "HQ", assignees: [], updatedBy: "test" });
  }
  await ingestor.ingest("flight", {
    flight_id: "F-REDRESS-1",
    date: TODAY,
    origin_hub: "AEX",
    destination_country: "GTM",
    destination_port: "GUA",
    seats: "10",
    cost: "1000",
  });
  // A record stored but linked to no person (another person's, say, not yet linked).
  await ingestor.ingest("benefit", {
    family_name: "Unlinked",
    given_names: "Uma",
    date_of_birth: "1990-02-03",
    a_number: "A300000099",
    receipt_number: "EAC2390000099",
    form_type: "I-485",
    event: "filed",
    event_date: "2023-03-04",
  });
  await ingestor.flush();
  while ((await catchUpProjections(api.app)).applied > 0);
});

afterAll(async () => {
  await ingestor.close();
  await api.close();
});

describe("a verified citizenship of a person with no date of birth on record", () => {
  it("is refused without the document's date of birth, asking for it, and granted with it", async () => {
    const requestId = await file(NO_BIRTH_DATE, { kind: "citizenship" });
    const before = await versionsOf("citizenship");
    const refused = await post("steward", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "granted",
      reason: "passport verified",
      citizenship: { effectiveDate: "2001-01-01" },
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.code).toBe("PASSAGE_ERR_REDRESS_INVALID");
    expect(refused.json().error.message).toContain("citizenship.dateOfBirth");
    expect(refused.json().error.message).toContain("--citizenship-birth-date");
    expect(refused.json().error.message).not.toContain("correction 0");
    expect(await versionsOf("citizenship")).toBe(before);
    expect((await get("steward", `/api/v1/redress/${requestId}`)).json().request.status).toBe("filed");

    // A citizenship cannot take effect before the birth it follows.
    const beforeBirth = await post("steward", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "granted",
      reason: "passport verified",
      citizenship: { effectiveDate: "1969-12-31", dateOfBirth: "1970-03-04" },
    });
    expect(beforeBirth.statusCode, beforeBirth.body).toBe(400);
    expect(beforeBirth.json().error.message).toContain(
      "citizenship.effectiveDate 1969-12-31 is before the date of birth given (1970-03-04)",
    );
    expect(await versionsOf("citizenship")).toBe(before);
    expect((await get("steward", `/api/v1/redress/${requestId}`)).json().request.status).toBe("filed");

    const granted = await post("steward", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "granted",
      reason: "passport verified",
      citizenship: { effectiveDate: "2001-01-01", dateOfBirth: "1970-03-04" },
    });
    expect(granted.statusCode, granted.body).toBe(200);
    const { rows } = await api.app.store.pool.query<{ fields: Record<string, unknown> }>(
      "SELECT fields FROM source_record WHERE feed = 'citizenship' AND source_name = $1",
      [`redress:${requestId}`],
    );
    expect(rows.map((row) => row.fields.date_of_birth)).toEqual(["1970-03-04"]);
  });
});

describe("a resolution's unlinks and cannot-link decisions", () => {
  it("are all checked before the first is taken, each refusal naming the record, nothing decided", async () => {
    const own = await recordsOf(LINKS);
    const [disputed, other] = own as [string, string];
    const requestId = await file(LINKS, { kind: "not_my_record", disputedRecords: [disputed] });
    const resolve = (body: Record<string, unknown>) =>
      post("steward", `/api/v1/redress/${requestId}/resolve`, {
        outcome: "granted",
        reason: "not theirs",
        ...body,
      });
    const refusals: [Record<string, unknown>, string][] = [
      [
        { unlinks: [disputed], cannotLink: [{ left: disputed, right: "court:CE4400101544" }] },
        "cannot-link record court:CE4400101544: no such record",
      ],
      [{ unlinks: [disputed, disputed] }, `unlinked record ${disputed} is named twice`],
      [{ unlinks: ["court:CE4400101544"] }, "unlinked record court:CE4400101544: no such record"],
      [{ cannotLink: [{ left: disputed, right: disputed }] }, `names one record twice`],
      [
        {
          cannotLink: [
            { left: disputed, right: other },
            { left: other, right: disputed },
          ],
        },
        `cannot-link pair ${other} ~ ${disputed} is named twice`,
      ],
      [{ unlinks: own }, `would leave ${LINKS} no record`],
    ];
    for (const [body, problem] of refusals) {
      const refused = await resolve(body);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().error.code).toBe("PASSAGE_ERR_REDRESS_INVALID");
      expect(refused.json().error.message).toContain(problem);
      expect(refused.json().error.message).toContain("nothing was written");
    }
    expect(await recordsOf(LINKS)).toEqual(own);
    const { count } = (
      await api.app.store.pool.query<{ count: string }>(
        "SELECT count(*)::text AS count FROM linkage_decision",
      )
    ).rows[0]!;
    expect(count).toBe("0");
    const request = (await get("steward", `/api/v1/redress/${requestId}`)).json();
    expect(request.request.status).toBe("filed");
    expect(request.events.map((event: { step: string }) => event.step)).toEqual(["filed"]);
  });
});

describe("a resolution's corrections", () => {
  it("refuse a feed not about a person and a stored record of no person, writing nothing", async () => {
    const requestId = await file(LINKS, { kind: "other" });
    const resolve = (feed: string, row: Record<string, unknown>) =>
      post("steward", `/api/v1/redress/${requestId}/resolve`, {
        outcome: "granted",
        reason: "corrected",
        corrections: [{ feed, row }],
      });
    const flights = await versionsOf("flight");
    const flight = await resolve("flight", {
      flight_id: "F-REDRESS-1",
      date: TODAY,
      origin_hub: "AEX",
      destination_country: "GTM",
      destination_port: "GUA",
      seats: "12",
      cost: "1000",
    });
    expect(flight.statusCode, flight.body).toBe(400);
    expect(flight.json().error.code).toBe("PASSAGE_ERR_REDRESS_CORRECTION_NOT_ABOUT_PERSON");
    expect(flight.json().error.message).toContain("flight feed, which is not about a person");
    expect(await versionsOf("flight")).toBe(flights);

    const own = await recordsOf(LINKS);
    const benefits = await versionsOf("benefit");
    const unlinked = await resolve("benefit", {
      family_name: "Unlinked",
      given_names: "Uma",
      date_of_birth: "1990-02-03",
      a_number: "A300000099",
      receipt_number: "EAC2390000099",
      form_type: "I-485",
      event: "approved",
      event_date: "2023-05-06",
    });
    expect(unlinked.statusCode, unlinked.body).toBe(409);
    expect(unlinked.json().error.code).toBe("PASSAGE_ERR_REDRESS_RECORD_OF_NO_PERSON");
    expect(unlinked.json().error.message).toContain("benefit:EAC2390000099 exists and belongs to no person");
    expect(await versionsOf("benefit")).toBe(benefits);
    expect(await recordsOf(LINKS)).toEqual(own);
    expect((await get("steward", `/api/v1/redress/${requestId}`)).json().request.status).toBe("filed");

    // A new record is still attached to the person.
    const added = await resolve("benefit", {
      family_name: "Testperson7",
      given_names: "Ana",
      date_of_birth: "1985-05-05",
      a_number: "A200000007",
      receipt_number: "EAC2390000777",
      form_type: "I-485",
      event: "filed",
      event_date: "2023-05-06",
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(await recordsOf(LINKS)).toContain("benefit:EAC2390000777");
  });
});
