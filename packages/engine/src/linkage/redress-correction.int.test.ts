import type { AuditedAccess } from "@passage/access";
import {
  canonicalFieldsJson,
  contentHashOf,
  findDecisionsTouching,
  insertRedressRequest,
  writeCorrectionRecords,
} from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateRow } from "../ingest/prepare-row.ts";
import { createRowIngestor, type RowIngestor } from "../ingest/row-ingestor.ts";
import type { LinkageService } from "./linkage-service.ts";
import { createLinkageTestBed, type LinkageTestBed, TEST_TRAINING } from "./testing/linkage-population.ts";
import { dayFromToday as day, linkageScenario, QWERTYX } from "./testing/linkage-scenario.ts";

/**
 * A record a redress resolution placed in the requester's person (a departure carrying another
 * person's identifiers), corrected again by a later resolution (the given name completed). The
 * steward decided again where the record belongs: the correction outdates none of its must-links,
 * and the record stays in the requester's person on both paths. Before, the handler marked its
 * placement outdated and linked the record on its content: it joined the other person (a departure
 * on someone else's record) and the requester lost it.
 */

let bed: LinkageTestBed;
let database: TestDatabase;
let operator: AuditedAccess;
let linkage: LinkageService;
let ingestor: RowIngestor;

const LUIS = {
  family_name: "Ortega Salgado",
  given_names: "Luis",
  date_of_birth: "1975-09-02",
  sex: "M",
  nationality: "MEX",
  country_of_birth: "MEX",
  passport_number: "G31538093",
  passport_country: "MEX",
};
const PLACED = "departure:RDR-DEP-1";

const { ingest, personOf, catchUp } = linkageScenario(() => ({ database, ingestor, linkage }));

/** Writes a departure as a redress resolution of `requestId` on `personId` writes its correction. */
async function correctDeparture(
  requestId: string,
  personId: string,
  who: Record<string, string>,
  fileRequest: boolean,
): Promise<string> {
  const raw = {
    ...who,
    departure_id: "RDR-DEP-1",
    departure_date: day(-30),
    mode: "air",
    evidence: "carrier_manifest",
    reported_at: `${day(-29)}T10:00:00Z`,
  };
  const receivedAt = new Date().toISOString();
  const result = validateRow("departure", raw, receivedAt);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const fieldsJson = canonicalFieldsJson(result.fields);
  const written = await database.db.transaction().execute(async (transaction) => {
    if (fileRequest)
      await insertRedressRequest(transaction, {
        requestId,
        personId,
        kind: "other",
        statement: "test",
        departureDate: null,
        disputedRecords: [],
        documents: [],
        filedBy: "user:test",
        claimId: null,
      });
    return writeCorrectionRecords(transaction, requestId, personId, [
      {
        feed: "departure",
        recordKey: result.recordKey,
        keyValue: result.keyValue,
        fieldsJson,
        contentHash: contentHashOf(fieldsJson),
        raw,
        warnings: result.warnings,
      },
    ]);
  });
  return `${written[0]!.outcome}@${written[0]!.version}`;
}

let qwertyx: string;
let luis: string;

beforeAll(async () => {
  bed = await createLinkageTestBed(200, "redress-correction");
  ({ database, operator, linkage } = bed);
  ingestor = createRowIngestor({ pool: database.pool, sourceName: "redress correction test", maxDelayMs: 1 });
  for (const [i94, who] of [
    ["QW000000001", QWERTYX],
    ["142694062U8", LUIS],
  ] as const)
    await ingest("admission", {
      ...who,
      i94_number: i94,
      class_of_admission: "B2",
      admission_date: day(-400),
      admit_until: day(-220),
      port_of_entry: "JFK",
    });
  await ingest("visa", {
    ...QWERTYX,
    visa_id: "V-QW",
    visa_class: "B2",
    issue_date: day(-500),
    expiry_date: day(500),
  });
  await linkage.linkAll(operator, { training: TEST_TRAINING });
  qwertyx = await personOf("admission:QW000000001");
  luis = await personOf("admission:142694062U8");
  expect(await correctDeparture("RR-RDR-1", qwertyx, LUIS, true)).toBe("new@1");
  await catchUp();
});

afterAll(async () => {
  await ingestor?.close();
  await bed?.close();
});

describe("a placed record corrected again by a redress resolution", () => {
  it("stays where the steward put it, its placement honoured, on both paths", async () => {
    expect(await personOf(PLACED)).toBe(qwertyx);
    expect(await correctDeparture("RR-RDR-1", qwertyx, { ...LUIS, given_names: "Luis Alberto" }, false)).toBe(
      "corrected@2",
    );
    await catchUp();
    expect(await personOf(PLACED)).toBe(qwertyx);
    expect(await personOf("admission:142694062U8")).toBe(luis);
    const decisions = await findDecisionsTouching(database.db, [PLACED]);
    expect(decisions.filter((row) => row.outdated)).toEqual([]);
    expect(decisions.filter((row) => row.source === "placement")).toMatchObject([{ placedRecord: PLACED }]);
    expect((await linkage.linkAll(operator)).recordsMoved).toBe(0);
    expect(await personOf(PLACED)).toBe(qwertyx);
    expect(await personOf("admission:142694062U8")).toBe(luis);
  });

  it("a correction from the record's source still outdates the placement", async () => {
    await ingest("departure", {
      ...LUIS,
      given_names: "Luis Alberto",
      family_name: "Ortega",
      departure_id: "RDR-DEP-1",
      departure_date: day(-30),
      mode: "air",
      evidence: "carrier_manifest",
      reported_at: `${day(-29)}T10:00:00Z`,
    });
    await catchUp();
    const decisions = await findDecisionsTouching(database.db, [PLACED]);
    expect(decisions.filter((row) => row.source === "placement")).toMatchObject([{ outdated: true }]);
  });
});
