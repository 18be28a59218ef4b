import path from "node:path";
import type { AuditedAccess } from "@passage/access";
import { findIdentityIssuesOfPersons, findOpenReviewsOfPersons } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import { exited, spawnTypeScript } from "../consumers/testing/spawn-typescript.ts";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import { createModelCache } from "./active-model.ts";
import { blockKeysOf } from "./block-keys.ts";
import { identityIssuesOf } from "./identity-issues.ts";
import { createLinkageHandler } from "./linkage-handler.ts";
import { createLinkageService, type LinkageService } from "./linkage-service.ts";
import {
  holdOutRows,
  ingestSynthFiles,
  linkPendingEvents,
  membershipOf,
  operatorAccess,
  removeSynthFiles,
  type SynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "./testing/linkage-population.ts";

const CHILD = path.join(import.meta.dirname, "testing", "linkage-runner-child.ts");
/** Kills per run: a few in the normal suite, more under `npm run soak`. */
const KILLS = process.env.PASSAGE_SOAK === "1" ? 12 : 3;

let database: TestDatabase;
let closeAccess: () => Promise<void>;
let operator: AuditedAccess;
let linkage: LinkageService;
let arrivals: SynthFiles;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ operator, close: closeAccess } = operatorAccess(database));
  linkage = createLinkageService({ store: database });
  const split = holdOutRows(await writeSynthFiles(300, "linkage-handler"), 3, 1);
  arrivals = split.arrivals;
  await ingestSynthFiles(database, split.base);
  await linkage.linkAll(operator, { training: TEST_TRAINING });
});
afterAll(async () => {
  await closeAccess();
  await database.drop();
  removeSynthFiles(arrivals);
});

async function startChild(mode: "run" | "finish", partitions: number) {
  let started!: () => void;
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  const child = spawnTypeScript(CHILD, [database.url, mode, String(partitions)], {
    onLine: (line) => {
      if (line === "started" || line.startsWith("finished")) started();
    },
  });
  const exit = exited(child);
  await Promise.race([ready, exit.then((code) => Promise.reject(new Error(`child exited early: ${code}`)))]);
  return { child, exit };
}

const query = async <Row>(text: string, parameters: unknown[] = []) =>
  (await database.pool.query(text, parameters)).rows as Row[];

const linkPending = () => linkPendingEvents(database);

/** The open review items naming a record: the other record of each, and why it is open. */
const openReviewsOf = (record: string) =>
  query<{ other: string; reason: string }>(
    `SELECT CASE WHEN left_record = $1 THEN right_record ELSE left_record END AS other, reason
       FROM linkage_review WHERE status = 'open' AND $1 IN (left_record, right_record)`,
    [record],
  );

type Names = { given_names: string; family_name: string; nationality: string };

/** A court decision granting voluntary departure with an alternate order: a record a departure may bar. */
const voluntaryDepartureDecision = (
  names: Names,
  ids: { suffix: string; dateOfBirth: string; aNumber: string; decidedOn: string; deadline: string },
) => ({
  ...names,
  date_of_birth: ids.dateOfBirth,
  a_number: ids.aNumber,
  court_event_id: `CE-${ids.suffix}`,
  case_id: `C-${ids.suffix}`,
  case_type: "RMV",
  event_type: "decision",
  event_date: ids.decidedOn,
  outcome: "vd_with_alternate_order",
  deadline: ids.deadline,
});

/** A verified voluntary departure listing only names and nationality (no birth date, no document). */
const namesOnlyDeparture = (names: Names, id: string, departedOn: string) => ({
  ...names,
  departure_id: id,
  departure_date: departedOn,
  mode: "air",
  evidence: "vd_verified",
  reported_at: `${dayAfter(departedOn)}T10:00:00Z`,
});

