import type { Access, Actor } from "@passage/access";
import { isPassageError } from "@passage/core";
import { executeSql, findRecordVersions, setCaseAssignment } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RAW_NESTING } from "../ingest/prepare-row.ts";
import { type AccessBed, createAccessBed } from "../worklist/testing/test-bed.ts";
import { createRedressService, type RedressService } from "./redress-service.ts";

/**
 * A correction is judged as any row of its feed: the ingest's per-row checks (a timestamp in the
 * future, a row nested too deep) refuse it as they refuse a file's or a stream's row, naming the
 * correction, the field and why, and nothing is written. A departure reported in the future would
 * otherwise become a verified departure by itself once its date came.
 */

const PERSON = "P-CORRCHECK";
const FILER: Actor = {
  kind: "user",
  id: "filer",
  roles: ["data_steward"],
  office: "HQ",
  confidentialityNeeds: [],
  country: "",
};
const STEWARD: Actor = { ...FILER, id: "steward" };

let bed: AccessBed;
let database: TestDatabase;
let access: Access;
let redress: RedressService;

const as = (actor: Actor) => access.forRequest({ actor, purpose: "test", requestId: `corr-${actor.id}` });

function departure(departureId: string, overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    departure_id: departureId,
    family_name: "Testperson",
    given_names: "Ana",
    date_of_birth: "1985-05-05",
    departure_date: "2024-06-01",
    mode: "air",
    evidence: "carrier_manifest",
    reported_at: "2024-06-01T10:00:00Z",
    ...overrides,
  };
}

async function underReview(): Promise<string> {
  const filed = await redress.file(as(FILER), { personId: PERSON, kind: "other", statement: "check" });
  const requestId = filed.request.requestId;
  await redress.startReview(as(STEWARD), requestId);
  return requestId;
}

/** The code and message a resolution granting `row` as a departure correction is refused with. */
async function refusal(
  requestId: string,
  row: Record<string, unknown>,
): Promise<{ code: string; message: string }> {
  try {
    await redress.resolve(as(STEWARD), requestId, {
      outcome: "granted",
      reason: "manifest",
      corrections: [{ feed: "departure", row }],
    });
  } catch (error) {
    if (!isPassageError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error(`the correction ${String(row.departure_id)} was accepted`);
}

beforeAll(async () => {
  bed = await createAccessBed("redress-correction-checks");
  ({ database, access } = bed);
  redress = createRedressService({ store: database });
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1)", [PERSON]);
  await setCaseAssignment(database.db, { personId: PERSON, office: "HQ", assignees: [], updatedBy: "test" });
});

afterAll(() => bed?.close());

describe("redress corrections pass the ingest's per-row checks", () => {
  it("refuses a departure reported in the future, naming the correction and the field; writes nothing", async () => {
    const requestId = await underReview();
    const future = new Date(Date.now() + 400 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const refused = await refusal(
      requestId,
      departure("DEP-FUT", { departure_date: future, reported_at: `${future}T10:00:00Z` }),
    );
    expect(refused.code).toBe("PASSAGE_ERR_REDRESS_CORRECTION_REJECTED");
    expect(refused.message).toMatch(
      new RegExp(
        `^correction 0 \\(departure\\) is not a valid departure record: reported_at: ${future}T10:00:00.000Z is after the row was received \\(.+\\): it is in the future; nothing was written$`,
      ),
    );
    expect(await findRecordVersions(database.db, "departure", "DEP-FUT")).toEqual([]);
    expect((await redress.show(as(STEWARD), requestId)).request.status).toBe("under_review");
  });

  it("refuses a row nested deeper than a feed row may be; writes nothing", async () => {
    const requestId = await underReview();
    let note: unknown = "deep";
    for (let depth = 0; depth <= MAX_RAW_NESTING; depth++) note = { note };
    const refused = await refusal(requestId, departure("DEP-DEEP", { note }));
    expect(refused).toEqual({
      code: "PASSAGE_ERR_REDRESS_CORRECTION_REJECTED",
      message: `correction 0 (departure) is not a valid departure record: (row): the row nests objects or arrays deeper than ${MAX_RAW_NESTING} levels; nothing was written`,
    });
    expect(await findRecordVersions(database.db, "departure", "DEP-DEEP")).toEqual([]);
  });

  it("writes the same departure reported in the past", async () => {
    const requestId = await underReview();
    const resolved = await redress.resolve(as(STEWARD), requestId, {
      outcome: "granted",
      reason: "manifest",
      corrections: [{ feed: "departure", row: departure("DEP-PAST", {}) }],
    });
    expect(resolved.written).toMatchObject([{ feed: "departure", keyValue: "DEP-PAST", outcome: "new" }]);
  });
});
