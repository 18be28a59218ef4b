import type { AuditedAccess } from "@passage/access";
import { findDecisionsTouching } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor, type RowIngestor } from "../ingest/row-ingestor.ts";
import type { LinkageService } from "./linkage-service.ts";
import {
  createLinkageTestBed,
  type LinkageTestBed,
  membershipOf,
  TEST_TRAINING,
} from "./testing/linkage-population.ts";
import { dayFromToday as day, linkageScenario, QWERTYX } from "./testing/linkage-scenario.ts";

/**
 * A record placed in a person outside linkage (a redress correction: a new departure row written
 * into the requester's person) that carries another person's identifiers. The placement holds it in
 * the requester's person (a must-link, source `placement`, naming it as `placed_record`); its
 * content was never matched, so its automatic links join no persons. Before, the incremental path
 * kept the two people apart, but `passage link` merged them through the placed record's auto-link
 * (retired=1 moved=3: Elisabeth's admission in Qwertyx's person, DEPARTED), and so did any review
 * decision that re-formed Qwertyx's person.
 */

let bed: LinkageTestBed;
let database: TestDatabase;
let operator: AuditedAccess;
let linkage: LinkageService;
let ingestor: RowIngestor;

const ELISABETH = {
  family_name: "De La Rosa Navarro",
  given_names: "Elisabeth",
  date_of_birth: "1975-09-02",
  sex: "F",
  nationality: "MEX",
  country_of_birth: "MEX",
  passport_number: "G31538093",
  passport_country: "MEX",
};
const PLACED = "departure:RVW-DEP-2";

const { ingest, personOf, catchUp } = linkageScenario(() => ({ database, ingestor, linkage }));

async function admission(i94: string, who: Record<string, string>): Promise<void> {
  await ingest("admission", {
    ...who,
    i94_number: i94,
    class_of_admission: "B2",
    admission_date: day(-400),
    admit_until: day(-220),
    port_of_entry: "JFK",
  });
}

async function visa(id: string, who: Record<string, string>): Promise<void> {
  await ingest("visa", {
    ...who,
    visa_id: id,
    visa_class: "B2",
    issue_date: day(-500),
    expiry_date: day(500),
  });
}

/** The persons of Qwertyx's and Elisabeth's records, as sets of records. */
async function theirPersons(): Promise<string[][]> {
  const membership = await membershipOf(database);
  const keys = [
    "admission:QW000000001",
    "visa:V-QW",
    PLACED,
    "admission:142694062U8",
    ...(membership.has("visa:V-ER") ? ["visa:V-ER"] : []),
  ];
  const persons = new Map<string, string[]>();
  for (const key of keys) {
    const personId = membership.get(key)!;
    persons.set(personId, [...(persons.get(personId) ?? []), key].sort());
  }
  return [...persons.values()].sort((a, b) => a[0]!.localeCompare(b[0]!));
}

const APART = [["admission:142694062U8"], ["admission:QW000000001", PLACED, "visa:V-QW"]];

beforeAll(async () => {
  bed = await createLinkageTestBed(200, "placed-record");
  ({ database, operator, linkage } = bed);
  ingestor = createRowIngestor({ pool: database.pool, sourceName: "placed record test", maxDelayMs: 1 });
  await admission("QW000000001", QWERTYX);
  await visa("V-QW", QWERTYX);
  await admission("142694062U8", ELISABETH);
  await linkage.linkAll(operator, { training: TEST_TRAINING });
  // The resolution's correction: a new departure row, written into Qwertyx's person (as
  // writeCorrectionRecords places it), carrying Elisabeth's identifiers.
  await ingest("departure", {
    ...ELISABETH,
    departure_id: "RVW-DEP-2",
    departure_date: day(-30),
    mode: "air",
    evidence: "carrier_manifest",
    reported_at: `${day(-29)}T10:00:00Z`,
  });
  await database.pool.query("INSERT INTO person_member (feed, key_value, person_id) VALUES ($1, $2, $3)", [
    "departure",
    "RVW-DEP-2",
    await personOf("admission:QW000000001"),
  ]);
  await catchUp();
});

afterAll(async () => {
  await ingestor?.close();
  await bed?.close();
});

describe("a record placed in a person, carrying another person's identifiers", () => {
  it("incrementally: stays where it was placed, the placement naming it; the other person stays apart", async () => {
    expect(await theirPersons()).toEqual(APART);
    const placements = (await findDecisionsTouching(database.db, [PLACED])).filter(
      (row) => row.source === "placement",
    );
    expect(placements).toMatchObject([{ decision: "must_link", placedRecord: PLACED }]);
    // Its content auto-links to Elisabeth's admission (the pair is stored, as the batch stores it).
    const explained = await linkage.explainPair(operator, PLACED, "admission:142694062U8");
    expect(explained.explanation.band).toBe("auto_link");
  });

  it("passage link keeps the two people apart and moves nothing; a second run agrees", async () => {
    const report = await linkage.linkAll(operator);
    expect(await theirPersons()).toEqual(APART);
    expect(report).toMatchObject({ recordsMoved: 0, personsRetired: 0 });
    const person = await personOf("admission:QW000000001");
    const view = await linkage.personLinks(operator, person);
    expect(view.records.map((record) => record.record).sort()).toEqual(APART[1]);
    expect(view.links.flatMap((link) => [link.leftRecord, link.rightRecord])).not.toContain(
      "admission:142694062U8",
    );
    expect((await linkage.linkAll(operator)).recordsMoved).toBe(0);
  });

  it("a review decision re-forming the person does not merge the other person in either", async () => {
    // Unlinking Qwertyx's visa re-forms his person with everything an auto-link reaches from it.
    await linkage.unlinkRecord(operator, "visa:V-QW", { reason: "not his visa (test)" });
    const reformed = [["admission:142694062U8"], ["admission:QW000000001", PLACED], ["visa:V-QW"]];
    expect(await theirPersons()).toEqual(reformed);
    expect((await linkage.linkAll(operator)).recordsMoved).toBe(0);
    expect(await theirPersons()).toEqual(reformed);
  });

  it("a record of the other person arriving later joins her, on both paths", async () => {
    await visa("V-ER", ELISABETH);
    await catchUp();
    const expected = [
      ["admission:142694062U8", "visa:V-ER"],
      ["admission:QW000000001", PLACED],
      ["visa:V-QW"],
    ];
    expect(await theirPersons()).toEqual(expected);
    expect((await linkage.linkAll(operator)).recordsMoved).toBe(0);
    expect(await theirPersons()).toEqual(expected);
  });
});
