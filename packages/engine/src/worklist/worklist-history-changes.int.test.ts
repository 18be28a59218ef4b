import { type Access, type Actor, LOCAL_OPERATOR } from "@passage/access";
import { executeSql, setCaseAssignment } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { dayFrom, ingestPerson, removalCaseRows, stayRow } from "./testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "./testing/test-bed.ts";
import { createWorklistService, type WorklistService } from "./worklist-service.ts";

// The ranking history through the real path (records -> lifecycle -> worklist): an override, a
// stay, a verified departure, and ids that name no person.
const AS_OF = todayUtc();
const OFFICER: Actor = {
  kind: "user",
  id: "officer",
  roles: ["removal_officer"],
  office: "NYC",
  confidentialityNeeds: [],
  country: "",
};

let bed: LifecycleBed;
let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;
let worklist: WorklistService;
let access: Access;

const operator = () => access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "changes" });
const officer = () => access.forRequest({ actor: OFFICER, purpose: "test", requestId: "changes-officer" });

/** The lifecycle projection, then (unless `lifecycleOnly`) the worklist projection, caught up. */
async function catchUp(lifecycleOnly = false): Promise<void> {
  const handlers = lifecycleOnly ? [lifecycle.handler] : [lifecycle.handler, worklist.projection.handler];
  for (const handler of handlers) {
    await createConsumerRunner({ db: database.db, pool: database.pool, handlers: [handler] }).catchUp();
  }
}

function departureRow(number: number, days: number, evidence: string): [string, Record<string, string>] {
  return [
    "departure",
    {
      departure_id: `D-${number}`,
      family_name: `Testperson${number}`,
      given_names: "Ana",
      date_of_birth: "1985-05-05",
      a_number: `A${String(200_000_000 + number)}`,
      departure_date: dayFrom(AS_OF, days),
      mode: "air",
      evidence,
      reported_at: new Date().toISOString(),
    },
  ];
}

const holding = (explanation: { gates: { results: readonly { gate: string; holds: boolean }[] } } | null) =>
  (explanation?.gates.results ?? []).filter((result) => result.holds).map((result) => result.gate);

beforeAll(async () => {
  bed = await createLifecycleBed({ name: "worklist-history-changes" });
  ({ database, ingestor, lifecycle, access } = bed);
  worklist = createWorklistService({ store: database });
  for (const [personId, number] of [
    ["P-OVER", 41],
    ["P-STAY", 42],
    ["P-GONE", 43],
  ] as const) {
    await ingestPerson(database, ingestor, personId, removalCaseRows({ number, asOf: AS_OF }));
    await setCaseAssignment(database.db, { personId, office: "NYC", assignees: [], updatedBy: "test" });
  }
  await catchUp();
});

afterAll(() => bed?.close());

describe("the ranking history of a case", () => {
  it("appends a row with the tier in force when a supervisor overrides it, shown to every reader", async () => {
    const before = await worklist.history(operator(), "P-OVER");
    const shownBefore = await worklist.history(officer(), "P-OVER");
    const policyTier = before.entries[0]!.tier!;
    const tier = policyTier === 2 ? 3 : 2;
    await worklist.override(operator(), { personId: "P-OVER", tier, reason: "secret-override-reason" });

    const after = await worklist.history(operator(), "P-OVER");
    expect(after.total).toBe(before.total + 1);
    expect(after.entries[0]).toMatchObject({ change: "ranked", tier: policyTier, effectiveTier: tier });
    // A reader without the need sees the change like any other, and nothing of the override's reason.
    const shown = await worklist.history(officer(), "P-OVER");
    expect(shown.total).toBe(shownBefore.total + 1);
    expect(shown.entries[0]).toMatchObject({ change: "ranked", tier: policyTier, effectiveTier: tier });
    expect(JSON.stringify(shown)).not.toContain("secret-override-reason");

    // A second override (back to another tier) is recorded too: the newest row is the tier in force.
    const third = tier === 3 ? 4 : 3;
    await worklist.override(operator(), { personId: "P-OVER", tier: third, reason: "again" });
    const listed = (await worklist.list(operator(), { pageSize: 100 })).entries.find(
      (entry) => entry.personId === "P-OVER",
    )!;
    expect(listed.effectiveTier).toBe(third);
    expect((await worklist.history(operator(), "P-OVER")).entries[0]!.effectiveTier).toBe(third);
  });

  it("records a stay as a removal by the gate that held, with the gated explanation", async () => {
    await ingestPerson(database, ingestor, "P-STAY", [stayRow(42, AS_OF, -1)]);
    await catchUp();
    const removed = (await worklist.history(operator(), "P-STAY")).entries[0]!;
    expect(removed).toMatchObject({ change: "removed", reason: "gated" });
    expect(holding(removed.explanation)).toContain("STAY_GRANTED");
    expect(removed.replay).toEqual({ identical: true, differences: [] });
    const shown = (await worklist.history(officer(), "P-STAY")).entries[0]!;
    expect(shown).toMatchObject({ change: "removed", reason: "gated" });
    expect(holding(shown.explanation)).toContain("STAY_GRANTED");
  });

  it("records a verified departure found by a rebuild as a removal for no executable order", async () => {
    await ingestPerson(database, ingestor, "P-GONE", [departureRow(43, -5, "carrier_manifest")]);
    // The status changes; the worklist is rebuilt before its handler runs (as `passage rebuild`).
    await catchUp(true);
    await worklist.rebuild();
    const removed = (await worklist.history(operator(), "P-GONE")).entries[0]!;
    expect(removed).toMatchObject({ change: "removed", reason: "gated" });
    expect(holding(removed.explanation)).toContain("NO_EXECUTABLE_ORDER");
    // The handler then finds nothing listed: nothing more is recorded.
    await catchUp();
    expect((await worklist.history(operator(), "P-GONE")).entries[0]!.sequence).toBe(removed.sequence);
  });

  it("answers an id that names no person as not found, and a known person without rows as empty", async () => {
    await expect(worklist.history(operator(), "P-NOSUCHPERSON0")).rejects.toMatchObject({
      code: "PASSAGE_ERR_WORKLIST_PERSON_NOT_FOUND",
      message: "no person P-NOSUCHPERSON0",
    });
    await expect(worklist.history(operator(), "p-over")).rejects.toMatchObject({
      code: "PASSAGE_ERR_WORKLIST_PERSON_NOT_FOUND",
      message: expect.stringMatching(/no person p-over \(person ids are case-sensitive/),
    });
    await executeSql(database.db, "INSERT INTO person (person_id) VALUES ('P-NEVER-LISTED')");
    expect(await worklist.history(operator(), "P-NEVER-LISTED")).toMatchObject({ total: 0, entries: [] });
    // A reader scoped to offices is refused an unknown person, as `explain` refuses it.
    await expect(worklist.history(officer(), "P-NOSUCHPERSON0")).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_DENIED",
    });
  });
});
