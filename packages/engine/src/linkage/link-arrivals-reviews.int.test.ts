import type { AuditedAccess } from "@passage/access";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import { createLinkageService, type LinkageService } from "./linkage-service.ts";
import {
  ingestSynthFiles,
  linkPendingEvents,
  membershipOf,
  operatorAccess,
  removeSynthFiles,
  type SynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "./testing/linkage-population.ts";

let database: TestDatabase;
let closeAccess: () => Promise<void>;
let operator: AuditedAccess;
let linkage: LinkageService;
let population: SynthFiles;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ operator, close: closeAccess } = operatorAccess(database));
  linkage = createLinkageService({ store: database });
  population = await writeSynthFiles(150, "link-arrivals-reviews");
  await ingestSynthFiles(database, population);
  await linkage.linkAll(operator, { training: TEST_TRAINING });
});
afterAll(async () => {
  await closeAccess();
  await database.drop();
  removeSynthFiles(population);
});

const query = async <Row>(text: string, parameters: unknown[] = []) =>
  (await database.pool.query(text, parameters)).rows as Row[];

const linkPending = () => linkPendingEvents(database);

/** Ingests one row and links it incrementally (its own handler batch). */
async function arrive(feed: string, row: Record<string, string>) {
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: `arrival ${feed}`, maxDelayMs: 1 });
  await ingestor.ingest(feed, row);
  await ingestor.close();
  await linkPending();
}

/** The open review queue (what the identity gate cites) and every identity issue. */
async function queueAndIssues() {
  return {
    open: await query(
      `SELECT review_id, left_record, right_record, reason, conflicting_identifiers, match_weight
       FROM linkage_review WHERE status IN ('open', 'unsure') ORDER BY left_record, right_record`,
    ),
    issues: await query(
      "SELECT person_id, kind, detail, match_probability, evidence FROM person_identity_issue ORDER BY person_id, kind, detail",
    ),
  };
}

/** Pairs of persons with more than one open review item between them. */
const duplicatePersonPairs = () =>
  query<{ persons: string; items: number }>(
    `SELECT least(lm.person_id, rm.person_id) || ' ' || greatest(lm.person_id, rm.person_id) AS persons,
            count(*)::int AS items
     FROM linkage_review q
     JOIN person_member lm ON lm.feed || ':' || lm.key_value = q.left_record
     JOIN person_member rm ON rm.feed || ':' || rm.key_value = q.right_record
     WHERE q.status IN ('open', 'unsure') AND lm.person_id <> rm.person_id
     GROUP BY 1 HAVING count(*) > 1`,
  );

/** The open items naming a record: the other record of each. */
const openOthersOf = async (record: string) =>
  (
    await query<{ other: string }>(
      `SELECT CASE WHEN left_record = $1 THEN right_record ELSE left_record END AS other
       FROM linkage_review WHERE status IN ('open', 'unsure') AND $1 IN (left_record, right_record)`,
      [record],
    )
  ).map((row) => row.other);

/**
 * One person in two records sharing an A-number (an encounter, then a booking), and a court record
 * of the same name and birth date holding another A-number: each of the two meets the court record
 * as a conflicting identifier. `encounterNationality` / `bookingNationality` decide which of the two
 * pairs weighs more (the one agreeing on nationality too).
 */
function namesake(
  suffix: string,
  names: { given_names: string; family_name: string },
  options: { encounterNationality: boolean; bookingNationality: boolean },
) {
  const person = { ...names, date_of_birth: "1971-09-23", sex: "F" };
  const nationality = (held: boolean): Record<string, string> => (held ? { nationality: "PER" } : {});
  return {
    court: {
      ...person,
      nationality: "PER",
      a_number: `A2077${suffix}01`,
      court_event_id: `CE-${suffix}`,
      case_id: `C-${suffix}`,
      case_type: "RMV",
      event_type: "decision",
      event_date: "2024-02-01",
      outcome: "removal_ordered",
    },
    encounter: {
      ...person,
      ...nationality(options.encounterNationality),
      a_number: `A2088${suffix}02`,
      encounter_id: `EN-${suffix}`,
      encounter_type: "interior_arrest",
      event_date: "2024-04-01",
    },
    booking: {
      ...person,
      ...nationality(options.bookingNationality),
      a_number: `A2088${suffix}02`,
      booking_id: `B-${suffix}`,
      facility_code: "NWKDCNJ",
      event: "book_in",
      event_date: "2024-04-02",
    },
  };
}

