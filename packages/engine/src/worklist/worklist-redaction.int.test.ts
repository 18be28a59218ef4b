import type { Access, Actor } from "@passage/access";
import { setCaseAssignment } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { readPersonStatus } from "../lifecycle/status-read.ts";
import { ingestPerson, removalCaseRows } from "./testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "./testing/test-bed.ts";
import { createWorklistService, type WorklistService } from "./worklist-service.ts";

// For a reader without the need to know asylum (8 CFR 208.6) or 1367 (8 U.S.C. 1367) matters,
// nothing of a case's worklist entry, explanation or status may tell a person with a flagged
// record from one without: not `facts` or `inputs` null on the one and an object on the other,
// not an override's reason withheld on the one and shown on the other.
const AS_OF = todayUtc();
const ASYLUM_RECEIPT = "ZLA1234500001";
const U_VISA_RECEIPT = "EAC2290099003";
const ASYLUM_REASON = "Asylum claim denied in 2019: counsel asks to hold";
const PLAIN_REASON = "Awaiting travel document";
const SUPERVISOR: Actor = {
  kind: "user",
  id: "sup",
  roles: ["supervisor"],
  office: "NYC",
  confidentialityNeeds: [],
  country: "",
};
const OFFICER: Actor = { ...SUPERVISOR, id: "officer", roles: ["removal_officer"] };
// The asylum need only: a T/U/VAWA matter is as hidden from this reader as from the officer.
const ASYLUM_ONLY: Actor = { ...SUPERVISOR, id: "asylum-only", confidentialityNeeds: ["asylum"] };
const CLEARED: Actor = { ...SUPERVISOR, id: "cleared", confidentialityNeeds: ["asylum", "vawa1367"] };

let bed: LifecycleBed;
let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;
let worklist: WorklistService;
let access: Access;

const as = (actor: Actor) => access.forRequest({ actor, purpose: "test", requestId: `test-${actor.id}` });

const person = (number: number) => ({
  family_name: `Testperson${number}`,
  given_names: "Ana",
  date_of_birth: "1985-05-05",
  a_number: `A${200_000_000 + number}`,
});

/** The kinds of a value's fields, at any depth (an array is one kind, whatever it holds). */
function shapeOf(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value !== "object") return typeof value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, item]) => [key, shapeOf(item)]),
  );
}

/** A benefit row of person `number`, linked to `personId` as linkage would. */
const ingestBenefit = (personId: string, number: number, row: Record<string, string>) =>
  ingestPerson(database, ingestor, personId, [["benefit", { ...person(number), ...row }]]);

beforeAll(async () => {
  bed = await createLifecycleBed({ name: "worklist-redaction" });
  ({ database, ingestor, lifecycle, access } = bed);
  worklist = createWorklistService({ store: database });
  // Three final orders in one office: P-ASYLUM also has an asylum application, denied long ago
  // (it stays on the worklist), P-U a U visa (it keeps the person off the worklist).
  await ingestPerson(database, ingestor, "P-PLAIN", removalCaseRows({ number: 1, asOf: AS_OF }));
  await ingestPerson(database, ingestor, "P-ASYLUM", removalCaseRows({ number: 2, asOf: AS_OF }));
  await ingestPerson(database, ingestor, "P-U", removalCaseRows({ number: 3, asOf: AS_OF }));
  for (const [event, eventDate] of [
    ["filed", "2018-03-01"],
    ["denied", "2019-01-15"],
  ] as const) {
    await ingestBenefit("P-ASYLUM", 2, {
      receipt_number: ASYLUM_RECEIPT,
      form_type: "I-589",
      event,
      event_date: eventDate,
    });
  }
  await ingestBenefit("P-U", 3, {
    receipt_number: U_VISA_RECEIPT,
    form_type: "I-918",
    event: "approved",
    event_date: "2020-01-10",
    valid_from: "2020-01-10",
    valid_to: "2099-01-01",
  });
  for (const personId of ["P-PLAIN", "P-ASYLUM", "P-U"]) {
    await setCaseAssignment(database.db, { personId, office: "NYC", assignees: [], updatedBy: "test" });
  }
  await database.db
    .transaction()
    .execute((transaction) => lifecycle.derivePersons(transaction, ["P-PLAIN", "P-ASYLUM", "P-U"], AS_OF));
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [worklist.projection.handler],
  }).catchUp();
  for (const [personId, reason] of [
    ["P-PLAIN", PLAIN_REASON],
    ["P-ASYLUM", ASYLUM_REASON],
  ] as const) {
    await worklist.override(as(CLEARED), { personId, tier: 2, reason });
  }
});

afterAll(() => bed?.close());

const statusOf = (actor: Actor, personId: string) =>
  readPersonStatus(as(actor), { db: database.db, lifecycle }, personId, {});

