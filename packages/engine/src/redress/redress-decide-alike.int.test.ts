import type { Access, Actor } from "@passage/access";
import { isPassageError } from "@passage/core";
import { executeSql, setCaseAssignment } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import { type AccessBed, createAccessBed } from "../worklist/testing/test-bed.ts";
import { createRedressService, type RedressService } from "./redress-service.ts";

/**
 * A data steward without the asylum and 1367 needs may not decide a flagged person's request (the
 * policies forbid `redress.decide` on it), and no step of the workflow may tell such a steward a
 * flagged person's request from another's: its filer is refused the decision on every request it
 * filed alike, anyone else is answered for a flagged request as for one that does not exist.
 */

const FLAGGED = "P-DECIDEFLAG";
const PLAIN = "P-DECIDEPLAIN";
const STEWARD: Actor = {
  kind: "user",
  id: "steward",
  roles: ["data_steward"],
  office: "HQ",
  confidentialityNeeds: [],
  country: "",
};
const OTHER_STEWARD: Actor = { ...STEWARD, id: "other-steward" };
const PROTECTED_STEWARD: Actor = {
  ...STEWARD,
  id: "protected",
  confidentialityNeeds: ["asylum", "vawa1367"],
};

let bed: AccessBed;
let database: TestDatabase;
let access: Access;
let redress: RedressService;

const as = (actor: Actor) => access.forRequest({ actor, purpose: "test", requestId: `decide-${actor.id}` });

/** The answer to a step, with the request id made neutral (each request has its own). */
async function answer(step: () => Promise<unknown>, requestId: string): Promise<object> {
  try {
    const result = (await step()) as { request: { status: string } };
    return { ok: result.request.status };
  } catch (error) {
    if (!isPassageError(error)) throw error;
    return { code: error.code, message: error.message.replaceAll(requestId, "RR-X") };
  }
}

async function fileFor(actor: Actor, personId: string): Promise<string> {
  const filed = await redress.file(as(actor), { personId, kind: "other", statement: "check" });
  return filed.request.requestId;
}

beforeAll(async () => {
  bed = await createAccessBed("redress-decide");
  ({ database, access } = bed);
  redress = createRedressService({ store: database });
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  await ingestor.ingest("benefit", {
    receipt_number: "ZLA2290077001",
    family_name: "Testperson",
    given_names: "Ana",
    date_of_birth: "1985-05-05",
    a_number: "A200000077",
    form_type: "I-589",
    event: "filed",
    event_date: "2022-02-02",
  });
  await ingestor.close();
  for (const personId of [FLAGGED, PLAIN]) {
    await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1)", [personId]);
    await setCaseAssignment(database.db, { personId, office: "HQ", assignees: [], updatedBy: "test" });
  }
  await executeSql(
    database.db,
    "INSERT INTO person_member (feed, key_value, person_id) VALUES ('benefit', $1, $2)",
    ["ZLA2290077001", FLAGGED],
  );
});

afterAll(() => bed?.close());

describe("redress decisions by a steward without the need", () => {
  it("refuses the filer's review and resolution alike for a flagged and an unflagged person", async () => {
    const flagged = await fileFor(STEWARD, FLAGGED);
    const plain = await fileFor(STEWARD, PLAIN);
    expect((await redress.show(as(PROTECTED_STEWARD), flagged)).request.confidentiality).toEqual(["asylum"]);
    // The filer reads both back alike.
    expect((await redress.show(as(STEWARD), flagged)).request.confidentiality).toEqual([]);
    expect((await redress.show(as(STEWARD), plain)).request.confidentiality).toEqual([]);
    const review = async (requestId: string) =>
      answer(() => redress.startReview(as(STEWARD), requestId), requestId);
    const resolve = async (requestId: string) =>
      answer(() => redress.resolve(as(STEWARD), requestId, { outcome: "denied", reason: "no" }), requestId);
    const refused = {
      code: "PASSAGE_ERR_ACCESS_DENIED",
      // It says why, as a steward holding redress.decide (as /auth/me lists) needs to be told.
      message: expect.stringMatching(
        /may not redress\.decide RedressRequest RR-X.*: you filed this request, so another data steward must decide it/,
      ),
    };
    expect(await review(flagged)).toEqual(refused);
    expect(await review(plain)).toEqual(await review(flagged));
    expect(await resolve(flagged)).toEqual(refused);
    expect(await resolve(plain)).toEqual(await resolve(flagged));
    // Another steward decides them: one without the need the unflagged one, one with it either.
    expect(await answer(() => redress.startReview(as(OTHER_STEWARD), plain), plain)).toEqual({
      ok: "under_review",
    });
    expect(await answer(() => redress.startReview(as(PROTECTED_STEWARD), flagged), flagged)).toEqual({
      ok: "under_review",
    });
  });

  it("answers another steward's decision on a flagged request as on a request that does not exist", async () => {
    const flagged = await fileFor(PROTECTED_STEWARD, FLAGGED);
    const missing = "RR-20990101-00000000";
    const review = async (requestId: string) =>
      answer(() => redress.startReview(as(OTHER_STEWARD), requestId), requestId);
    const resolve = async (requestId: string) =>
      answer(
        () => redress.resolve(as(OTHER_STEWARD), requestId, { outcome: "denied", reason: "no" }),
        requestId,
      );
    expect(await review(missing)).toEqual({
      code: "PASSAGE_ERR_REDRESS_NOT_FOUND",
      message: expect.any(String),
    });
    expect(await review(flagged)).toEqual(await review(missing));
    expect(await resolve(flagged)).toEqual(await resolve(missing));
    // The steward with the need decides it.
    const resolved = await redress.resolve(as(PROTECTED_STEWARD), flagged, {
      outcome: "denied",
      reason: "no",
    });
    expect(resolved.request.status).toBe("resolved");
  });
});
