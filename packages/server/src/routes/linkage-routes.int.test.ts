import { LOCAL_OPERATOR } from "@passage/access";
import { catchUpProjections, createRowIngestor } from "@passage/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshIdentityIssues } from "../../../engine/src/linkage/identity-issues.ts";
import {
  ingestSynthFiles,
  removeSynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "../../../engine/src/linkage/testing/linkage-population.ts";
import { rederivePersons } from "../../../engine/src/worklist/testing/removal-cases.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

const PURPOSE = { "x-passage-purpose": "identity review" };
const PERSON = { family_name: "Quenneville", given_names: "Augustin", date_of_birth: "1980-03-04", sex: "M" };
// A person whose only records are an encounter and an asylum application (8 CFR 208.6).
const ASYLEE = {
  family_name: "Pettigrew",
  given_names: "Zacharias",
  date_of_birth: "1979-11-12",
  a_number: "A066600022",
};
const ASYLUM_RECEIPT = "ZLA2390044556";
let api: ApiTestApp;
const bearer: Record<string, Record<string, string>> = {};

const get = (who: string, url: string) => api.server.inject({ url, headers: { ...bearer[who], ...PURPOSE } });
const post = (who: string, url: string, payload: object) =>
  api.server.inject({ method: "POST", url, headers: { ...bearer[who], ...PURPOSE }, payload });

beforeAll(async () => {
  api = await createApiTestApp();
  for (const [who, role, needs] of [
    ["steward", "data_steward", []],
    // Files redress requests: a steward without both needs decides none it filed (af94bd1).
    ["clerk", "data_steward", []],
    ["cleared", "data_steward", ["asylum"]],
    ["auditor", "auditor", []],
  ] as const) {
    bearer[who] = {
      authorization: `Bearer ${await api.userToken(userOf(who, role, { confidentialityNeeds: [...needs] }))}`,
    };
  }
  const files = await writeSynthFiles(250, "linkage-routes");
  await ingestSynthFiles(api.app.store, files);
  removeSynthFiles(files);
  const operator = api.app.access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "setup" });
  await api.app.linkage.linkAll(operator, { training: TEST_TRAINING });
  const ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  await ingestor.ingest("encounter", {
    ...PERSON,
    encounter_id: "EN-Q-A",
    passport_number: "QP1110001",
    passport_country: "CAN",
    encounter_type: "interior_arrest",
    event_date: "2023-02-01",
  });
  await ingestor.ingest("court", {
    ...PERSON,
    court_event_id: "CE-Q-B",
    a_number: "A055500011",
    passport_number: "QP1110001",
    passport_country: "CAN",
    case_id: "C-Q-1",
    case_type: "RMV",
    event_type: "nta_filed",
    event_date: "2023-03-01",
  });
  await ingestor.ingest("benefit", {
    ...ASYLEE,
    receipt_number: ASYLUM_RECEIPT,
    form_type: "I-589",
    event: "filed",
    event_date: "2023-04-01",
  });
  // A flight: a record of a feed that describes no person.
  await ingestor.ingest("flight", {
    flight_id: "F-Q-1",
    date: "2023-05-01",
    origin_hub: "AEX",
    destination_country: "GTM",
    destination_port: "GUA",
    seats: "10",
    cost: "1000",
  });
  await ingestor.close();
  await catchUpProjections(api.app);
});

afterAll(async () => {
  await api.close();
});

