import type { AuditedAccess } from "@passage/access";
import { findPersonStatus } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import { createRowIngestor, type RowIngestor } from "../ingest/row-ingestor.ts";
import type { LinkageService } from "../linkage/linkage-service.ts";
import {
  createLinkageTestBed,
  type LinkageTestBed,
  membershipOf,
  TEST_TRAINING,
} from "../linkage/testing/linkage-population.ts";
import { createLifecycleService, type LifecycleService, todayUtc } from "./lifecycle-service.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "./lifecycle-sources.ts";

/**
 * A person made only of records unlinked from another person ("not mine", in review or redress)
 * rests on records nobody confirmed as anyone's: the IDENTITY_NOT_CONFIRMED gate holds, citing
 * them, however final the order they hold (DOMAIN.md §2.2: the record was wrongly attached to
 * someone once, on a likeness of name and birth date). A record that auto-links to it later
 * confirms whose they are, and the gate lifts.
 */

let bed: LinkageTestBed;
let database: TestDatabase;
let operator: AuditedAccess;
let linkage: LinkageService;
let lifecycle: LifecycleService;
let ingestor: RowIngestor;

const CITIZEN_RECORD = "encounter:EN-CIT-1";
const ORDER_RECORD = "court:CE-ORD-2";

function day(days: number): string {
  const date = new Date(`${todayUtc()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const personOf = async (key: string) => (await membershipOf(database)).get(key)!;

/** Until nothing is left: linkage's PersonsChanged land after the catch-up position it started from. */
async function catchUp(): Promise<void> {
  const runner = createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [linkage.handler, lifecycle.handler],
  });
  while ((await runner.catchUp()).applied > 0);
}

async function storedStatus(personId: string) {
  const row = await findPersonStatus(database.db, personId);
  if (!row) throw new Error(`no stored status for ${personId}`);
  return row;
}

const identityGate = (gates: unknown) =>
  ((gates as { results: { gate: string; holds: boolean; evidence: unknown[] }[] }).results ?? []).find(
    (result) => result.gate === "IDENTITY_NOT_CONFIRMED",
  );

const ORDERED = {
  family_name: "Quispe-Mamani",
  given_names: "Wilfredo",
  date_of_birth: "1984-07-19",
  a_number: "A098765431",
  nationality: "BOL",
};

async function ingest(feed: "court" | "encounter", row: Record<string, string>): Promise<void> {
  const outcome = await ingestor.ingest(feed, row);
  if (outcome.outcome === "rejected") throw new Error(`rejected: ${JSON.stringify(outcome)}`);
  await ingestor.flush();
}

beforeAll(async () => {
  bed = await createLinkageTestBed(200, "unlinked-record-identity");
  ({ database, operator, linkage } = bed);
  lifecycle = createLifecycleService({ store: database, sources: DATABASE_LIFECYCLE_SOURCES });
  ingestor = createRowIngestor({ pool: database.pool, sourceName: "unlinked record test", maxDelayMs: 1 });
  await ingest("court", {
    ...ORDERED,
    court_event_id: "CE-ORD-2",
    case_id: "C-ORD",
    case_type: "RMV",
    event_type: "decision",
    event_date: day(-200),
    outcome: "removal_ordered",
    in_absentia: "N",
    notice_served: "Y",
    destination_country: "BOL",
  });
  await ingest("encounter", {
    encounter_id: "EN-CIT-1",
    encounter_type: "interior_arrest",
    event_date: day(-30),
    family_name: "Quispe",
    given_names: "Wilfredo",
    date_of_birth: "1984-07-19",
  });
  await linkage.linkAll(operator, { training: TEST_TRAINING });
  // A reviewer once joined the citizen's encounter to the order on the likeness of name and birth date.
  if ((await personOf(CITIZEN_RECORD)) !== (await personOf(ORDER_RECORD))) {
    await linkage.decidePair(operator, CITIZEN_RECORD, ORDER_RECORD, {
      decision: "must_link",
      reason: "same name and birth date (test: the wrong merge)",
    });
  }
  await catchUp();
});

afterAll(async () => {
  await ingestor?.close();
  await bed?.close();
});

describe("a record unlinked as not the person's", () => {
  let alone: string;

  it("is actionable while wrongly merged, and gated once it stands alone", async () => {
    const merged = await personOf(ORDER_RECORD);
    expect(await personOf(CITIZEN_RECORD)).toBe(merged);
    expect((await storedStatus(merged)).actionable).toBe(true);

    await linkage.unlinkRecord(operator, ORDER_RECORD, { reason: "not the encounter's subject (redress)" });
    await catchUp();
    alone = await personOf(ORDER_RECORD);
    expect(alone).not.toBe(await personOf(CITIZEN_RECORD));
    const status = await storedStatus(alone);
    expect(status.primaryState).toBe("FINAL_ORDER");
    expect(status.finalOrderExecutable).toBe(true);
    expect(status.actionable).toBe(false);
    expect(status.gatesHolding).toEqual(["IDENTITY_NOT_CONFIRMED"]);
    expect(identityGate(status.gates)?.evidence).toEqual([
      expect.objectContaining({ feed: "court", recordKey: "CE-ORD-2" }),
    ]);
    // The person the record left is not gated for it.
    expect(identityGate((await storedStatus(await personOf(CITIZEN_RECORD))).gates)?.holds ?? false).toBe(
      false,
    );
  });

  it("stays gated after a batch run, and asked directly", async () => {
    await linkage.linkAll(operator);
    await catchUp();
    alone = await personOf(ORDER_RECORD);
    expect((await storedStatus(alone)).gatesHolding).toEqual(["IDENTITY_NOT_CONFIRMED"]);
    const answer = await lifecycle.statusOfPerson(alone, {});
    expect(answer.gates.results.find((result) => result.gate === "IDENTITY_NOT_CONFIRMED")?.holds).toBe(true);
  });

  it("is confirmed by a record that links to it, and the gate lifts", async () => {
    await ingest("court", {
      ...ORDERED,
      court_event_id: "CE-ORD-1",
      case_id: "C-ORD",
      case_type: "RMV",
      event_type: "nta_filed",
      event_date: day(-300),
    });
    await catchUp();
    const person = await personOf(ORDER_RECORD);
    expect(await personOf("court:CE-ORD-1")).toBe(person);
    const status = await storedStatus(person);
    expect(status.gatesHolding).toEqual([]);
    expect(status.actionable).toBe(true);
  });
});