describe("worklist and status redaction: the same for a case with a confidential record as for one without", () => {
  it("shows a reader without the need a worklist entry of the same shape, its facts and reasons withheld on every case", async () => {
    const page = await worklist.list(as(OFFICER), { pageSize: 1000 });
    const entryOf = (personId: string) => page.entries.find((entry) => entry.personId === personId)!;
    expect(page.entries.map((entry) => entry.personId).sort()).toEqual(["P-ASYLUM", "P-PLAIN"]);
    expect(shapeOf(entryOf("P-ASYLUM"))).toEqual(shapeOf(entryOf("P-PLAIN")));
    for (const personId of ["P-ASYLUM", "P-PLAIN"]) {
      expect(entryOf(personId).explanation.inputs).toBeNull();
      expect(entryOf(personId).override).toMatchObject({ tier: 2, reason: null });
    }

    const asylum = await worklist.explain(as(OFFICER), "P-ASYLUM");
    const plain = await worklist.explain(as(OFFICER), "P-PLAIN");
    expect(shapeOf(asylum)).toEqual(shapeOf(plain));
    expect(asylum.overrides.map(shapeOf)).toEqual(plain.overrides.map(shapeOf));
    expect([asylum.explanation.inputs, plain.explanation.inputs]).toEqual([null, null]);
    expect([...asylum.overrides, ...plain.overrides].map((override) => override.reason)).toEqual([
      null,
      null,
    ]);
    // The confidential matter itself stays withheld.
    for (const shown of [JSON.stringify(page), JSON.stringify(asylum)]) {
      expect(shown).not.toContain(ASYLUM_RECEIPT);
      expect(shown).not.toContain(ASYLUM_REASON);
      expect(shown).not.toMatch(/I-589/);
    }
  });

  it("shows a reader without the need the ranking history redacted as the explanation, the same shape on every case", async () => {
    const asylum = await worklist.history(as(OFFICER), "P-ASYLUM");
    const plain = await worklist.history(as(OFFICER), "P-PLAIN");
    expect(asylum.total).toBeGreaterThanOrEqual(1);
    expect(shapeOf(asylum)).toEqual(shapeOf(plain));
    // The current ranking's row is shown exactly as the explanation route shows it to this reader.
    const explained = await worklist.explain(as(OFFICER), "P-ASYLUM");
    expect(asylum.entries[0]!.explanation).toEqual(explained.explanation);
    for (const entry of [...asylum.entries, ...plain.entries]) {
      expect(entry.explanation?.inputs).toBeNull();
      // Replayed whole before redaction.
      expect(entry.replay).toEqual({ identical: true, differences: [] });
    }
    expect(JSON.stringify(asylum)).not.toContain(ASYLUM_RECEIPT);
    expect(JSON.stringify(asylum)).not.toMatch(/I-589/);
    // A reader with the need reads it whole.
    const whole = await worklist.history(as(CLEARED), "P-ASYLUM");
    expect(whole.entries[0]!.explanation?.inputs).not.toBeNull();
    expect(JSON.stringify(whole)).toContain(ASYLUM_RECEIPT);
  });

  it("shows a reader without the need a status of the same shape, the facts and next change withheld on every case", async () => {
    const asylum = await statusOf(OFFICER, "P-ASYLUM");
    const plain = await statusOf(OFFICER, "P-PLAIN");
    expect(shapeOf(asylum)).toEqual(shapeOf(plain));
    expect([asylum.facts, plain.facts]).toEqual([null, null]);
    expect([asylum.next_change_on, plain.next_change_on]).toEqual([null, null]);
    expect(JSON.stringify(asylum)).not.toContain(ASYLUM_RECEIPT);
    expect(JSON.stringify(asylum)).not.toMatch(/CONFIDENTIAL_ASYLUM|I-589/);
  });

  it("withholds alike from a reader with the asylum need only: a U visa holder's facts as an unflagged case's", async () => {
    const victim = await statusOf(ASYLUM_ONLY, "P-U");
    const plain = await statusOf(ASYLUM_ONLY, "P-PLAIN");
    expect([victim.facts, plain.facts]).toEqual([null, null]);
    expect([victim.next_change_on, plain.next_change_on]).toEqual([null, null]);
    expect(JSON.stringify(victim)).not.toContain(U_VISA_RECEIPT);
    expect(JSON.stringify(victim)).not.toMatch(/CONFIDENTIAL_1367|I-918|U_STATUS/);
    // The asylum matter is this reader's to see: it is cited, and named by its overlay.
    const asylum = await statusOf(ASYLUM_ONLY, "P-ASYLUM");
    expect(JSON.stringify(asylum)).toContain(ASYLUM_RECEIPT);
    expect(asylum.overlays.map((overlay) => overlay.overlay)).toContain("CONFIDENTIAL_ASYLUM");
  });

  it("shows a reader with the need everything, on every case", async () => {
    const page = await worklist.list(as(CLEARED), { pageSize: 1000 });
    for (const entry of page.entries) expect(entry.explanation.inputs).not.toBeNull();
    const asylum = await worklist.explain(as(CLEARED), "P-ASYLUM");
    expect(asylum.overrides.map((override) => override.reason)).toEqual([ASYLUM_REASON]);
    expect(JSON.stringify(asylum)).toContain(ASYLUM_RECEIPT);
    const status = await statusOf(CLEARED, "P-ASYLUM");
    expect(status.facts).not.toBeNull();
    expect(JSON.stringify(status)).toContain(ASYLUM_RECEIPT);
  });
});
