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
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

/**
 * For a reader without the asylum need, a person who holds an I-589 is answered by every link read
 * (and an unlink or review decision on its unflagged records) exactly as a person who holds none:
 * only the I-589 itself, and what touches it, is withheld (8 CFR 208.6: not even the fact of the
 * application may show).
 */
const PURPOSE = { "x-passage-purpose": "identity review" };
const RECEIPT = "ZLA2390077001";
const OTHER_RECEIPT = "ZLA2390077999";
// Two persons alike but for their names: F will also hold an asylum application, C will not.
const personRows = (
  tag: "F" | "C",
  names: { family_name: string; given_names: string },
  aNumber: string,
) => ({
  encounter: {
    ...names,
    date_of_birth: "1981-06-07",
    sex: "F",
    encounter_id: `EN-${tag}-A`,
    passport_number: `${tag}P7770001`,
    passport_country: "HND",
    nationality: "HND",
    encounter_type: "interior_arrest",
    event_date: "2023-02-01",
  },
  court: {
    ...names,
    date_of_birth: "1981-06-07",
    sex: "F",
    court_event_id: `CE-${tag}-B`,
    a_number: aNumber,
    passport_number: `${tag}P7770001`,
    passport_country: "HND",
    case_id: `C-${tag}-1`,
    case_type: "RMV",
    event_type: "nta_filed",
    event_date: "2023-03-01",
  },
});
const FLAGGED = personRows("F", { family_name: "Valderrama", given_names: "Ximena" }, "A077700031");
const CONTROL = personRows("C", { family_name: "Quintanilla", given_names: "Rosaura" }, "A077700042");

let api: ApiTestApp;
const bearer: Record<string, Record<string, string>> = {};
const get = (who: string, url: string) => api.server.inject({ url, headers: { ...bearer[who], ...PURPOSE } });
const post = (who: string, url: string, payload: object) =>
  api.server.inject({ method: "POST", url, headers: { ...bearer[who], ...PURPOSE }, payload });

const personOfRecord = async (feed: string, key: string) =>
  (
    await api.app.store.pool.query<{ person_id: string }>(
      "SELECT person_id FROM person_member WHERE feed = $1 AND key_value = $2",
      [feed, key],
    )
  ).rows[0]!.person_id;

const openReview = async (left: string, right: string) =>
  (
    await api.app.store.pool.query<{ review_id: string }>(
      `INSERT INTO linkage_review (left_record, right_record, reason, match_weight, match_probability, model_version)
       SELECT $1, $2, 'review_band', 1.5, 0.6, max(version) FROM linkage_model RETURNING review_id::text`,
      [left, right],
    )
  ).rows[0]!.review_id;

let flaggedId: string;
let controlId: string;
const reviews: Record<"F" | "C" | "asylum", string> = { F: "", C: "", asylum: "" };

