import type { AuditedAccess } from "@passage/access";
import { PersonsChanged } from "@passage/core";
import {
  appendOutboxEvents,
  findPersonStatus,
  findRedressRequest,
  insertRedressRequest,
  listRedressRequests,
  openCitizenshipClaim,
  outboxEventOf,
} from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import { createLifecycleService, type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "../lifecycle/lifecycle-sources.ts";
import { createLinkageService, type LinkageService } from "../linkage/linkage-service.ts";
import {
  ingestSynthFiles,
  membershipOf,
  operatorAccess,
  removeSynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "../linkage/testing/linkage-population.ts";
import { createRedressService } from "./redress-service.ts";

/**
 * A citizenship claim follows its person's records (DOMAIN.md §1.9: an open claim blocks every
 * action until resolved). A claim filed on a person that a must-link decision (or a batch run)
 * later merges into another is the surviving person's claim: it stays not actionable, with the
 * USC_CLAIM_OPEN overlay and the USC blocker, and the request says where its person went. A
 * split after that keeps the claim on the id that survives.
 */

let database: TestDatabase;
let closeAccess: () => Promise<void>;
let operator: AuditedAccess;
let linkage: LinkageService;
let lifecycle: LifecycleService;

/** The claimant's only record, and the records of a person with a final order (another name). */
const CLAIMANT_RECORD = "encounter:EN-USC-1";
const ORDERED_RECORDS = ["court:CE-USC-1", "court:CE-USC-2"] as const;
const REQUEST_ID = "RR-USC-MERGE";
const CLAIM_ID = "CLAIM-USC-MERGE";

function day(days: number): string {
  const date = new Date(`${todayUtc()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const personOf = async (key: string) => (await membershipOf(database)).get(key)!;

async function catchUpLifecycle(): Promise<void> {
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [lifecycle.handler],
  }).catchUp();
}

async function storedStatus(personId: string) {
  const row = await findPersonStatus(database.db, personId);
  if (!row) throw new Error(`no stored status for ${personId}`);
  return row;
}

beforeAll(async () => {
  database = await createTestDatabase();
  ({ operator, close: closeAccess } = operatorAccess(database));
  linkage = createLinkageService({ store: database });
  lifecycle = createLifecycleService({ store: database, sources: DATABASE_LIFECYCLE_SOURCES });
  const files = await writeSynthFiles(200, "redress-claim-merge");
  await ingestSynthFiles(database, files);
  removeSynthFiles(files);
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "claim merge test", maxDelayMs: 1 });
  const ingest = async (feed: "court" | "encounter", row: Record<string, string>) => {
    const outcome = await ingestor.ingest(feed, row);
    if (outcome.outcome === "rejected") throw new Error(`rejected: ${JSON.stringify(outcome)}`);
  };
  const ordered = {
    family_name: "Quispe-Mamani",
    given_names: "Wilfredo",
    date_of_birth: "1984-07-19",
    a_number: "A098765432",
  };
  await ingest("court", {
    ...ordered,
    court_event_id: "CE-USC-1",
    case_id: "C-USC",
    case_type: "RMV",
    event_type: "nta_filed",
    event_date: day(-300),
  });
  await ingest("court", {
    ...ordered,
    court_event_id: "CE-USC-2",
    case_id: "C-USC",
    case_type: "RMV",
    event_type: "decision",
    event_date: day(-200),
    outcome: "removal_ordered",
    in_absentia: "N",
    notice_served: "Y",
    destination_country: "BOL",
    nationality: "BOL",
  });
  await ingest("encounter", {
    encounter_id: "EN-USC-1",
    encounter_type: "interior_arrest",
    event_date: day(-30),
    family_name: "Lindgren",
    given_names: "Astrid",
    date_of_birth: "1992-12-03",
  });
  await ingestor.close();
  await linkage.linkAll(operator, { training: TEST_TRAINING });
  await catchUpLifecycle();
});

afterAll(async () => {
  await closeAccess?.();
  await database?.drop();
});

describe("a citizenship claim on a person merged into another", () => {
  let claimant: string;
  let survivor: string;

  it("blocks the claimant before the merge, while the other person is actionable on its final order", async () => {
    claimant = await personOf(CLAIMANT_RECORD);
    survivor = await personOf(ORDERED_RECORDS[0]);
    expect(await personOf(ORDERED_RECORDS[1])).toBe(survivor);
    expect(claimant).not.toBe(survivor);
    const before = await storedStatus(survivor);
    expect(before.primaryState).toBe("FINAL_ORDER");
    expect(before.actionable).toBe(true);

    await database.db.transaction().execute(async (transaction) => {
      await openCitizenshipClaim(transaction, {
        claimId: CLAIM_ID,
        personId: claimant,
        openedOn: todayUtc(),
        requestId: REQUEST_ID,
      });
      await insertRedressRequest(transaction, {
        requestId: REQUEST_ID,
        personId: claimant,
        kind: "citizenship",
        statement: "I am a US citizen",
        departureDate: null,
        disputedRecords: [],
        documents: [],
        filedBy: "user:officer",
        claimId: CLAIM_ID,
      });
      await appendOutboxEvents(transaction, [
        outboxEventOf(PersonsChanged, claimant, {
          personIds: [claimant],
          retiredPersonIds: [],
          reason: "redress",
        }),
      ]);
    });
    await catchUpLifecycle();
    const filed = await storedStatus(claimant);
    expect(filed.actionable).toBe(false);
    expect(filed.overlays).toContain("USC_CLAIM_OPEN");
    expect(filed.blockers).toContain("USC");
  });

  it("blocks the person a must-link decision merges the claimant into, and the request says where it went", async () => {
    await linkage.decidePair(operator, ORDERED_RECORDS[0], CLAIMANT_RECORD, {
      decision: "must_link",
      reason: "one person under two names (test)",
    });
    const merged = await personOf(CLAIMANT_RECORD);
    expect(await personOf(ORDERED_RECORDS[0])).toBe(merged);
    // The claimant's id is the one retired (the larger person keeps its id): the claim's own id is gone.
    expect(merged).toBe(survivor);
    const retired = await database.pool.query(
      "SELECT successor_person_id FROM linkage_person_retirement WHERE person_id = $1",
      [claimant],
    );
    expect(retired.rows).toEqual([{ successor_person_id: survivor }]);

    await catchUpLifecycle();
    const after = await storedStatus(survivor);
    expect(after.actionable).toBe(false);
    expect(after.overlays).toContain("USC_CLAIM_OPEN");
    expect(after.blockers).toContain("USC");
    expect(await findPersonStatus(database.db, claimant)).toBeUndefined();

    // Asked directly (and as known now), the status says the same.
    const answer = await lifecycle.statusOfPerson(survivor, { knownAt: new Date().toISOString() });
    expect(answer.status.overlays.map((overlay) => overlay.overlay)).toContain("USC_CLAIM_OPEN");
    expect(answer.status.blockers.map((blocker) => blocker.code)).toContain("USC");

    const request = await findRedressRequest(database.db, REQUEST_ID);
    expect(request).toMatchObject({ personId: claimant, currentPersonId: survivor, status: "filed" });
    const listed = await listRedressRequests(
      database.db,
      { personId: survivor, limit: 10, offset: 0 },
      () => sql<boolean>`true`,
    );
    expect(listed.map((row) => row.requestId)).toEqual([REQUEST_ID]);
  });

  it("stays blocked after the next batch run", async () => {
    await linkage.linkAll(operator);
    await catchUpLifecycle();
    const holder = await personOf(ORDERED_RECORDS[0]);
    const status = await storedStatus(holder);
    expect(status.actionable).toBe(false);
    expect(status.overlays).toContain("USC_CLAIM_OPEN");
  });

  it("keeps the claim on the id that survives when the person is split again", async () => {
    const holder = await personOf(ORDERED_RECORDS[0]);
    await linkage.unlinkRecord(operator, CLAIMANT_RECORD, { reason: "not the same person after all (test)" });
    const split = await personOf(CLAIMANT_RECORD);
    expect(await personOf(ORDERED_RECORDS[0])).toBe(holder);
    expect(split).not.toBe(holder);
    await catchUpLifecycle();
    const kept = await storedStatus(holder);
    expect(kept.actionable).toBe(false);
    expect(kept.overlays).toContain("USC_CLAIM_OPEN");
    expect((await storedStatus(split)).overlays).not.toContain("USC_CLAIM_OPEN");
    expect((await findRedressRequest(database.db, REQUEST_ID))?.currentPersonId).toBe(holder);
  });

  it("is resolved on the person the claimant's records belong to now: a granted claim makes that person a citizen", async () => {
    // Acting on the request's own (retired) person id, the resolution wrote the citizenship
    // record's membership to a person that no longer exists and re-derived no one.
    const holder = await personOf(ORDERED_RECORDS[0]);
    const redress = createRedressService({ store: database, linkage });
    const resolution = await redress.resolve(operator, REQUEST_ID, {
      outcome: "granted",
      reason: "passport verified (test)",
      citizenship: { effectiveDate: day(-10) },
    });
    const [written] = resolution.written;
    expect(written).toMatchObject({ feed: "citizenship" });
    expect(await personOf(`citizenship:${written!.keyValue}`)).toBe(holder);
    await catchUpLifecycle();
    const status = await storedStatus(holder);
    expect(status.primaryState).toBe("USC");
    expect(status.actionable).toBe(false);
  });
});
