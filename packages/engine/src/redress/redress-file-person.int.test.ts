import type { Access, Actor } from "@passage/access";
import { isPassageError } from "@passage/core";
import { executeSql, setCaseAssignment } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccessBed, createAccessBed } from "../worklist/testing/test-bed.ts";
import { createRedressService, type RedressService } from "./redress-service.ts";

/**
 * Filing for a person the filer may not file for (another office's) is answered as filing for a
 * person that does not exist: PASSAGE_ERR_REDRESS_PERSON_NOT_FOUND naming the person, never the
 * request id the filing made up, and alike for both, so the answer tells nothing of existence.
 */

const HQ_PERSON = "P-FILEHQ";
const SUPERVISOR_HQ: Actor = {
  kind: "user",
  id: "supervisor-hq",
  roles: ["supervisor"],
  office: "HQ",
  confidentialityNeeds: [],
  country: "",
};
const OFFICER_NYC: Actor = { ...SUPERVISOR_HQ, id: "officer-nyc", roles: ["removal_officer"], office: "NYC" };
const SUPERVISOR_NYC: Actor = { ...SUPERVISOR_HQ, id: "supervisor-nyc", office: "NYC" };
const STEWARD: Actor = { ...SUPERVISOR_HQ, id: "steward", roles: ["data_steward"] };

let bed: AccessBed;
let database: TestDatabase;
let access: Access;
let redress: RedressService;

const as = (actor: Actor) => access.forRequest({ actor, purpose: "test", requestId: `file-${actor.id}` });

/** The code and message a filing for `personId` is refused with. */
async function refusal(actor: Actor, personId: string): Promise<{ code: string; message: string }> {
  try {
    await redress.file(as(actor), { personId, kind: "other", statement: "x" });
  } catch (error) {
    if (!isPassageError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error(`${actor.id} filed for ${personId}`);
}

async function requestCount(): Promise<number> {
  const { rows } = await database.pool.query<{ requests: number }>(
    "SELECT count(*)::integer AS requests FROM redress_request",
  );
  return rows[0]!.requests;
}

beforeAll(async () => {
  bed = await createAccessBed("redress-file");
  ({ database, access } = bed);
  redress = createRedressService({ store: database });
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1)", [HQ_PERSON]);
  await setCaseAssignment(database.db, {
    personId: HQ_PERSON,
    office: "HQ",
    assignees: [],
    updatedBy: "test",
  });
});

afterAll(() => bed?.close());

describe("filing redress for a person out of reach or missing", () => {
  it("names the person, alike for one of another office and one that does not exist", async () => {
    for (const actor of [OFFICER_NYC, SUPERVISOR_NYC]) {
      const outOfReach = await refusal(actor, HQ_PERSON);
      const missing = await refusal(actor, "P-NOSUCH");
      expect(outOfReach).toEqual({
        code: "PASSAGE_ERR_REDRESS_PERSON_NOT_FOUND",
        message: `no person ${HQ_PERSON} you may file for`,
      });
      expect(missing).toEqual({
        code: "PASSAGE_ERR_REDRESS_PERSON_NOT_FOUND",
        message: "no person P-NOSUCH you may file for",
      });
      expect(outOfReach.message).not.toMatch(/RR-/);
    }
    // A reader who may file for any office gets the same answer for a person that does not exist.
    expect(await refusal(STEWARD, "P-NOSUCH")).toEqual({
      code: "PASSAGE_ERR_REDRESS_PERSON_NOT_FOUND",
      message: "no person P-NOSUCH you may file for",
    });
    expect(await requestCount()).toBe(0);
  });

  it("files for a person of the filer's own office", async () => {
    const filed = await redress.file(as(SUPERVISOR_HQ), {
      personId: HQ_PERSON,
      kind: "other",
      statement: "x",
    });
    expect(filed.request.personId).toBe(HQ_PERSON);
    expect(await requestCount()).toBe(1);
  });
});