beforeAll(async () => {
  api = await createApiTestApp();
  for (const [who, role, needs] of [
    ["steward", "data_steward", []],
    ["cleared", "data_steward", ["asylum"]],
  ] as const) {
    bearer[who] = {
      authorization: `Bearer ${await api.userToken(userOf(who, role, { confidentialityNeeds: [...needs] }))}`,
    };
  }
  const files = await writeSynthFiles(250, "linkage-flagged-persons");
  await ingestSynthFiles(api.app.store, files);
  removeSynthFiles(files);
  const operator = api.app.access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "setup" });
  await api.app.linkage.linkAll(operator, { training: TEST_TRAINING });
  const ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  for (const rows of [FLAGGED, CONTROL]) {
    await ingestor.ingest("encounter", rows.encounter);
    await ingestor.ingest("court", rows.court);
  }
  // A third person, the other side of the review items below.
  await ingestor.ingest("encounter", {
    family_name: "Oyelaran",
    given_names: "Babatunde",
    date_of_birth: "1975-01-02",
    sex: "M",
    encounter_id: "EN-O-A",
    nationality: "NGA",
    encounter_type: "interior_arrest",
    event_date: "2023-02-01",
  });
  // Another person's asylum application: a record the reader without the need may not see.
  await ingestor.ingest("benefit", {
    family_name: "Abernathy",
    given_names: "Lucius",
    date_of_birth: "1969-09-09",
    a_number: "A077700099",
    receipt_number: OTHER_RECEIPT,
    form_type: "I-589",
    event: "filed",
    event_date: "2023-04-01",
  });
  await ingestor.flush();
  await catchUpProjections(api.app);
  for (const tag of ["F", "C"]) {
    await api.app.linkage.decidePair(operator, `encounter:EN-${tag}-A`, `court:CE-${tag}-B`, {
      decision: "must_link",
      reason: "same passport, checked",
    });
  }
  await catchUpProjections(api.app);
  // F files for asylum: the I-589 joins F's person (same names, birth date and A-number).
  await ingestor.ingest("benefit", {
    family_name: FLAGGED.court.family_name,
    given_names: FLAGGED.court.given_names,
    date_of_birth: FLAGGED.court.date_of_birth,
    sex: "F",
    a_number: FLAGGED.court.a_number,
    receipt_number: RECEIPT,
    form_type: "I-589",
    event: "filed",
    event_date: "2023-04-01",
  });
  await ingestor.close();
  await catchUpProjections(api.app);
  flaggedId = await personOfRecord("court", "CE-F-B");
  controlId = await personOfRecord("court", "CE-C-B");
  if ((await personOfRecord("benefit", RECEIPT)) !== flaggedId) {
    await api.app.linkage.decidePair(operator, `court:CE-F-B`, `benefit:${RECEIPT}`, {
      decision: "must_link",
      reason: "same A-number, checked",
    });
    await catchUpProjections(api.app);
    flaggedId = await personOfRecord("court", "CE-F-B");
  }
  // An uncertain pair per person, on unflagged records; and one on another person's I-589.
  reviews.F = await openReview("court:CE-F-B", "encounter:EN-O-A");
  reviews.C = await openReview("court:CE-C-B", "encounter:EN-O-A");
  reviews.asylum = await openReview(`benefit:${OTHER_RECEIPT}`, "encounter:EN-O-A");
  await api.app.store.db
    .transaction()
    .execute((transaction) => refreshIdentityIssues(transaction, [flaggedId, controlId]));
}, 240_000);

afterAll(async () => {
  await api?.close();
});

/** What a person's links answer says, without what differs between any two persons (ids, names, weights). */
function shapeOf(body: Record<string, unknown>, tag: "F" | "C", personId: string) {
  const text = JSON.stringify(body)
    .replaceAll(personId, "PERSON")
    .replaceAll(`-${tag}-`, "-X-")
    .replaceAll(`${tag}P777`, "XP777");
  const view = JSON.parse(text) as {
    records: { record: string; hiddenFieldGroups: string[]; values: Record<string, string> }[];
    links: { leftRecord: string; rightRecord: string; kind: string }[];
    weakestLink: { kind: string } | null;
    supportingLinks: number;
    decisions: unknown[];
    openReviews: { record: string; otherRecord: string }[];
    identityIssues: { kind: string }[];
  } & Record<string, unknown>;
  return {
    records: view.records.map((record) => ({
      record: record.record,
      hiddenFieldGroups: record.hiddenFieldGroups,
      fields: Object.keys(record.values).sort(),
    })),
    links: view.links.map((link) => [link.leftRecord, link.rightRecord, link.kind]),
    weakestLink: view.weakestLink?.kind ?? null,
    supportingLinks: view.supportingLinks,
    decisions: view.decisions.length,
    openReviews: view.openReviews.map((review) => [review.record, review.otherRecord]),
    identityIssues: view.identityIssues.map((issue) => issue.kind),
    withheld: [view.decisionsWithheld, view.openReviewsWithheld, view.identityIssuesWithheld],
  };
}

