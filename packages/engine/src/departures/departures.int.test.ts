import { PersonsChanged } from "@passage/core";
import { appendOutboxEvents, executeSql, outboxEventOf } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import { createLifecycleService, type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { CONFIRMED_IDENTITY } from "../lifecycle/policy-inputs.ts";
import { departureConfirmationsPerHour } from "./departure-confirmations.ts";
import { departureMetrics } from "./departure-metrics.ts";
import { createCandidateWalk, simulateDepartures } from "./departure-simulator.ts";

let database: TestDatabase;
let lifecycle: LifecycleService;

function day(days: number): string {
  const date = new Date(`${todayUtc()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const people = [
  // A detained person with a final order: removal executed.
  { id: "P-ORDER", a: "A100000001", family: "Haddad", given: "Samir", detained: true },
  // A visitor still within the admission period: a carrier manifest or land exchange.
  { id: "P-VISIT", a: "A100000002", family: "Nguyen", given: "Thi Lan", detained: false },
];

/** Links every record carrying a person's A-number to that person (linkage stands in here). */
async function linkByANumber(target: TestDatabase = database, persons = people): Promise<void> {
  const members = await executeSql<{ feed: string; key_value: string; a_number: string }>(
    target.db,
    "SELECT DISTINCT feed, key_value, fields->>'a_number' AS a_number FROM source_record WHERE fields ? 'a_number'",
  );
  for (const person of persons) {
    await executeSql(target.db, "INSERT INTO person (person_id) VALUES ($1) ON CONFLICT DO NOTHING", [
      person.id,
    ]);
  }
  for (const member of members) {
    const person = persons.find((candidate) => candidate.a.slice(1) === member.a_number.slice(-9));
    if (!person) continue;
    await executeSql(
      target.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [member.feed, member.key_value, person.id],
    );
  }
  await target.db.transaction().execute((transaction) =>
    appendOutboxEvents(transaction, [
      outboxEventOf(PersonsChanged, "all", {
        personIds: persons.map((person) => person.id),
        retiredPersonIds: [],
        reason: "record_linked",
      }),
    ]),
  );
  await createConsumerRunner({ db: target.db, pool: target.pool, handlers: [lifecycle.handler] }).catchUp();
}

/** Admits each traveller as a visitor (B-2, ten days ago, for sixty days) and links their records. */
async function admitVisitors(target: TestDatabase, travellers: typeof people): Promise<void> {
  const ingestor = createRowIngestor({ pool: target.pool, sourceName: "test", maxDelayMs: 1 });
  for (const traveller of travellers) {
    await ingestor.ingest("admission", {
      family_name: traveller.family,
      given_names: traveller.given,
      date_of_birth: "1990-01-02",
      a_number: traveller.a,
      i94_number: `${traveller.a.slice(1)}00`,
      class_of_admission: "B2",
      admission_date: day(-10),
      admit_until: day(50),
    });
  }
  await ingestor.close();
  await linkByANumber(target, travellers);
}

beforeAll(async () => {
  database = await createTestDatabase();
  lifecycle = createLifecycleService({
    store: database,
    sources: {
      identityFacts: async (_executor, ids) => new Map(ids.map((id) => [id, CONFIRMED_IDENTITY])),
      citizenshipClaims: async () => new Map(),
    },
  });
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  for (const person of people) {
    const identity = {
      family_name: person.family,
      given_names: person.given,
      date_of_birth: "1985-06-07",
      a_number: person.a,
      nationality: "LBN",
    };
    await ingestor.ingest("admission", {
      ...identity,
      i94_number: `${person.a.slice(1)}00`,
      class_of_admission: "B2",
      admission_date: day(person.detained ? -500 : -20),
      admit_until: day(person.detained ? -320 : 100),
    });
    if (person.detained) {
      await ingestor.ingest("court", {
        ...identity,
        court_event_id: "CE-D",
        case_id: "C-D",
        case_type: "RMV",
        event_type: "decision",
        event_date: day(-200),
        outcome: "removal_ordered",
        in_absentia: "N",
        notice_served: "Y",
        destination_country: "LBN",
        appeal_waived: "Y",
      });
      await ingestor.ingest("custody", {
        ...identity,
        booking_id: "B-1",
        facility_code: "KRO",
        event: "book_in",
        event_date: day(-30),
      });
    }
  }
  await ingestor.close();
  await linkByANumber();
});

afterAll(async () => {
  await database.drop();
});

describe("departure simulator", () => {
  it("streams valid departure records for persons still here, with evidence that fits each case", async () => {
    const rows: Record<string, string>[] = [];
    const report = await simulateDepartures(database, {
      rate: 200,
      count: 2,
      selfReportShare: 0,
      onRecord: (result, row) => {
        expect(result.outcome).toBe("new");
        rows.push({ ...row });
      },
    });
    expect(report).toMatchObject({ sent: 2, rejected: 0 });
    const byPerson = Object.fromEntries(rows.map((row) => [row.a_number, row]));
    expect(byPerson["100000001"]).toMatchObject({
      evidence: "removal_executed",
      family_name: "Haddad",
      departure_date: todayUtc(),
    });
    expect(["carrier_manifest", "land_exchange"]).toContain(byPerson["100000002"]!.evidence);
  });

  it("feeds departure metrics once the records are linked and statuses derived", async () => {
    await linkByANumber();
    const metrics = await departureMetrics(database.db, { from: day(-1), to: day(0) }, lifecycle.rules);
    expect(metrics.perDay.reduce((sum, row) => sum + row.count, 0)).toBe(2);
    expect(metrics.perDay.every((row) => row.tier === "verified" && row.date === todayUtc())).toBe(true);
    expect(metrics.daysToDeparture.fromFinalOrder.count).toBe(1);
    expect(metrics.claimedNeverCorroborated).toBe(0);
  });

  it("counts a custody book-out for removal as the executed removal, once with the departure record of it", async () => {
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
    await ingestor.ingest("custody", {
      family_name: "Haddad",
      given_names: "Samir",
      date_of_birth: "1985-06-07",
      a_number: "A100000001",
      nationality: "LBN",
      booking_id: "B-1",
      facility_code: "KRO",
      event: "book_out",
      event_date: day(-1),
      reason: "removed",
    });
    await ingestor.close();
    await linkByANumber();
    const metrics = await departureMetrics(database.db, { from: day(-1), to: day(0) }, lifecycle.rules);
    // The book-out and the departure record of the same removal are one departure, dated by the book-out.
    expect(metrics.perDay.reduce((sum, row) => sum + row.count, 0)).toBe(2);
    expect(metrics.perDay).toContainEqual({
      date: day(-1),
      tier: "verified",
      evidenceKind: "removal_executed",
      count: 1,
    });
    const [status] = await executeSql<{ primary_state: string; departed_on: string }>(
      database.db,
      "SELECT primary_state, status #>> '{facts,departure,date}' AS departed_on FROM person_status WHERE person_id = 'P-ORDER'",
    );
    expect(status).toEqual({ primary_state: "DEPARTED", departed_on: day(-1) });
  });

  it("offers each person still here once, page by page, round from a random start", async () => {
    const fresh = await createTestDatabase();
    const travellers = ["Abe", "Bao", "Cruz", "Diaz", "Eze"].map((family, index) => ({
      id: `P-${family.toUpperCase()}`,
      a: `A10000002${index}`,
      family,
      given: "Lee",
      detained: false,
    }));
    try {
      await admitVisitors(fresh, travellers);
      // One person has departed already: never offered.
      await executeSql(fresh.db, "UPDATE person_status SET primary_state = 'DEPARTED' WHERE person_id = $1", [
        "P-CRUZ",
      ]);
      for (let run = 0; run < 4; run++) {
        const walk = createCandidateWalk(fresh, 2);
        const offered: string[] = [];
        for (let page = await walk.next(); page.length > 0; page = await walk.next()) {
          expect(page.length).toBeLessThanOrEqual(2);
          offered.push(...page.map((candidate) => candidate.personId));
        }
        expect(offered.sort()).toEqual(["P-ABE", "P-BAO", "P-DIAZ", "P-EZE"]);
        expect(await walk.next()).toEqual([]);
        await walk.close();
      }
    } finally {
      await fresh.drop();
    }
  });

  it("says why it sends nothing, or stops before --count: no derived status yet, or every person sent one", async () => {
    const fresh = await createTestDatabase();
    const travellers = [
      { id: "P-WHY-1", a: "A100000041", family: "Moreau", given: "Ines", detained: false },
      { id: "P-WHY-2", a: "A100000042", family: "Tanaka", given: "Yuki", detained: false },
    ];
    try {
      const ingestor = createRowIngestor({ pool: fresh.pool, sourceName: "test", maxDelayMs: 1 });
      for (const traveller of travellers) {
        await ingestor.ingest("admission", {
          family_name: traveller.family,
          given_names: traveller.given,
          date_of_birth: "1990-01-02",
          a_number: traveller.a,
          i94_number: `${traveller.a.slice(1)}00`,
          class_of_admission: "B2",
          admission_date: day(-10),
          admit_until: day(50),
        });
      }
      await ingestor.close();
      // Records ingested, no status derived yet: nothing can be sent, and the error says what to run.
      const none = simulateDepartures(fresh, { rate: 200, count: 10 });
      await expect(none).rejects.toMatchObject({
        code: "PASSAGE_ERR_SIMULATION_NOBODY_TO_DEPART",
        message: expect.stringMatching(/no person has a derived status to depart yet.*passage worklist/),
      });
      await linkByANumber(fresh, travellers);
      const report = await simulateDepartures(fresh, { rate: 200, count: 5, selfReportShare: 0 });
      expect(report).toMatchObject({ sent: 2, candidates: 2, exhausted: true });
      expect(await simulateDepartures(fresh, { rate: 200, count: 1 })).toMatchObject({
        sent: 1,
        exhausted: false,
      });
      await executeSql(fresh.db, "UPDATE person_status SET primary_state = 'DEPARTED'");
      await expect(simulateDepartures(fresh, { rate: 200, count: 1 })).rejects.toMatchObject({
        code: "PASSAGE_ERR_SIMULATION_NOBODY_TO_DEPART",
        message: expect.stringMatching(/none of the 2 persons with a derived status is still here/),
      });
    } finally {
      await fresh.drop();
    }
  });

  it("holds self-reports as claimed until a corroborating record arrives, which it sends for a share", async () => {
    const fresh = await createTestDatabase();
    const travellers = [
      { id: "P-1", a: "A100000009", family: "Ortiz", given: "Ana", detained: false },
      { id: "P-2", a: "A100000010", family: "Sato", given: "Kenji", detained: false },
    ];
    try {
      await admitVisitors(fresh, travellers);
      const evidence: string[] = [];
      // Three records: a self-report, its corroboration (due at once), a second self-report
      // whose corroboration is still pending when the simulation stops.
      const report = await simulateDepartures(fresh, {
        rate: 50,
        count: 3,
        selfReportShare: 1,
        corroborationShare: 1,
        corroborationDelaySeconds: 0,
        onRecord: (_result, row) => evidence.push(row.evidence!),
      });
      expect(evidence).toEqual(["self_report", "carrier_manifest", "self_report"]);
      // --count reached first: the report says the one planned corroboration was not sent.
      expect(report).toMatchObject({ sent: 3, corroborationsNotSent: 1, interrupted: false });
      await linkByANumber(fresh, travellers);
      const tiers = await executeSql<{ tier: string }>(
        fresh.db,
        "SELECT status #>> '{facts,departure,tier}' AS tier FROM person_status ORDER BY tier",
      );
      expect(tiers.map((row) => row.tier)).toEqual(["claimed", "verified"]);
      const metrics = await departureMetrics(fresh.db, { from: day(0), to: day(0) }, lifecycle.rules);
      expect(metrics).toMatchObject({ claimedNeverCorroborated: 1, claimedCorroborated: 1 });
    } finally {
      await fresh.drop();
    }
  });

  it("counts every departure on record, not only each person's current one", async () => {
    const fresh = await createTestDatabase();
    const twice = { id: "P-TWICE", a: "A100000031", family: "Okafor", given: "Ada", detained: false };
    const back = { id: "P-BACK", a: "A100000032", family: "Lind", given: "Per", detained: false };
    const reportedAt = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const ingestor = createRowIngestor({ pool: fresh.pool, sourceName: "test", maxDelayMs: 1 });
    const admit = (traveller: typeof twice, sequence: number, from: number, until: number) =>
      ingestor.ingest("admission", {
        family_name: traveller.family,
        given_names: traveller.given,
        date_of_birth: "1990-01-02",
        a_number: traveller.a,
        i94_number: `${traveller.a.slice(1)}0${sequence}`,
        class_of_admission: "B2",
        admission_date: day(from),
        admit_until: day(until),
      });
    const depart = (traveller: typeof twice, id: string, on: number, evidence: string) =>
      ingestor.ingest("departure", {
        departure_id: id,
        family_name: traveller.family,
        given_names: traveller.given,
        date_of_birth: "1990-01-02",
        a_number: traveller.a,
        departure_date: day(on),
        mode: evidence === "land_exchange" ? "land" : "air",
        evidence,
        reported_at: reportedAt,
      });
    try {
      // Left (a claim, then the manifest that corroborates it), came back, left again (a claim).
      await admit(twice, 1, -400, -340);
      await depart(twice, "D-T1", -310, "self_report");
      await depart(twice, "D-T2", -300, "carrier_manifest");
      await admit(twice, 2, -200, -100);
      await depart(twice, "D-T3", -150, "self_report");
      // Left and came back: still here, with no current departure.
      await admit(back, 1, -400, -340);
      await depart(back, "D-B1", -300, "land_exchange");
      await admit(back, 2, -200, 100);
      await ingestor.close();
      await linkByANumber(fresh, [twice, back]);
      const states = await executeSql<{ person_id: string; primary_state: string }>(
        fresh.db,
        "SELECT person_id, primary_state FROM person_status ORDER BY person_id",
      );
      expect(states).toEqual([
        { person_id: "P-BACK", primary_state: "ADMITTED_FIXED" },
        { person_id: "P-TWICE", primary_state: "DEPARTED" },
      ]);
      const metrics = await departureMetrics(fresh.db, { from: day(-400), to: day(0) }, lifecycle.rules);
      expect(metrics.perDay).toEqual([
        { date: day(-300), tier: "verified", evidenceKind: "carrier_manifest", count: 1 },
        { date: day(-300), tier: "verified", evidenceKind: "land_exchange", count: 1 },
        { date: day(-150), tier: "claimed", evidenceKind: "self_report", count: 1 },
      ]);
      expect(metrics).toMatchObject({ claimedNeverCorroborated: 1, claimedCorroborated: 1 });
      const hourly = await departureConfirmationsPerHour(
        fresh.db,
        { since: new Date(Date.now() - 2 * 60 * 60 * 1000), until: new Date() },
        lifecycle.rules,
      );
      expect(hourly.map(({ tier, count }) => [tier, count])).toEqual([
        ["claimed", 1],
        ["verified", 2],
      ]);
    } finally {
      await fresh.drop();
    }
  });

  it("leaves out of the days from a final order a departure dated before the order became final", async () => {
    const fresh = await createTestDatabase();
    const absent = { id: "P-ABSENT", a: "A100000041", family: "Moreau", given: "Luc", detained: false };
    const identity = {
      family_name: absent.family,
      given_names: absent.given,
      date_of_birth: "1990-01-02",
      a_number: absent.a,
    };
    const court = (id: string, eventType: string, on: number, fields: Record<string, string> = {}) =>
      ingestor.ingest("court", {
        ...identity,
        court_event_id: id,
        case_id: "C-ABSENT",
        case_type: "RMV",
        event_type: eventType,
        event_date: day(on),
        ...fields,
      });
    const ingestor = createRowIngestor({ pool: fresh.pool, sourceName: "test", maxDelayMs: 1 });
    try {
      await ingestor.ingest("admission", {
        ...identity,
        i94_number: `${absent.a.slice(1)}01`,
        class_of_admission: "B2",
        admission_date: day(-500),
        admit_until: day(-440),
      });
      // Left on a manifest; the court, not knowing, ordered removal in absentia 92 days later.
      await ingestor.ingest("departure", {
        ...identity,
        departure_id: "D-ABSENT",
        departure_date: day(-300),
        mode: "air",
        evidence: "carrier_manifest",
        reported_at: new Date().toISOString(),
      });
      await court("CE-1", "nta_filed", -269);
      await court("CE-2", "decision", -208, {
        outcome: "removal_ordered",
        in_absentia: "Y",
        notice_served: "Y",
        destination_country: "FRA",
      });
      await ingestor.close();
      await linkByANumber(fresh, [absent]);
      const [row] = await executeSql<{ departed: string; final_on: string }>(
        fresh.db,
        `SELECT status #>> '{facts,departure,date}' AS departed,
                status #>> '{facts,court,finality,finalOn}' AS final_on FROM person_status`,
      );
      expect(row).toEqual({ departed: day(-300), final_on: day(-208) });
      const metrics = await departureMetrics(fresh.db, { from: day(-400), to: day(0) }, lifecycle.rules);
      expect(metrics.perDay).toEqual([
        { date: day(-300), tier: "verified", evidenceKind: "carrier_manifest", count: 1 },
      ]);
      expect(metrics.daysToDeparture.fromFinalOrder).toEqual({ count: 0, median: null, p90: null });
    } finally {
      await fresh.drop();
    }
  });

  it("sends the corroborations still due when no one is left, before it finishes", async () => {
    const fresh = await createTestDatabase();
    const traveller = { id: "P-WAIT", a: "A100000051", family: "Ibsen", given: "Ola", detained: false };
    try {
      await admitVisitors(fresh, [traveller]);
      const evidence: string[] = [];
      const report = await simulateDepartures(fresh, {
        rate: 100,
        selfReportShare: 1,
        corroborationShare: 1,
        corroborationDelaySeconds: 0.3,
        onRecord: (_result, row) => evidence.push(row.evidence!),
      });
      expect(evidence).toEqual(["self_report", "carrier_manifest"]);
      expect(report).toMatchObject({ sent: 2, candidates: 1, exhausted: true, corroborationsNotSent: 0 });
    } finally {
      await fresh.drop();
    }
  });

  it("sends each person at most one departure across runs, though their status has not caught up", async () => {
    const fresh = await createTestDatabase();
    const travellers = [
      { id: "P-ONCE-1", a: "A100000061", family: "Kowalski", given: "Jan", detained: false },
      { id: "P-ONCE-2", a: "A100000062", family: "Mensah", given: "Ama", detained: false },
    ];
    try {
      await admitVisitors(fresh, travellers);
      const first = await simulateDepartures(fresh, { rate: 200, count: 10, selfReportShare: 0 });
      expect(first).toMatchObject({ sent: 2, exhausted: true });
      // Linkage attaches the departures to their persons; the status projection has not run yet,
      // so both still read as here (ADMITTED_FIXED).
      const members = await executeSql<{ feed: string; key_value: string; a_number: string }>(
        fresh.db,
        "SELECT feed, key_value, fields->>'a_number' AS a_number FROM source_record WHERE feed = 'departure'",
      );
      for (const member of members) {
        const person = travellers.find((traveller) => traveller.a.slice(1) === member.a_number.slice(-9))!;
        await executeSql(
          fresh.db,
          "INSERT INTO person_member (feed, key_value, person_id) VALUES ($1, $2, $3)",
          [member.feed, member.key_value, person.id],
        );
      }
      const states = await executeSql<{ primary_state: string }>(
        fresh.db,
        "SELECT primary_state FROM person_status",
      );
      expect(states.map((row) => row.primary_state)).toEqual(["ADMITTED_FIXED", "ADMITTED_FIXED"]);
      await expect(simulateDepartures(fresh, { rate: 200, count: 10 })).rejects.toMatchObject({
        code: "PASSAGE_ERR_SIMULATION_NOBODY_TO_DEPART",
        message: expect.stringMatching(/2 already hold a departure record for the current stay/),
      });
      // Re-entry after that departure starts a new stay: the person may be sent one again.
      const ingestor = createRowIngestor({ pool: fresh.pool, sourceName: "test", maxDelayMs: 1 });
      await ingestor.ingest("admission", {
        family_name: travellers[0]!.family,
        given_names: travellers[0]!.given,
        date_of_birth: "1990-01-02",
        a_number: travellers[0]!.a,
        i94_number: `${travellers[0]!.a.slice(1)}09`,
        class_of_admission: "B2",
        // The same day as the departure: read as leaving, then coming back.
        admission_date: day(0),
        admit_until: day(60),
      });
      await ingestor.close();
      await linkByANumber(fresh, travellers);
      expect(await simulateDepartures(fresh, { rate: 200, count: 10, selfReportShare: 0 })).toMatchObject({
        sent: 1,
      });
    } finally {
      await fresh.drop();
    }
  });

  it("skips, and counts, persons with no record linkage would attach a departure on", async () => {
    const fresh = await createTestDatabase();
    const strong = { id: "P-STRONG", a: "A100000071", family: "Rossi", given: "Lia", detained: false };
    const weak = { id: "P-WEAK", a: "A100000072", family: "Bauer", given: "Max", detained: false };
    try {
      await admitVisitors(fresh, [strong]);
      // The weak person's only record names them but carries no date of birth.
      const ingestor = createRowIngestor({ pool: fresh.pool, sourceName: "test", maxDelayMs: 1 });
      await ingestor.ingest("admission", {
        family_name: weak.family,
        given_names: weak.given,
        a_number: weak.a,
        i94_number: `${weak.a.slice(1)}00`,
        class_of_admission: "B2",
        admission_date: day(-10),
        admit_until: day(50),
      });
      await ingestor.close();
      await linkByANumber(fresh, [strong, weak]);
      const rows: Record<string, string>[] = [];
      const report = await simulateDepartures(fresh, {
        rate: 200,
        count: 10,
        selfReportShare: 0,
        onRecord: (_result, row) => rows.push(row),
      });
      expect(report).toMatchObject({ sent: 1, skippedWeakIdentity: 1, exhausted: true });
      expect(rows.map((row) => row.family_name)).toEqual(["Rossi"]);
    } finally {
      await fresh.drop();
    }
  });

  it("counts a departure after the VD deadline from the final order, not from the grant, and none twice", async () => {
    const fresh = await createTestDatabase();
    const onTime = { id: "P-VD-IN", a: "A100000081", family: "Silva", given: "Rui", detained: false };
    const late = { id: "P-VD-LATE", a: "A100000082", family: "Costa", given: "Eva", detained: false };
    const ingestor = createRowIngestor({ pool: fresh.pool, sourceName: "test", maxDelayMs: 1 });
    const identity = (traveller: typeof onTime) => ({
      family_name: traveller.family,
      given_names: traveller.given,
      date_of_birth: "1990-01-02",
      a_number: traveller.a,
    });
    try {
      for (const [traveller, departed] of [
        [onTime, -60],
        [late, -30],
      ] as const) {
        await ingestor.ingest("admission", {
          ...identity(traveller),
          i94_number: `${traveller.a.slice(1)}01`,
          class_of_admission: "B2",
          admission_date: day(-500),
          admit_until: day(-440),
        });
        // VD granted 100 days ago, appeal waived, deadline 60 days later (day -40).
        await ingestor.ingest("court", {
          ...identity(traveller),
          court_event_id: `CE-${traveller.id}`,
          case_id: `C-${traveller.id}`,
          case_type: "RMV",
          event_type: "decision",
          event_date: day(-100),
          outcome: "vd_with_alternate_order",
          in_absentia: "N",
          notice_served: "Y",
          appeal_waived: "Y",
          deadline: day(-40),
          destination_country: "PRT",
        });
        await ingestor.ingest("departure", {
          ...identity(traveller),
          departure_id: `D-${traveller.id}`,
          departure_date: day(departed),
          mode: "air",
          evidence: "carrier_manifest",
          reported_at: new Date().toISOString(),
        });
      }
      await ingestor.close();
      await linkByANumber(fresh, [onTime, late]);
      const rows = await executeSql<{ person_id: string; final_on: string; deadline: string }>(
        fresh.db,
        `SELECT person_id, status #>> '{facts,court,finality,finalOn}' AS final_on,
                status #>> '{facts,court,voluntaryDeparture,deadline}' AS deadline
         FROM person_status WHERE primary_state = 'DEPARTED' ORDER BY person_id`,
      );
      expect(rows).toHaveLength(2);
      expect(rows.every((row) => row.deadline === day(-40))).toBe(true);
      const metrics = await departureMetrics(fresh.db, { from: day(-400), to: day(0) }, lifecycle.rules);
      // Made under the grant: 40 days after it; the one 70 days after it is past the deadline.
      expect(metrics.daysToDeparture.fromVoluntaryDepartureGrant).toEqual({ count: 1, median: 40, p90: 40 });
      const finalOn = rows.find((row) => row.person_id === "P-VD-LATE")!.final_on;
      const fromOrder = Math.round((Date.parse(day(-30)) - Date.parse(finalOn)) / 86_400_000);
      expect(metrics.daysToDeparture.fromFinalOrder).toEqual({ count: 1, median: fromOrder, p90: fromOrder });
    } finally {
      await fresh.drop();
    }
  });

  it("counts an overstay with only a claimed departure apart, never as one who left the country late", async () => {
    const fresh = await createTestDatabase();
    const claims = { id: "P-CLAIMS", a: "A100000101", family: "Novak", given: "Petra", detained: false };
    const left = { id: "P-LEFT", a: "A100000102", family: "Dubois", given: "Marc", detained: false };
    const ingestor = createRowIngestor({ pool: fresh.pool, sourceName: "test", maxDelayMs: 1 });
    try {
      for (const [traveller, evidence] of [
        [claims, "self_report"],
        [left, "carrier_manifest"],
      ] as const) {
        const identity = {
          family_name: traveller.family,
          given_names: traveller.given,
          date_of_birth: "1990-01-02",
          a_number: traveller.a,
        };
        await ingestor.ingest("admission", {
          ...identity,
          i94_number: `${traveller.a.slice(1)}01`,
          class_of_admission: "B2",
          admission_date: day(-200),
          admit_until: day(-140),
        });
        // Left (or says so) 40 days after the authorised period ended.
        await ingestor.ingest("departure", {
          ...identity,
          departure_id: `D-${traveller.id}`,
          departure_date: day(-100),
          mode: "air",
          evidence,
          reported_at: new Date().toISOString(),
        });
      }
      await ingestor.close();
      await linkByANumber(fresh, [claims, left]);
      const facts = await executeSql<{ person_id: string; kind: string; days: number; accrual_end: string }>(
        fresh.db,
        `SELECT person_id, status #>> '{facts,overstay,kind}' AS kind,
                (status #>> '{facts,overstay,days}')::int AS days,
                status #>> '{facts,unlawfulPresence,accrualEnd}' AS accrual_end
         FROM person_status ORDER BY person_id`,
      );
      expect(facts).toEqual([
        // The claim is not corroborated: the stay goes on, to today, as unlawful presence counts it.
        { person_id: "P-CLAIMS", kind: "departure_claimed", days: 140, accrual_end: day(0) },
        { person_id: "P-LEFT", kind: "out_of_country", days: 40, accrual_end: day(-100) },
      ]);
      const metrics = await departureMetrics(fresh.db, { from: day(-400), to: day(0) }, lifecycle.rules);
      expect(metrics.overstays).toEqual({ inCountry: 0, outOfCountry: 1, departureClaimed: 1 });
    } finally {
      await fresh.drop();
    }
  });
});
