import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Access, createAccess, LOCAL_OPERATOR } from "@passage/access";
import { BLOCKERS, type BlockerCode } from "@passage/core";
import { executeSql } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { generatePopulation, TEST_AS_OF } from "@passage/synth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import { createLifecycleService } from "../lifecycle/lifecycle-service.ts";
import { CONFIRMED_IDENTITY } from "../lifecycle/policy-inputs.ts";
import { createTransportService } from "../transport/transport-service.ts";
import { dayFrom } from "./testing/removal-cases.ts";
import { createWorklistService } from "./worklist-service.ts";

const PERSONS = process.env.PASSAGE_SOAK === "1" ? 5_000 : 600;
let database: TestDatabase;
let access: Access;
let directory: string;
const { persons, flights } = generatePopulation({ persons: PERSONS, seed: 5, flights: 810 });

beforeAll(async () => {
  database = await createTestDatabase();
  directory = mkdtempSync(path.join(tmpdir(), "passage-synth-worklist-"));
  access = createAccess({ database, dataDir: directory });
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "synth", maxDelayMs: 2 });
  const byFeed = new Map<string, Record<string, string>[]>();
  for (const person of persons)
    for (const { feed, row } of person.rows) byFeed.set(feed, [...(byFeed.get(feed) ?? []), row]);
  byFeed.set("flight", [...flights]);
  for (const [feed, rows] of byFeed) for await (const _ of ingestor.ingestRows(feed, rows));
  await ingestor.close();
  // Linkage is stood in for by the truth: each person's own records, exactly.
  const members = persons.flatMap((person) =>
    person.truth.records.map((reference) => {
      const colon = reference.indexOf(":");
      return [reference.slice(0, colon), reference.slice(colon + 1), person.personId] as const;
    }),
  );
  await executeSql(database.db, "INSERT INTO person (person_id) SELECT unnest($1::text[])", [
    persons.map((person) => person.personId),
  ]);
  await executeSql(
    database.db,
    "INSERT INTO person_member (feed, key_value, person_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING",
    [
      members.map((member) => member[0]),
      members.map((member) => member[1]),
      members.map((member) => member[2]),
    ],
  );
  const lifecycle = createLifecycleService({
    store: database,
    sources: {
      identityFacts: async (_executor, ids) => new Map(ids.map((id) => [id, CONFIRMED_IDENTITY])),
      citizenshipClaims: async () => new Map(),
    },
  });
  await database.db.transaction().execute((transaction) =>
    lifecycle.derivePersons(
      transaction,
      persons.map((person) => person.personId),
      TEST_AS_OF,
    ),
  );
}, 600_000);

afterAll(async () => {
  await access.close();
  await database.drop();
  rmSync(directory, { recursive: true, force: true });
});

// 810 flights over the inventory's 270 days: three a day, so the horizon has flights to plan.

/** Blockers binding by law (DOMAIN.md §1.9) and gates the truth says hold, except identity (linked by truth here). */
function truthBars(person: (typeof persons)[number]): string[] {
  return [
    ...person.truth.blockers.filter((code) => BLOCKERS[code as BlockerCode]?.binding !== "policy"),
    ...person.truth.gates.filter((gate) => gate !== "IDENTITY_NOT_CONFIRMED"),
  ];
}

describe("on the synthetic population", () => {
  it("puts no person whose true state carries a legal blocker or a gate on the worklist or a manifest", async () => {
    const operator = access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "synth" });
    const worklist = createWorklistService({ store: database });
    await worklist.rebuild();
    const listed = (await worklist.list(operator, { pageSize: 1000 })).entries.map((entry) => entry.personId);
    // The population is dated TEST_AS_OF: the planner's today is that day, not the clock's.
    const transport = createTransportService({ store: database, today: () => TEST_AS_OF });
    const plan = await transport.createPlan(operator, {
      from: dayFrom(TEST_AS_OF, 1),
      to: dayFrom(TEST_AS_OF, 30),
    });
    const manifested = plan.manifests.flatMap((manifest) =>
      manifest.passengers.map((passenger) => passenger.personId),
    );
    const truth = new Map(persons.map((person) => [person.personId, person]));
    const barred = [...new Set([...listed, ...manifested])]
      .map((personId) => ({ personId, bars: truthBars(truth.get(personId)!) }))
      .filter((entry) => entry.bars.length > 0);
    expect(barred).toEqual([]);
    // The check is not vacuous: the population has listed cases and barred persons.
    expect(listed.length).toBeGreaterThan(5);
    expect(persons.filter((person) => truthBars(person).length > 0).length).toBeGreaterThan(20);
    // Every case the planner was offered is accounted for (manifested or left out with a reason);
    // on this small population most final-order persons are not in custody, so manifests are few.
    expect(plan.solver).toMatchObject({ casesOffered: expect.any(Number) });
    // Every manifested person is on the worklist (actionable); planning never adds anyone.
    expect(manifested.filter((personId) => !listed.includes(personId))).toEqual([]);
  }, 600_000);
});
