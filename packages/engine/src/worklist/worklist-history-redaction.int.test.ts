import type { Access, Actor } from "@passage/access";
import { setCaseAssignment } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { dayFrom, ingestPerson, removalCaseRows } from "./testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "./testing/test-bed.ts";
import { createWorklistService, type WorklistService } from "./worklist-service.ts";

// For a reader without the need to know asylum matters, a record they may not see arriving moves
// nothing of a case's worklist: no new ranking history row, no new evaluation time.
const AS_OF = todayUtc();
const OFFICER: Actor = {
  kind: "user",
  id: "officer",
  roles: ["removal_officer"],
  office: "NYC",
  confidentialityNeeds: [],
  country: "",
};
const CLEARED: Actor = {
  ...OFFICER,
  id: "cleared",
  roles: ["supervisor"],
  confidentialityNeeds: ["asylum", "vawa1367"],
};

let bed: LifecycleBed;
let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;
let worklist: WorklistService;
let access: Access;

const as = (actor: Actor) => access.forRequest({ actor, purpose: "test", requestId: `test-${actor.id}` });

async function rank(personIds: string[], asOf = AS_OF): Promise<void> {
  await database.db
    .transaction()
    .execute((transaction) => lifecycle.derivePersons(transaction, personIds, asOf));
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [worklist.projection.handler],
  }).catchUp();
}

/** A denied asylum application (I-589: flagged) of person `number`, linked to `personId`. */
async function ingestDeniedAsylum(personId: string, number: number): Promise<void> {
  const rows = (["filed", "denied"] as const).map((event, index): [string, Record<string, string>] => [
    "benefit",
    {
      family_name: `Testperson${number}`,
      given_names: "Ana",
      date_of_birth: "1985-05-05",
      a_number: `A${200_000_000 + number}`,
      receipt_number: `ZLA12345000${number}0`,
      form_type: "I-589",
      event,
      event_date: index === 0 ? "2018-03-01" : "2019-01-15",
    },
  ]);
  await ingestPerson(database, ingestor, personId, rows);
}

beforeAll(async () => {
  bed = await createLifecycleBed({ name: "worklist-history-redaction" });
  ({ database, ingestor, lifecycle, access } = bed);
  worklist = createWorklistService({ store: database });
  await ingestPerson(database, ingestor, "P-PLAIN", removalCaseRows({ number: 1, asOf: AS_OF }));
  await ingestPerson(database, ingestor, "P-FLAGGED", removalCaseRows({ number: 2, asOf: AS_OF }));
  for (const personId of ["P-PLAIN", "P-FLAGGED"]) {
    await setCaseAssignment(database.db, { personId, office: "NYC", assignees: [], updatedBy: "test" });
  }
  await rank(["P-PLAIN", "P-FLAGGED"]);
});

afterAll(() => bed?.close());

describe("the ranking history for a reader without the need", () => {
  it("shows no row, and no new evaluation time, for a re-ranking caused by a record the reader may not see", async () => {
    const before = await worklist.history(as(OFFICER), "P-FLAGGED");
    expect(before.total).toBe(1);
    // The asylum application (denied: the case stays ranked), arriving the next day, changes the
    // stored explanation only in what the reader may not see, and the day it was evaluated.
    await ingestDeniedAsylum("P-FLAGGED", 2);
    await rank(["P-FLAGGED"], dayFrom(AS_OF, 1));
    const whole = await worklist.history(as(CLEARED), "P-FLAGGED");
    expect(whole.total).toBe(2);

    const flagged = await worklist.history(as(OFFICER), "P-FLAGGED");
    const plain = await worklist.history(as(OFFICER), "P-PLAIN");
    // Answered as for the person without a flagged record: one row, counted and paged over the shown rows.
    expect(flagged.total).toBe(plain.total);
    expect(flagged.total).toBe(1);
    expect(flagged.entries.map((entry) => entry.sequence)).toEqual(
      before.entries.map((entry) => entry.sequence),
    );
    expect(flagged.entries[0]!.explanation).toEqual(before.entries[0]!.explanation);
    expect((await worklist.history(as(OFFICER), "P-FLAGGED", { page: 2, pageSize: 1 })).entries).toEqual([]);

    // The evaluation time and day move on every re-evaluation: withheld from such a reader on every case.
    for (const personId of ["P-FLAGGED", "P-PLAIN"]) {
      const explained = await worklist.explain(as(OFFICER), personId);
      expect(explained.entry).toMatchObject({ evaluatedAt: null, asOf: null });
      expect(explained.explanation).toMatchObject({ asOf: null, gates: { asOf: null } });
    }
    const page = await worklist.list(as(OFFICER), { pageSize: 100 });
    expect(page.entries.map(({ evaluatedAt, asOf }) => ({ evaluatedAt, asOf }))).toEqual([
      { evaluatedAt: null, asOf: null },
      { evaluatedAt: null, asOf: null },
    ]);
    const cleared = await worklist.explain(as(CLEARED), "P-FLAGGED");
    expect(cleared.entry).toMatchObject({ evaluatedAt: expect.any(String), asOf: dayFrom(AS_OF, 1) });
  });
});