describe("the incremental review queue against the batch's", () => {
  it("keeps one open item per pair of persons, the strongest, as a batch link of the same records leaves it", async () => {
    // The booking joins the encounter's person; its pair with the court record is weaker (no
    // nationality) in the first case, stronger in the second.
    const weaker = namesake(
      "11",
      { given_names: "Rosalinda", family_name: "Huamanchumo Ccori" },
      {
        encounterNationality: true,
        bookingNationality: false,
      },
    );
    const stronger = namesake(
      "22",
      { given_names: "Teodomira", family_name: "Quillahuaman Apaza" },
      {
        encounterNationality: false,
        bookingNationality: true,
      },
    );
    for (const records of [weaker, stronger]) {
      await arrive("court", records.court);
      await arrive("encounter", records.encounter);
      await arrive("custody", records.booking);
    }
    const members = await membershipOf(database);
    for (const suffix of ["11", "22"]) {
      expect(members.get(`custody:B-${suffix}`)).toBe(members.get(`encounter:EN-${suffix}`));
      expect(members.get(`court:CE-${suffix}`)).not.toBe(members.get(`encounter:EN-${suffix}`));
    }
    // The weaker booking pair was not opened beside the encounter's; the stronger one replaced it.
    expect(await openOthersOf("court:CE-11")).toEqual(["encounter:EN-11"]);
    expect(await openOthersOf("court:CE-22")).toEqual(["custody:B-22"]);
    const [replaced] = await query<{ status: string; note: string }>(
      `SELECT status, note FROM linkage_review WHERE left_record = 'court:CE-22' AND right_record = 'encounter:EN-22'`,
    );
    expect(replaced).toEqual({ status: "superseded", note: expect.stringContaining("custody:B-22") });
    expect(await duplicatePersonPairs()).toEqual([]);

    // A batch link of the same records (passage rebuild) leaves the same queue, item ids and
    // identity issues (the gate cites the open items' records).
    const incremental = await queueAndIssues();
    await linkage.rebuild();
    expect(await queueAndIssues()).toEqual(incremental);
  });

  it("keeps one open item with a third person when a must-link merges two persons each asked about with it", async () => {
    // Three namesakes, three A-numbers: the court record's, and two encounters that each meet the
    // court record (and each other) as a conflicting identifier.
    const names = { given_names: "Hermelinda", family_name: "Yupanqui Challco", date_of_birth: "1969-05-30" };
    const encounter = (suffix: string, nationality: boolean): Record<string, string> => ({
      ...names,
      ...(nationality ? { nationality: "PER" } : {}),
      sex: "F",
      a_number: `A2099${suffix}03`,
      encounter_id: `EN-${suffix}`,
      encounter_type: "interior_arrest",
      event_date: "2024-04-01",
    });
    await arrive("court", {
      ...names,
      nationality: "PER",
      sex: "F",
      a_number: "A209933001",
      court_event_id: "CE-33",
      case_id: "C-33",
      case_type: "RMV",
      event_type: "decision",
      event_date: "2024-02-01",
      outcome: "removal_ordered",
    });
    await arrive("encounter", encounter("33", false));
    await arrive("encounter", encounter("44", true));
    expect(await openOthersOf("court:CE-33")).toEqual(["encounter:EN-33", "encounter:EN-44"]);
    // A reviewer confirms the two encounters are one woman's (two A-numbers): the merged person
    // is asked about with the court record once, through its stronger pair.
    await linkage.decidePair(operator, "encounter:EN-33", "encounter:EN-44", {
      decision: "must_link",
      reason: "one woman, two A-files",
    });
    const members = await membershipOf(database);
    expect(members.get("encounter:EN-33")).toBe(members.get("encounter:EN-44"));
    expect(await openOthersOf("court:CE-33")).toEqual(["encounter:EN-44"]);
    expect(await duplicatePersonPairs()).toEqual([]);
    const decided = await queueAndIssues();
    await linkage.rebuild();
    expect(await queueAndIssues()).toEqual(decided);
  });

  it("breaks a tie between equally strong pairs of two persons by the records' keys, as the batch does", async () => {
    // Two court records alike in every compared field (one person), the later-indexed one first in
    // key order; an encounter holding another A-number meets both with the same weight.
    const person = {
      given_names: "Saturnina",
      family_name: "Ticona Mamani",
      date_of_birth: "1975-12-08",
      nationality: "PER",
      sex: "F",
    };
    const court = (id: string) => ({
      ...person,
      a_number: "A209955001",
      court_event_id: id,
      case_id: "C-55",
      case_type: "RMV",
      event_type: "decision",
      event_date: "2024-02-01",
      outcome: "removal_ordered",
    });
    await arrive("court", court("CE-55-B"));
    await arrive("court", court("CE-55-A"));
    await arrive("encounter", {
      ...person,
      a_number: "A209955002",
      encounter_id: "EN-55",
      encounter_type: "interior_arrest",
      event_date: "2024-04-01",
    });
    const members = await membershipOf(database);
    expect(members.get("court:CE-55-A")).toBe(members.get("court:CE-55-B"));
    expect(await openOthersOf("encounter:EN-55")).toEqual(["court:CE-55-A"]);
    const incremental = await queueAndIssues();
    await linkage.rebuild();
    expect(await queueAndIssues()).toEqual(incremental);
  });

  /**
   * One name, birth date and A-number on a visa and an admission holding two passports of one
   * country: two persons, asked about as conflicting identifiers. A departure with the A-number and
   * no passport auto-links to both; its pair with the visa (which agrees on sex too) is the stronger.
   */
  async function twoPassportsThenDeparture(
    suffix: string,
    names: { given_names: string; family_name: string },
    between?: () => Promise<void>,
  ) {
    const person = {
      ...names,
      date_of_birth: "1972-03-14",
      nationality: "MEX",
      a_number: `A2100${suffix}001`,
    };
    await arrive("visa", {
      ...person,
      sex: "F",
      passport_number: `M${suffix}111111`,
      passport_country: "MEX",
      visa_id: `V-${suffix}`,
      visa_class: "B1/B2",
      issue_date: "2023-01-10",
      expiry_date: "2033-01-09",
    });
    await arrive("admission", {
      ...person,
      passport_number: `M${suffix}222222`,
      passport_country: "MEX",
      i94_number: `${suffix}066066066`,
      class_of_admission: "B2",
      admission_date: "2023-02-01",
      admit_until: "2023-08-01",
    });
    await between?.();
    await arrive("departure", {
      ...person,
      sex: "F",
      departure_id: `DEP-${suffix}`,
      departure_date: "2024-07-20",
      mode: "air",
      evidence: "carrier_manifest",
      reported_at: "2024-07-20T18:05:00Z",
    });
    const records = [`visa:V-${suffix}`, `admission:${suffix}066066066`, `departure:DEP-${suffix}`];
    return async () => {
      const members = await membershipOf(database);
      return records.map((record) => members.get(record));
    };
  }

  it("joins a record auto-linking to two persons that could never be one to its strongest match, as the batch does", async () => {
    // The batch joins the departure to the visa's person and asks about the admission's.
    const personsOf = await twoPassportsThenDeparture("66", {
      given_names: "Eustaquia",
      family_name: "Quispe Huarachi",
    });
    const [visa, admission, departure] = await personsOf();
    expect(departure).toBe(visa);
    expect(admission).not.toBe(visa);
    const open = await query<{ reason: string; conflicting_identifiers: string[] }>(
      `SELECT reason, conflicting_identifiers FROM linkage_review
       WHERE status IN ('open', 'unsure') AND 'admission:66066066066' IN (left_record, right_record)`,
    );
    expect(open).toEqual([{ reason: "conflicting_identifiers", conflicting_identifiers: ["passport:MEX"] }]);
    expect(await duplicatePersonPairs()).toEqual([]);

    // A batch link of the same records (passage rebuild) keeps the persons, their ids, the queue
    // and the identity issues.
    const incremental = { persons: await personsOf(), ...(await queueAndIssues()) };
    await linkage.rebuild();
    expect({ persons: await personsOf(), ...(await queueAndIssues()) }).toEqual(incremental);
  });

  it("asks nothing more about two such persons a reviewer kept apart", async () => {
    // A reviewer answered the visa and admission's question with a cannot-link: the departure
    // joining the visa's person does not ask it again (the batch never offers a merge across it).
    const personsOf = await twoPassportsThenDeparture(
      "77",
      { given_names: "Filomena", family_name: "Mamani Ccallo" },
      async () => {
        await linkage.decidePair(operator, "visa:V-77", "admission:77066066066", {
          decision: "cannot_link",
          reason: "two passports, two women",
        });
      },
    );
    const [visa, admission, departure] = await personsOf();
    expect(departure).toBe(visa);
    expect(admission).not.toBe(visa);
    expect(await openOthersOf("admission:77066066066")).toEqual([]);
    const incremental = { persons: await personsOf(), ...(await queueAndIssues()) };
    await linkage.rebuild();
    expect({ persons: await personsOf(), ...(await queueAndIssues()) }).toEqual(incremental);
  });
});
