import { PersonsChanged } from "@passage/core";
import {
  appendOutboxEvents,
  closeCitizenshipClaim,
  executeSql,
  findPersonStatus,
  openCitizenshipClaim,
  outboxEventOf,
  readOutboxEvents,
} from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import { createRowIngestor, type RowIngestor } from "../ingest/row-ingestor.ts";
import { createLifecycleService, type LifecycleService, todayUtc } from "./lifecycle-service.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "./lifecycle-sources.ts";
import { statusDocumentOf } from "./status-document.ts";
import { confirmedIdentitySources } from "./testing/confirmed-identity-sources.ts";

let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;

/** A date `days` from today (negative: in the past), YYYY-MM-DD. */
function day(days: number): string {
  const date = new Date(`${todayUtc()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const person = {
  family_name: "Moreno",
  given_names: "Lucia",
  date_of_birth: "1990-03-04",
  a_number: "A012345678",
};

async function link(personId: string, members: Array<[string, string]>): Promise<void> {
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1) ON CONFLICT DO NOTHING", [
    personId,
  ]);
  for (const [feed, key] of members) {
    await executeSql(
      database.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [feed, key, personId],
    );
  }
  await database.db.transaction().execute((transaction) =>
    appendOutboxEvents(transaction, [
      outboxEventOf(PersonsChanged, personId, {
        personIds: [personId],
        retiredPersonIds: [],
        reason: "record_linked",
      }),
    ]),
  );
}

async function catchUp(): Promise<void> {
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [lifecycle.handler],
  }).catchUp();
}

async function statusRows(): Promise<Record<string, unknown>[]> {
  const rows = await sql<Record<string, unknown>>`SELECT * FROM person_status ORDER BY person_id`.execute(
    database.db,
  );
  return rows.rows.map(({ derived_at: _derivedAt, ...row }) => row);
}

beforeAll(async () => {
  database = await createTestDatabase();
  ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  lifecycle = createLifecycleService({ store: database, sources: confirmedIdentitySources() });
  const rows: Array<[string, Record<string, unknown>]> = [
    [
      "admission",
      {
        ...person,
        i94_number: "12345678901",
        class_of_admission: "B2",
        admission_date: day(-400),
        admit_until: day(-220),
        port_of_entry: "MIA",
      },
    ],
    [
      "court",
      {
        ...person,
        court_event_id: "CE-1",
        case_id: "C-1",
        case_type: "RMV",
        event_type: "nta_filed",
        event_date: day(-200),
      },
    ],
    [
      "court",
      {
        ...person,
        court_event_id: "CE-2",
        case_id: "C-1",
        case_type: "RMV",
        event_type: "hearing",
        event_date: day(-150),
      },
    ],
    [
      "court",
      {
        ...person,
        court_event_id: "CE-3",
        case_id: "C-1",
        case_type: "RMV",
        event_type: "decision",
        event_date: day(-100),
        outcome: "removal_ordered",
        in_absentia: "N",
        notice_served: "Y",
        destination_country: "MEX",
        nationality: "MEX",
      },
    ],
    [
      "citizenship",
      {
        family_name: "Okafor",
        given_names: "Chidi",
        date_of_birth: "1980-01-02",
        certificate_id: "CERT-1",
        basis: "naturalized",
        effective_date: day(-30),
      },
    ],
  ];
  for (const [feed, row] of rows) expect((await ingestor.ingest(feed, row)).outcome).toBe("new");
  await link("P-A", [
    ["admission", "12345678901"],
    ["court", "CE-1"],
    ["court", "CE-2"],
    ["court", "CE-3"],
  ]);
  await link("P-B", [["citizenship", "CERT-1"]]);
});

afterAll(async () => {
  await ingestor.close();
  await database.drop();
});

describe("lifecycle projection", () => {
  it("derives each changed person's status and gates, and records the change as an event", async () => {
    await catchUp();
    const removable = await findPersonStatus(database.db, "P-A");
    expect(removable).toMatchObject({ primaryState: "FINAL_ORDER", actionable: true, gatesHolding: [] });
    const citizen = await findPersonStatus(database.db, "P-B");
    expect(citizen).toMatchObject({ primaryState: "USC", actionable: false, blockers: ["USC"] });
    const events = (await readOutboxEvents(database.db, "0", 1000)).filter(
      (event) => event.type === "PersonStatusChanged",
    );
    expect(events.map((event) => event.payload)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          personId: "P-A",
          state: "FINAL_ORDER",
          actionable: true,
          previousState: null,
        }),
        expect.objectContaining({ personId: "P-B", state: "USC", actionable: false }),
      ]),
    );
  });

  it("re-derives when a new record arrives: a stay makes the person not actionable", async () => {
    await ingestor.ingest("court", {
      ...person,
      court_event_id: "CE-4",
      case_id: "C-1",
      case_type: "RMV",
      event_type: "stay_granted",
      event_date: day(-5),
    });
    await link("P-A", [["court", "CE-4"]]);
    await catchUp();
    const status = await findPersonStatus(database.db, "P-A");
    expect(status).toMatchObject({ actionable: false, overlays: ["STAY"] });
    expect(status?.gatesHolding).toContain("STAY_GRANTED");
  });

  it("skips persons whose inputs did not change (no new event)", async () => {
    const before = (await readOutboxEvents(database.db, "0", 10_000)).length;
    await link("P-A", []);
    await catchUp();
    const after = await readOutboxEvents(database.db, "0", 10_000);
    expect(after.length).toBe(before + 1); // only the PersonsChanged written by link()
  });

  it("rebuilds the projection from records with an identical result", async () => {
    const before = await statusRows();
    await lifecycle.rebuild();
    expect(await statusRows()).toEqual(before);
  });

  it("rebuilds identically when the persons span several batches (read, derive and write overlap)", async () => {
    const before = await statusRows();
    expect(before.length).toBeGreaterThan(1);
    const onePerBatch = createLifecycleService({
      store: database,
      sources: confirmedIdentitySources(),
      personsPerBatch: 1,
    });
    expect(await onePerBatch.rebuild()).toEqual({ persons: before.length });
    expect(await statusRows()).toEqual(before);
  });

  it("rebuilds batch by batch with each person's own identity facts, equal to deriving each person alone", async () => {
    // P-B alone has an uncertain link, so a rebuild that gave one person's inputs or row to
    // another, dropped one or wrote one twice would not match the persons derived one by one.
    const evidence = [{ feed: "citizenship" as const, recordKey: "CERT-1", version: 1 }];
    const identities = new Map([
      [
        "P-B",
        {
          reviewBandLinks: [{ matchProbability: 0.7, evidence }],
          conflictingIdentifiers: [],
          unlinkedRecords: [],
          outdatedMustLinks: [],
        },
      ],
    ]);
    const service = (options: { personsPerBatch: number; onIdentityRead?: () => Promise<void> }) =>
      createLifecycleService({
        store: database,
        sources: {
          identityFacts: async (_executor, ids) => {
            await options.onIdentityRead?.();
            return new Map(ids.flatMap((id) => (identities.has(id) ? [[id, identities.get(id)!]] : [])));
          },
          citizenshipClaims: async () => new Map(),
        },
        personsPerBatch: options.personsPerBatch,
      });
    await sql`TRUNCATE person_status`.execute(database.db);
    const alone = service({ personsPerBatch: 1 });
    for (const personId of ["P-B", "P-A"]) {
      await database.db.transaction().execute((transaction) => alone.derivePersons(transaction, [personId]));
    }
    const derived = await statusRows();
    expect(derived.map((row) => [row.person_id, row.gates_holding])).toEqual([
      ["P-A", expect.not.arrayContaining(["IDENTITY_NOT_CONFIRMED"])],
      ["P-B", expect.arrayContaining(["IDENTITY_NOT_CONFIRMED"])],
    ]);
    for (const personsPerBatch of [1, 2, 1000]) {
      expect(await service({ personsPerBatch }).rebuild()).toEqual({ persons: derived.length });
      expect(await statusRows()).toEqual(derived);
    }

    // A writer of the projection writes P-B while the rebuild runs (here a stale row, as from
    // inputs the rebuild did not see): the row written meanwhile is derived again at the swap.
    let reads = 0;
    const meanwhile = service({
      personsPerBatch: 1,
      onIdentityRead: async () => {
        if (++reads !== 1) return;
        await executeSql(
          database.db,
          `INSERT INTO person_status (person_id, as_of, primary_state, overlays, blockers, gates_holding,
             final_order_executable, actionable, status, gates, input_digest)
           VALUES ('P-B', '2000-01-01', 'STALE', '{}', '{}', '{}', false, false, '{}', '{}', 'stale')
           ON CONFLICT (person_id) DO UPDATE SET primary_state = 'STALE', input_digest = 'stale',
             derived_at = clock_timestamp()`,
        );
      },
    });
    expect(await meanwhile.rebuild()).toEqual({ persons: derived.length });
    expect(await statusRows()).toEqual(derived);
  });

  it("answers status as of a past date and as known at a past moment", async () => {
    const now = await lifecycle.statusOfRecord("court:CE-3");
    expect(now.status.state.primary).toBe("FINAL_ORDER");
    expect(now.actionable).toBe(false);
    const beforeTheOrder = await lifecycle.statusOfRecord("admission:12345678901", { asOf: day(-120) });
    expect(beforeTheOrder.status.state.primary).toBe("IN_PROCEEDINGS");
    const knownAt = (
      await sql<{
        at: string;
      }>`SELECT min(recorded_at) AS at FROM source_record WHERE key_value = 'CE-4'`.execute(database.db)
    ).rows[0]!.at;
    const beforeTheStayWasKnown = await lifecycle.statusOfRecord("court:CE-1", {
      knownAt: new Date(new Date(knownAt).getTime() - 1).toISOString(),
    });
    expect(beforeTheStayWasKnown.actionable).toBe(true);

    // An identity issue that rests on the stay's record (stored later) is not cited before it existed.
    const withIssue = createLifecycleService({
      store: database,
      sources: {
        identityFacts: async (_executor, ids) =>
          new Map(
            ids.map((id) => [
              id,
              {
                reviewBandLinks: [],
                conflictingIdentifiers: [
                  {
                    identifier: "a_number",
                    evidence: [{ feed: "court" as const, recordKey: "CE-4", version: 1 }],
                  },
                ],
                unlinkedRecords: [],
                outdatedMustLinks: [],
              },
            ]),
          ),
        citizenshipClaims: async () => new Map(),
      },
    });
    const moment = new Date(new Date(knownAt).getTime() - 1).toISOString();
    const then = await withIssue.statusOfRecord("court:CE-1", { knownAt: moment });
    expect(then.actionable).toBe(true);
    expect(JSON.stringify(then)).not.toContain("CE-4");
    const nowWithIssue = await withIssue.statusOfRecord("court:CE-1");
    expect(JSON.stringify(nowWithIssue.gates)).toContain("CE-4");
  });

  it("sees a citizenship claim as the record stood at the known-at moment: opened by then, open if closed after", async () => {
    const claimant = {
      family_name: "Haddad",
      given_names: "Samir",
      date_of_birth: "1985-07-08",
      a_number: "A087654321",
    };
    const courtRows: Array<[string, Record<string, string>]> = [
      ["CC-1", { event_type: "nta_filed", event_date: day(-300) }],
      [
        "CC-2",
        {
          event_type: "decision",
          event_date: day(-200),
          outcome: "removal_ordered",
          in_absentia: "N",
          notice_served: "Y",
          destination_country: "GTM",
          nationality: "GTM",
        },
      ],
    ];
    for (const [id, row] of courtRows) {
      await ingestor.ingest("court", {
        ...claimant,
        court_event_id: id,
        case_id: "C-9",
        case_type: "RMV",
        ...row,
      });
    }
    await link("P-C", [
      ["court", "CC-1"],
      ["court", "CC-2"],
    ]);
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    await pause();
    await openCitizenshipClaim(database.db, {
      claimId: "CLAIM-1",
      personId: "P-C",
      openedOn: day(-60),
      requestId: "R-CLAIM-1",
    });
    await pause();
    await closeCitizenshipClaim(database.db, {
      claimId: "CLAIM-1",
      closedOn: day(-20),
      outcome: "rejected",
      reason: "no citizenship record found",
    });
    const [moments] = await executeSql<{ opened_at: string; closed_at: string }>(
      database.db,
      "SELECT opened_at, closed_at FROM citizenship_claim WHERE claim_id = 'CLAIM-1'",
    );
    const openedAt = new Date(moments!.opened_at).getTime();
    const beforeOpening = new Date(openedAt - 1).toISOString();
    const whileOpen = new Date(openedAt + 1).toISOString();
    expect(whileOpen < new Date(moments!.closed_at).toISOString()).toBe(true);
    const claims = createLifecycleService({ store: database, sources: DATABASE_LIFECYCLE_SOURCES });
    const claimOpen = (answer: { status: { overlays: readonly { overlay: string }[] } }) =>
      answer.status.overlays.some((overlay) => overlay.overlay === "USC_CLAIM_OPEN");

    // Known while open: the later closure is not yet known, so the claim still blocks today.
    const knownOpen = await claims.statusOfPerson("P-C", { knownAt: whileOpen });
    expect(claimOpen(knownOpen)).toBe(true);
    expect(knownOpen.status.blockers.map((blocker) => blocker.code)).toEqual(["USC"]);
    expect(knownOpen.status.finalOrderExecutable).toBe(false);
    // Known before it was opened (the same day, on a date it covers): no claim yet.
    const knownBefore = await claims.statusOfPerson("P-C", { asOf: day(-40), knownAt: beforeOpening });
    expect(claimOpen(knownBefore)).toBe(false);
    expect(knownBefore.status.finalOrderExecutable).toBe(true);
    // Known now: open on the dates it covers, closed since.
    expect(claimOpen(await claims.statusOfPerson("P-C", { asOf: day(-40) }))).toBe(true);
    const now = await claims.statusOfPerson("P-C");
    expect(claimOpen(now)).toBe(false);
    expect(now.status.finalOrderExecutable).toBe(true);
  });

  it("names no next change in an answer for a past date (it may be a later record's); the projection still plans on it", async () => {
    const traveller = {
      family_name: "Lindqvist",
      given_names: "Maja",
      date_of_birth: "1992-11-12",
      a_number: "A023456789",
    };
    await ingestor.ingest("admission", {
      ...traveller,
      i94_number: "23456789012",
      class_of_admission: "B2",
      admission_date: day(-50),
      admit_until: day(30),
      port_of_entry: "JFK",
    });
    for (const [id, eventType, eventDate] of [
      ["CD-1", "nta_filed", day(-10)],
      ["CD-2", "hearing", day(10)],
    ] as const) {
      await ingestor.ingest("court", {
        ...traveller,
        court_event_id: id,
        case_id: "C-D",
        case_type: "RMV",
        event_type: eventType,
        event_date: eventDate,
      });
    }
    await link("P-D", [
      ["admission", "23456789012"],
      ["court", "CD-1"],
      ["court", "CD-2"],
    ]);

    // As of a past date the notice to appear (dated after it) must not show, nor its date.
    const before = await lifecycle.statusOfPerson("P-D", { asOf: day(-20) });
    expect(before.status.state.primary).toBe("ADMITTED_FIXED");
    expect(before.status.nextChangeOn).toBeNull();
    expect(JSON.stringify(statusDocumentOf(before))).not.toContain(day(-10));
    // As of today the next change is the hearing dated ahead, and the projection plans on it.
    expect((await lifecycle.statusOfPerson("P-D")).status.nextChangeOn).toBe(day(10));
    await catchUp();
    expect(await findPersonStatus(database.db, "P-D")).toMatchObject({
      primaryState: "NTA_ISSUED",
      nextChangeOn: day(10),
    });
    await lifecycle.refreshDue(day(10));
    expect(await findPersonStatus(database.db, "P-D")).toMatchObject({
      asOf: day(10),
      primaryState: "IN_PROCEEDINGS",
    });
  });

  it("names unknown, unlinked and malformed references clearly", async () => {
    await expect(lifecycle.statusOfRecord("visa:NOPE")).rejects.toMatchObject({
      code: "PASSAGE_ERR_STATUS_RECORD_NOT_FOUND",
    });
    await ingestor.ingest("visa", {
      visa_id: "V-9",
      visa_class: "B2",
      issue_date: "2020-01-01",
      expiry_date: "2030-01-01",
    });
    await expect(lifecycle.statusOfRecord("visa:V-9")).rejects.toMatchObject({
      code: "PASSAGE_ERR_STATUS_RECORD_NOT_LINKED",
    });
    await expect(
      lifecycle.statusOfRecord("court:CE-1", { knownAt: "2000-01-01T00:00:00Z" }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_STATUS_NOT_YET_KNOWN" });
    await expect(lifecycle.statusOfRecord("flight:F-1")).rejects.toMatchObject({
      code: "PASSAGE_ERR_STATUS_RECORD_NOT_ABOUT_PERSON",
    });
    await expect(lifecycle.statusOfRecord("nofeed:X")).rejects.toMatchObject({
      code: "PASSAGE_ERR_FEED_UNKNOWN",
    });
    await expect(lifecycle.statusOfRecord("court:CE-1", { asOf: "2026-02-30" })).rejects.toMatchObject({
      code: "PASSAGE_ERR_STATUS_DATE_INVALID",
    });
    // A date where a timestamp belongs is named as such, with an example of the right form.
    await expect(lifecycle.statusOfRecord("court:CE-1", { knownAt: "2020-01-01" })).rejects.toMatchObject({
      code: "PASSAGE_ERR_STATUS_DATE_INVALID",
      message: expect.stringMatching(/a timestamp is ISO 8601 with an offset, e\.g\. 2025-06-30T12:00:00Z/),
    });
    // What will have been recorded by a later moment is not known yet: no answer for it would hold.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    await expect(lifecycle.statusOfRecord("court:CE-1", { knownAt: tomorrow })).rejects.toMatchObject({
      code: "PASSAGE_ERR_STATUS_KNOWN_AT_IN_FUTURE",
    });
    await expect(
      lifecycle.statusOfRecord("court:CE-1", { knownAt: new Date().toISOString() }),
    ).resolves.toMatchObject({ knownAt: expect.any(String) });
  });
});