const dayAfter = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe("the incremental linkage handler", () => {
  it("links every arriving record exactly once across kill -9 at random points, in 3 partitions", async () => {
    const before = await membershipOf(database);
    // Batches of 5 rows: a RecordsIngested names one batch's records, so the paced runner below
    // (one such event a transaction, a pause in each) has many transactions to be killed in.
    await ingestSynthFiles(database, arrivals, { batchSize: 5 });
    const arrivingKeys = (
      await query<{ key: string }>(
        "SELECT DISTINCT feed || ':' || key_value AS key FROM source_record WHERE feed <> 'flight'",
      )
    )
      .map((row) => row.key)
      .filter((key) => !before.has(key));
    expect(arrivingKeys.length).toBeGreaterThan(200);
    for (let kill = 0; kill < KILLS; kill++) {
      const { child, exit } = await startChild("run", 3);
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
      child.kill("SIGKILL");
      expect(await exit).toBe("SIGKILL");
    }
    const linkedBeforeFinish = (await membershipOf(database)).size - before.size;
    expect(linkedBeforeFinish).toBeLessThan(arrivingKeys.length);
    const { exit } = await startChild("finish", 3);
    expect(await exit).toBe(0);

    const after = await membershipOf(database);
    for (const key of arrivingKeys) expect(after.has(key), key).toBe(true);
    for (const [key, person] of before) expect(after.get(key), key).toBe(person);
    expect(
      await query("SELECT block, entity_id FROM linkage_block GROUP BY 1, 2 HAVING count(*) > 1"),
    ).toEqual([]);
    const [entities] = await query<{ count: number }>("SELECT count(*)::int AS count FROM linkage_entity");
    expect(entities!.count).toBe(after.size);
    // Every record's blocking keys are in the index exactly once (none lost, none doubled).
    const model = (await createModelCache().active(database.db))!;
    let expectedBlocks = 0;
    for (const row of await query<{
      entity_id: number;
      feed: string;
      key_value: string;
      person_values: Record<string, string>;
    }>("SELECT entity_id, feed, key_value, person_values FROM linkage_entity")) {
      const prepared = model.compiled.plan.prepare({
        id: `${row.feed}:${row.key_value}`,
        values: row.person_values,
      });
      expectedBlocks += blockKeysOf(model.rules, prepared).length;
    }
    const [blocks] = await query<{ count: number }>("SELECT count(*)::int AS count FROM linkage_block");
    expect(blocks!.count).toBe(expectedBlocks);
    const events = await query<{ reason: string; persons: number }>(
      `SELECT payload->>'reason' AS reason, sum(jsonb_array_length(payload->'personIds'))::int AS persons
       FROM outbox_event WHERE event_type = 'PersonsChanged' GROUP BY 1`,
    );
    expect(events.find((row) => row.reason === "record_linked")?.persons).toBeGreaterThan(0);
  });

  it("keeps every person's identity issues equal to a recomputation from the open review items", async () => {
    // The handler recomputes issues only for persons whose review items or membership changed
    // (a record attaching without a review item leaves them as they were): after the arrivals
    // above, what is stored must be what a full recomputation gives.
    const persons = (await query<{ person_id: string }>("SELECT person_id FROM person")).map(
      (row) => row.person_id,
    );
    const stored = [...(await findIdentityIssuesOfPersons(database.db, persons))].flatMap(
      ([personId, issues]) => issues.map((issue) => ({ personId, ...issue })),
    );
    const recomputed = identityIssuesOf(await findOpenReviewsOfPersons(database.db, persons));
    // Some arrivals must have opened review items, or the comparison would prove nothing.
    const reviewsOfArrivals = await query<{ count: number }>(
      `SELECT count(*)::int AS count FROM linkage_review
       WHERE status = 'open' AND opened_at > (SELECT max(finished_at) FROM linkage_run)`,
    );
    expect(reviewsOfArrivals[0]!.count).toBeGreaterThan(0);
    expect(recomputed.length).toBeGreaterThan(0);
    const order = (issue: { personId: string; kind: string; detail: string }) =>
      `${issue.personId} ${issue.kind} ${issue.detail}`;
    const normalise = (
      issues: readonly { personId: string; kind: string; detail: string; evidence: unknown }[],
    ) =>
      issues
        .map((issue) => ({ key: order(issue), evidence: issue.evidence }))
        .sort((a, b) => a.key.localeCompare(b.key));
    expect(normalise(stored)).toEqual(normalise(recomputed));
  });

  it("gives every pair the same score on the incremental and the batch path", async () => {
    const incremental = await query<{
      left_entity: number;
      right_entity: number;
      match_weight: number;
      band: string;
    }>("SELECT left_entity, right_entity, match_weight, band FROM linkage_pair");
    const report = await linkage.linkAll(operator);
    expect(report.trained).toBe(false);
    const batch = new Map(
      (
        await query<{ left_entity: number; right_entity: number; match_weight: number; band: string }>(
          "SELECT left_entity, right_entity, match_weight, band FROM linkage_pair",
        )
      ).map((row) => [`${row.left_entity}:${row.right_entity}`, row]),
    );
    let compared = 0;
    for (const pair of incremental) {
      const twin = batch.get(`${pair.left_entity}:${pair.right_entity}`);
      if (!twin) continue;
      compared += 1;
      expect(twin.match_weight).toBe(pair.match_weight);
      expect(twin.band).toBe(pair.band);
    }
    expect(compared).toBeGreaterThan(incremental.length * 0.9);
  });

  it("never decides two records that should join in two partitions blind to each other", async () => {
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "partition test", maxDelayMs: 1 });
    const pairs = 12;
    for (let index = 0; index < pairs; index++) {
      const person = {
        family_name: `Zabrowski-Quell${String.fromCharCode(97 + index)}`,
        given_names: "Ottilie Maren",
        date_of_birth: `1971-0${1 + (index % 9)}-1${index % 10}`,
        a_number: `A0${String(77_700_000 + index)}`,
        passport_number: `QP${900_000 + index}`,
        passport_country: "POL",
        nationality: "POL",
        sex: "F",
      };
      await ingestor.ingest("encounter", {
        ...person,
        encounter_id: `EN-RACE-${index}`,
        encounter_type: "interior_arrest",
        event_date: "2024-05-01",
      });
      await ingestor.ingest("custody", {
        ...person,
        booking_id: `B-RACE-${index}`,
        facility_code: "NWKDCNJ",
        event: "book_in",
        event_date: "2024-05-02",
      });
    }
    await ingestor.close();
    // Three partitions applied concurrently, and a second runner racing the first.
    const runner = () =>
      createConsumerRunner({
        db: database.db,
        pool: database.pool,
        partitions: 3,
        batchSize: 1,
        handlers: [createLinkageHandler(createModelCache())],
      });
    await Promise.all([runner().catchUp(), runner().catchUp()]);
    const members = await membershipOf(database);
    for (let index = 0; index < pairs; index++) {
      const encounter = members.get(`encounter:EN-RACE-${index}`);
      expect(encounter).toBeDefined();
      const custody = members.get(`custody:B-RACE-${index}`);
      // Said in full if it fails: it failed once in CI when the persons chained into one another.
      const why =
        custody === encounter
          ? ""
          : JSON.stringify({
              custodyPerson: custody,
              encounterPerson: encounter,
              members: await query(
                "SELECT person_id, feed || ':' || key_value AS record FROM person_member WHERE person_id = ANY($1) ORDER BY 1, 2",
                [[custody, encounter]],
              ),
              reviews: await query(
                "SELECT left_record, right_record, reason, status, match_probability FROM linkage_review WHERE $1 IN (left_record, right_record) OR $2 IN (left_record, right_record)",
                [`custody:B-RACE-${index}`, `encounter:EN-RACE-${index}`],
              ),
              decisions: await query(
                "SELECT left_record, right_record, decision, source FROM linkage_decision WHERE $1 IN (left_record, right_record) OR $2 IN (left_record, right_record)",
                [`custody:B-RACE-${index}`, `encounter:EN-RACE-${index}`],
              ),
            });
      expect(custody, why).toBe(encounter);
    }
    // Twelve persons alike in name, their A-numbers and passports one digit apart: never merged
    // into one another (they once chained into one person, each pair "one typo" apart).
    const persons = new Set(
      Array.from({ length: pairs }, (_, index) => members.get(`encounter:EN-RACE-${index}`)),
    );
    expect(persons.size).toBe(pairs);
  });

  it("meets a renewed passport's record without a birth date with its holder, within the rule's own cap", async () => {
    const names = { given_names: "Wendelin", family_name: "von Quastberg", nationality: "DEU", sex: "M" };
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "renewal test", maxDelayMs: 1 });
    const visa = (id: string, passport: string) =>
      ingestor.ingest("visa", {
        ...names,
        family_name: "VONQUASTBERG",
        visa_id: id,
        passport_number: passport,
        passport_country: "DEU",
        visa_class: "B2",
        issue_date: "2019-03-01",
        expiry_date: "2029-02-28",
      });
    await ingestor.ingest("encounter", {
      ...names,
      encounter_id: "EN-RENEWAL",
      date_of_birth: "1962-03-27",
      a_number: "A221123999",
      passport_number: "CY5500939",
      passport_country: "DEU",
      encounter_type: "interior_arrest",
      event_date: "2024-05-01",
    });
    await visa("V-RENEWAL", "CJ4340305");
    await ingestor.close();
    await linkPending();
    // Passports of one country that differ: never linked, never left standing alone either.
    const members = await membershipOf(database);
    expect(members.get("visa:V-RENEWAL")).not.toBe(members.get("encounter:EN-RENEWAL"));
    expect((await openReviewsOf("visa:V-RENEWAL")).map((row) => row.other)).toContain("encounter:EN-RENEWAL");

    // Once more namesakes hold that country's passports than the rule's cap, the block is
    // crowded: an arriving namesake meets none of them through this rule.
    const crowd = createRowIngestor({ pool: database.pool, sourceName: "renewal crowd", maxDelayMs: 1 });
    for (let index = 0; index < 12; index++) {
      await crowd.ingest("visa", {
        ...names,
        visa_id: `V-CROWD-${index}`,
        passport_number: `CK${4_000_000 + index}`,
        passport_country: "DEU",
        visa_class: "B2",
        issue_date: "2019-03-01",
        expiry_date: "2029-02-28",
      });
    }
    await crowd.close();
    await linkPending();
    expect(await openReviewsOf("visa:V-CROWD-0")).not.toEqual([]);
    expect(await openReviewsOf("visa:V-CROWD-11")).toEqual([]);
  });

  it("links a corrected record from its new values, not from what one handler prepared of the old ones", async () => {
    // One handler (one model cache) across every step, as in a serve process.
    const handler = createLinkageHandler(createModelCache());
    const link = () =>
      createConsumerRunner({
        db: database.db,
        pool: database.pool,
        partitions: 1,
        batchSize: 1,
        handlers: [handler],
      }).catchUp();
    const person = {
      given_names: "Brunhilde",
      family_name: "Okonkwo-Ferrante",
      date_of_birth: "1966-02-11",
      nationality: "NGA",
      sex: "F",
    };
    const encounter = (aNumber: string) => ({
      ...person,
      a_number: aNumber,
      encounter_id: "EN-CORRECTED",
      encounter_type: "interior_arrest",
      event_date: "2024-05-01",
    });
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "correction test", maxDelayMs: 1 });
    await ingestor.ingest("encounter", encounter("A204411201"));
    await ingestor.close();
    await link();
    // The A-number was mistyped: the corrected version holds another one.
    const correction = createRowIngestor({ pool: database.pool, sourceName: "correction", maxDelayMs: 1 });
    await correction.ingest("encounter", encounter("A204411299"));
    await correction.close();
    await link();
    const custody = createRowIngestor({
      pool: database.pool,
      sourceName: "correction custody",
      maxDelayMs: 1,
    });
    await custody.ingest("custody", {
      ...person,
      a_number: "A204411299",
      booking_id: "B-CORRECTED",
      facility_code: "NWKDCNJ",
      event: "book_in",
      event_date: "2024-05-02",
    });
    await custody.close();
    await link();
    // Scored against the old A-number, the booking would conflict with the encounter and wait
    // for a reviewer; against the corrected one, it agrees and attaches.
    const members = await membershipOf(database);
    expect(members.get("custody:B-CORRECTED")).toBeDefined();
    expect(members.get("custody:B-CORRECTED")).toBe(members.get("encounter:EN-CORRECTED"));
    expect(await openReviewsOf("custody:B-CORRECTED")).toEqual([]);
  });

  it("sends a departure listing only names and nationality to review against a court record, not a visa", async () => {
    const names = { given_names: "Eustaquio", family_name: "Quispe Mamani", nationality: "BOL" };
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "departure test", maxDelayMs: 1 });
    await ingestor.ingest(
      "court",
      voluntaryDepartureDecision(names, {
        suffix: "QUISPE",
        dateOfBirth: "1979-08-14",
        aNumber: "A209871234",
        decidedOn: "2024-02-01",
        deadline: "2024-05-31",
      }),
    );
    await ingestor.ingest("visa", {
      ...names,
      visa_id: "V-QUISPE",
      passport_number: "BQ7712345",
      passport_country: "BOL",
      visa_class: "B2",
      issue_date: "2019-03-01",
      expiry_date: "2029-02-28",
    });
    await ingestor.ingest("departure", namesOnlyDeparture(names, "D-QUISPE", "2024-05-20"));
    await ingestor.close();
    await linkPending();
    const reviews = await openReviewsOf("departure:D-QUISPE");
    // Without a birth date or document no other rule pairs the departure with anyone; the court
    // record's order is what the departure could bar, the visa's nothing.
    expect(reviews.map((row) => row.other)).toEqual(["court:CE-QUISPE"]);
    const members = await membershipOf(database);
    expect(members.get("departure:D-QUISPE")).not.toBe(members.get("court:CE-QUISPE"));
    const person = members.get("court:CE-QUISPE")!;
    const issues = (await findIdentityIssuesOfPersons(database.db, [person])).get(person) ?? [];
    // The court record's person has an identity issue that cites its own record, not the departure.
    expect(issues.map((issue) => issue.kind)).toContain("review_band_link");
    expect(JSON.stringify(issues)).not.toContain("D-QUISPE");
  });

  it("sends an encounter holding names, nationality and a FIN only to review against the benefit filing that followed", async () => {
    const person = {
      given_names: "Takeshi",
      family_name: "Yoshidawara",
      nationality: "JPN",
      country_of_birth: "JPN",
      sex: "M",
    };
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "encounter test", maxDelayMs: 1 });
    await ingestor.ingest("encounter", {
      ...person,
      fin: "0451367949",
      encounter_id: "EN-YOSHIDA",
      encounter_type: "border_apprehension",
      event_date: "2022-01-10",
      entry_date: "2022-01-09",
      entry_without_inspection: "Y",
    });
    await ingestor.ingest("benefit", {
      ...person,
      date_of_birth: "1955-07-29",
      a_number: "A146739970",
      receipt_number: "ZSF3959468945",
      form_type: "I-589",
      event: "filed",
      event_date: "2022-02-21",
    });
    await ingestor.ingest("visa", {
      ...person,
      visa_id: "V-YOSHIDA",
      passport_number: "TK1234567",
      passport_country: "JPN",
      visa_class: "B2",
      issue_date: "2019-03-01",
      expiry_date: "2029-02-28",
    });
    await ingestor.close();
    await linkPending();
    // No birth date or number in common: only names and nationality pair them, and only the
    // classes that rule lists (the visa is not one).
    expect((await openReviewsOf("encounter:EN-YOSHIDA")).map((row) => row.other)).toEqual([
      "benefit:ZSF3959468945",
    ]);
    const members = await membershipOf(database);
    expect(members.get("encounter:EN-YOSHIDA")).not.toBe(members.get("benefit:ZSF3959468945"));
  });

  it("lifts the other person's identity issue when a corrected record's review item is superseded", async () => {
    const names = { given_names: "Eulogia", family_name: "Choque Condori", nationality: "BOL" };
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "supersede test", maxDelayMs: 1 });
    await ingestor.ingest(
      "court",
      voluntaryDepartureDecision(names, {
        suffix: "CHOQUE",
        dateOfBirth: "1983-01-22",
        aNumber: "A209875555",
        decidedOn: "2024-03-01",
        deadline: "2024-06-30",
      }),
    );
    await ingestor.ingest("departure", namesOnlyDeparture(names, "D-CHOQUE", "2024-06-20"));
    await ingestor.close();
    await linkPending();
    const person = (await membershipOf(database)).get("court:CE-CHOQUE")!;
    const kindsOf = async () =>
      ((await findIdentityIssuesOfPersons(database.db, [person])).get(person) ?? []).map(
        (issue) => issue.kind,
      );
    expect(await openReviewsOf("court:CE-CHOQUE")).toEqual([
      { other: "departure:D-CHOQUE", reason: expect.any(String) },
    ]);
    expect(await kindsOf()).toEqual(["review_band_link"]);
    // The departure was someone else's: corrected, it is linked again and its review item with
    // the court record's person is superseded, so that person's identity is no longer in doubt.
    const correction = createRowIngestor({ pool: database.pool, sourceName: "supersede fix", maxDelayMs: 1 });
    await correction.ingest(
      "departure",
      namesOnlyDeparture(
        { given_names: "Wilhelmina", family_name: "Zwicky", nationality: "CHE" },
        "D-CHOQUE",
        "2024-06-20",
      ),
    );
    await correction.close();
    await linkPending();
    expect(await openReviewsOf("court:CE-CHOQUE")).toEqual([]);
    expect(await kindsOf()).toEqual([]);
  });
});