describe("link reads of a person holding a flagged record, for a reader without the need", () => {
  it("answers the person's links as for a person without one, the I-589 withheld", async () => {
    const flagged = await get("steward", `/api/v1/persons/${flaggedId}/links`);
    const control = await get("steward", `/api/v1/persons/${controlId}/links`);
    expect(control.statusCode, control.body).toBe(200);
    expect(flagged.statusCode, flagged.body).toBe(200);
    expect(flagged.body).not.toContain(RECEIPT);
    expect(flagged.body).not.toMatch(/benefit:/);
    expect(shapeOf(flagged.json(), "F", flaggedId)).toEqual(shapeOf(control.json(), "C", controlId));
    expect(shapeOf(control.json(), "C", controlId).records.map((record) => record.record)).toEqual(
      expect.arrayContaining(["court:CE-X-B", "encounter:EN-X-A"]),
    );
    // A reader with the need sees the application, as before.
    const cleared = await get("cleared", `/api/v1/persons/${flaggedId}/links`);
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json().records.map((record: { record: string }) => record.record)).toContain(
      `benefit:${RECEIPT}`,
    );
  });

  it("explains a pair of the person's unflagged records, and refuses the I-589 as a missing record", async () => {
    for (const tag of ["F", "C"]) {
      const pair = await get(
        "steward",
        `/api/v1/links/explanation?left=encounter:EN-${tag}-A&right=court:CE-${tag}-B`,
      );
      expect(pair.statusCode, pair.body).toBe(200);
      expect(pair.body).not.toContain(RECEIPT);
    }
    const flaggedPair = await get(
      "steward",
      `/api/v1/links/explanation?left=court:CE-F-B&right=benefit:${RECEIPT}`,
    );
    const missingPair = await get(
      "steward",
      "/api/v1/links/explanation?left=court:CE-F-B&right=benefit:ZZZ0000000000",
    );
    expect(missingPair.statusCode).toBe(404);
    expect(flaggedPair.body.replaceAll(RECEIPT, "KEY")).toBe(
      missingPair.body.replaceAll("ZZZ0000000000", "KEY"),
    );
    const cleared = await get(
      "cleared",
      `/api/v1/links/explanation?left=court:CE-F-B&right=benefit:${RECEIPT}`,
    );
    expect(cleared.statusCode, cleared.body).toBe(200);
  });

  it("shows and lists a review item on the person's unflagged records, not one on an I-589", async () => {
    for (const tag of ["F", "C"] as const) {
      const item = await get("steward", `/api/v1/reviews/${reviews[tag]}`);
      expect(item.statusCode, item.body).toBe(200);
      const personId = tag === "F" ? flaggedId : controlId;
      const listed = await get("steward", `/api/v1/reviews?personId=${personId}`);
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json().reviews.map((review: { reviewId: string }) => String(review.reviewId))).toEqual([
        reviews[tag],
      ]);
    }
    const all = (await get("steward", "/api/v1/reviews?limit=1000")).json().reviews as { reviewId: string }[];
    const listedIds = all.map((review) => String(review.reviewId));
    expect(listedIds).toEqual(expect.arrayContaining([reviews.F, reviews.C]));
    expect(listedIds).not.toContain(reviews.asylum);
    expect((await get("steward", `/api/v1/reviews/${reviews.asylum}`)).statusCode).toBe(404);
    // A reader with the need sees every item.
    const cleared = (await get("cleared", "/api/v1/reviews?limit=1000")).json().reviews as {
      reviewId: string;
    }[];
    expect(cleared.map((review) => String(review.reviewId))).toEqual(
      expect.arrayContaining([reviews.F, reviews.C, reviews.asylum]),
    );
    expect((await get("cleared", `/api/v1/reviews/${reviews.asylum}`)).statusCode).toBe(200);
  });

  it("decides a review item and unlinks an unflagged record of the person as for any person", async () => {
    for (const tag of ["F", "C"] as const) {
      const decided = await post("steward", `/api/v1/reviews/${reviews[tag]}/decision`, {
        outcome: "unsure",
        reason: "needs the A-file",
      });
      expect(decided.statusCode, decided.body).toBe(200);
    }
    const unlinked = await Promise.all(
      (["F", "C"] as const).map(async (tag) => {
        const response = await post("steward", `/api/v1/records/encounter/EN-${tag}-A/unlink`, {
          reason: "another woman's encounter",
        });
        expect(response.statusCode, response.body).toBe(200);
        expect(response.body).not.toContain(RECEIPT);
        const body = response.json();
        return {
          personsWithheld: body.personsWithheld,
          withheld: JSON.stringify(body).includes('"withheld"'),
        };
      }),
    );
    expect(unlinked[0]).toEqual(unlinked[1]);
    expect(unlinked[0]).toEqual({ personsWithheld: 0, withheld: false });
  });
});