describe("linkage over HTTP", () => {
  let personId: string;

  it("finds a person by name (fuzzy) and by document number", async () => {
    const byName = await get("steward", "/api/v1/persons?q=Quenevile%20Augustin");
    expect(byName.statusCode, byName.body).toBe(200);
    const found = byName.json().persons as { personId: string; record: string }[];
    expect(found.length).toBeGreaterThan(0);
    personId = found[0]!.personId;
    const byDocument = (await get("steward", "/api/v1/persons?q=QP1110001")).json().persons as {
      personId: string;
    }[];
    expect(byDocument.map((person) => person.personId)).toContain(personId);
  });

  it("finds a person by an asylum record's receipt number or names only for a reader with the need to know", async () => {
    const search = async (who: string, q: string) => {
      const response = await get(who, `/api/v1/persons?q=${encodeURIComponent(q)}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().persons as { personId: string; record: string; reason: string }[];
    };
    const cleared = await search("cleared", ASYLUM_RECEIPT);
    expect(cleared.map((hit) => hit.record)).toEqual([`benefit:${ASYLUM_RECEIPT}`]);
    expect((await search("cleared", "Pettigrew Zacharias")).map((hit) => hit.record)).toContain(
      `benefit:${ASYLUM_RECEIPT}`,
    );
    // Without the need: the receipt number finds nobody, and no hit rests on or names the record.
    expect(await search("steward", ASYLUM_RECEIPT)).toEqual([]);
    for (const q of ["Pettigrew Zacharias", ASYLEE.a_number]) {
      expect(JSON.stringify(await search("steward", q))).not.toContain(ASYLUM_RECEIPT);
    }
  });

  it("records a must-link decision and shows the person's links with their explanations", async () => {
    // A human decision makes the two one person whatever the incremental model concluded.
    const decided = await post("steward", "/api/v1/links/decisions", {
      left: "encounter:EN-Q-A",
      right: "court:CE-Q-B",
      decision: "must_link",
      reason: "same passport, checked",
    });
    expect(decided.statusCode, decided.body).toBe(200);
    await catchUpProjections(api.app);
    personId = (await get("steward", "/api/v1/records/encounter/EN-Q-A")).json().personId;
    const links = (await get("steward", `/api/v1/persons/${personId}/links`)).json();
    expect(links.records.map((record: { record: string }) => record.record).sort()).toEqual([
      "court:CE-Q-B",
      "encounter:EN-Q-A",
    ]);
    const pair = await get("steward", "/api/v1/links/explanation?left=encounter:EN-Q-A&right=court:CE-Q-B");
    expect(pair.statusCode, pair.body).toBe(200);
    expect(pair.json().explanation.band).toBe("auto_link");
  });

  it("names another person's record in a person's decisions, reviews and identity issues only to readers of that person's links", async () => {
    const asylumRecord = `benefit:${ASYLUM_RECEIPT}`;
    const decided = await post("cleared", "/api/v1/links/decisions", {
      left: "encounter:EN-Q-A",
      right: asylumRecord,
      decision: "cannot_link",
      reason: "different men, checked with counsel",
    });
    expect(decided.statusCode, decided.body).toBe(200);
    // An uncertain pair between this person and the asylum applicant, as linkage would open it.
    await api.app.store.pool.query(
      `INSERT INTO linkage_review (left_record, right_record, reason, match_weight, match_probability, model_version)
       SELECT $1, $2, 'review_band', 1.5, 0.6, max(version) FROM linkage_model`,
      [asylumRecord, "court:CE-Q-B"],
    );
    await api.app.store.db
      .transaction()
      .execute((transaction) => refreshIdentityIssues(transaction, [personId]));
    const cleared = (await get("cleared", `/api/v1/persons/${personId}/links`)).json();
    expect(JSON.stringify(cleared.decisions)).toContain(asylumRecord);
    expect(cleared.openReviews.map((review: { otherRecord: string }) => review.otherRecord)).toContain(
      asylumRecord,
    );
    // An identity issue names and cites only this person's side; the review queue names the other.
    expect(cleared.identityIssues.length).toBeGreaterThan(0);
    expect(JSON.stringify(cleared.identityIssues)).not.toContain(ASYLUM_RECEIPT);
    // A steward without the asylum need may read this person's links, not the applicant's.
    const response = await get("steward", `/api/v1/persons/${personId}/links`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).not.toContain(ASYLUM_RECEIPT);
    expect(response.json()).toMatchObject({
      decisionsWithheld: 1,
      openReviewsWithheld: 1,
      identityIssuesWithheld: 0,
    });
    expect(response.json().decisions.length).toBe(cleared.decisions.length - 1);
    expect([cleared.decisionsWithheld, cleared.openReviewsWithheld, cleared.identityIssuesWithheld]).toEqual([
      0, 0, 0,
    ]);
    // Neither a pair's explanation nor its review item tells a reader without the need that the
    // asylum record exists: answered exactly as for a record or an item that does not exist.
    const explanation = (right: string) => `/api/v1/links/explanation?left=court:CE-Q-B&right=${right}`;
    const flaggedPair = await get("steward", explanation(asylumRecord));
    const missingPair = await get("steward", explanation("benefit:ZZZ0000000000"));
    expect(missingPair.statusCode).toBe(404);
    expect(flaggedPair.statusCode).toBe(404);
    expect(flaggedPair.body.replaceAll(ASYLUM_RECEIPT, "KEY")).toBe(
      missingPair.body.replaceAll("ZZZ0000000000", "KEY"),
    );
    expect((await get("cleared", explanation(asylumRecord))).statusCode).toBe(200);
    const { rows } = await api.app.store.pool.query<{ review_id: string }>(
      "SELECT review_id::text FROM linkage_review WHERE left_record = $1",
      [asylumRecord],
    );
    const flaggedReview = await get("steward", `/api/v1/reviews/${rows[0]!.review_id}`);
    const missingReview = await get("steward", "/api/v1/reviews/99999999");
    expect(flaggedReview.statusCode).toBe(404);
    expect(flaggedReview.body.replace(rows[0]!.review_id, "ID")).toBe(
      missingReview.body.replace("99999999", "ID"),
    );
    expect((await get("cleared", `/api/v1/reviews/${rows[0]!.review_id}`)).statusCode).toBe(200);
    // Nor does an unlink: refused as a record that does not exist would be.
    const unlink = (reference: string) =>
      post("steward", `/api/v1/records/${reference.replace(":", "/")}/unlink`, { reason: "probe" });
    const flaggedUnlink = await unlink(asylumRecord);
    const missingUnlink = await unlink("benefit:ZZZ0000000000");
    expect(missingUnlink.statusCode).toBe(404);
    expect(flaggedUnlink.statusCode, flaggedUnlink.body).toBe(404);
    expect(flaggedUnlink.body.replaceAll(ASYLUM_RECEIPT, "KEY")).toBe(
      missingUnlink.body.replaceAll("ZZZ0000000000", "KEY"),
    );
    // Nor do the applicant's own links: answered as for any person, the asylum record (and the
    // decision naming it) withheld.
    const { rows: applicant } = await api.app.store.pool.query<{ person_id: string }>(
      "SELECT person_id FROM person_member WHERE feed = 'benefit' AND key_value = $1",
      [ASYLUM_RECEIPT],
    );
    const applicantId = applicant[0]!.person_id;
    const flaggedLinks = await get("steward", `/api/v1/persons/${applicantId}/links`);
    expect(flaggedLinks.statusCode, flaggedLinks.body).toBe(200);
    expect(flaggedLinks.body).not.toContain(ASYLUM_RECEIPT);
    expect(flaggedLinks.json()).toMatchObject({ records: [], links: [], decisions: [], openReviews: [] });
    expect((await get("cleared", `/api/v1/persons/${applicantId}/links`)).statusCode).toBe(200);
    // The identity gate this pair makes hold shows in the person's status without the applicant's record.
    await rederivePersons(api.app.store, [personId]);
    await catchUpProjections(api.app);
    const status = await get("steward", `/api/v1/persons/${personId}/status`);
    expect(status.statusCode, status.body).toBe(200);
    expect(status.body).toContain("IDENTITY_NOT_CONFIRMED");
    expect(status.body).not.toContain(ASYLUM_RECEIPT);
  });

  it("refuses to explain a flight record, naming the problem", async () => {
    const flight = await get("steward", "/api/v1/links/explanation?left=flight:F-Q-1&right=court:CE-Q-B");
    expect(flight.statusCode, flight.body).toBe(400);
    expect(flight.json().error.code).toBe("PASSAGE_ERR_LINK_NOT_PERSON_RECORD");
    expect(flight.json().error.message).toMatch(/flight:F-Q-1 is a flight record, which describes no person/);
  });

  it("refuses to explain a record against itself, as a decision on it is refused", async () => {
    const itself = await get("steward", "/api/v1/links/explanation?left=court:CE-Q-B&right=court:CE-Q-B");
    expect(itself.statusCode, itself.body).toBe(400);
    expect(itself.json().error).toMatchObject({
      code: "PASSAGE_ERR_LINK_PAIR_INVALID",
      message: expect.stringMatching(/left and right are the same record \(court:CE-Q-B\)/),
    });
  });

  it("resolves a 'not my record' request by unlinking the record through linkage, audited", async () => {
    const filed = await post("clerk", "/api/v1/redress", {
      personId,
      kind: "not_my_record",
      statement: "The court record is another man's.",
      disputedRecords: ["court:CE-Q-B"],
      documents: [{ type: "A-file review", number: "AF-1", issuer: "USCIS" }],
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const requestId = filed.json().request.requestId;
    const resolved = await post("steward", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "granted",
      reason: "A-file checked: different man",
      unlinks: ["court:CE-Q-B"],
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const body = resolved.json();
    expect(body.linkDecisions).toHaveLength(1);
    expect(body.request.corrections).toEqual([{ record: "court:CE-Q-B", outcome: "unlinked" }]);
    await catchUpProjections(api.app);
    const after = (await get("steward", `/api/v1/persons/${personId}/links`)).json();
    expect(after.records.map((record: { record: string }) => record.record)).not.toContain("court:CE-Q-B");
    const entries = (await get("auditor", "/api/v1/audit/entries?limit=300")).json().entries as {
      action: string;
      actor: string;
    }[];
    expect(entries).toContainEqual(expect.objectContaining({ action: "link.decide", actor: "user:steward" }));
    // The pair still scores auto_link; its explanation says the unlink's cannot-link holds it apart.
    const pair = await get("steward", "/api/v1/links/explanation?left=encounter:EN-Q-A&right=court:CE-Q-B");
    expect(pair.json().explanation.band).toBe("auto_link");
    expect(pair.json().override).toMatchObject({
      outcome: "held_apart",
      note: expect.stringMatching(
        /^held apart: cannot-link decision \d+ \(unlink, by user:steward\) overrides band auto_link$/,
      ),
    });
    const report = (await api.server.inject("/api/v1/reports")).json();
    expect(report.tables.map((table: { id: string }) => table.id)).toContain("link_reviews");
  });
});
