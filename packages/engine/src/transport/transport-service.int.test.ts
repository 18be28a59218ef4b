import type { Access, Actor } from "@passage/access";
import { executeSql } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { dayFrom, ingestPerson, removalCaseRows, stayRow } from "../worklist/testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "../worklist/testing/test-bed.ts";
import { loadFacilityHubsOrThrow } from "./facility-hubs.ts";
import { PLANNER } from "./testing/planner.ts";
import { createTransportService, type TransportService } from "./transport-service.ts";

const AS_OF = todayUtc();
const day = (days: number) => dayFrom(AS_OF, days);
const OFFICER: Actor = { ...PLANNER, id: "officer", roles: ["removal_officer"] };

let bed: LifecycleBed;
let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;
let transport: TransportService;
let access: Access;
const claims = new Map<string, { claimId: string; openedOn: string }[]>();

const as = (actor: Actor) => access.forRequest({ actor, purpose: "test", requestId: `test-${actor.id}` });
const ready = (number: number) =>
  removalCaseRows({
    number,
    asOf: AS_OF,
    custody: { facility: "STWRTGA", sinceDays: -30 },
    travelDocument: { country: "GTM", issuedDays: -5, validToDays: 60 },
  });

async function derive(personIds: string[]): Promise<void> {
  await database.db
    .transaction()
    .execute((transaction) => lifecycle.derivePersons(transaction, personIds, AS_OF));
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [transport.handler],
  }).catchUp();
}

beforeAll(async () => {
  bed = await createLifecycleBed({
    name: "transport",
    sources: {
      citizenshipClaims: async (_executor, ids) => new Map(ids.map((id) => [id, claims.get(id) ?? []])),
    },
  });
  ({ database, ingestor, lifecycle, access } = bed);
  transport = createTransportService({ store: database });
  // A plan belongs to a known office: one a user account works in.
  await executeSql(
    database.db,
    "INSERT INTO user_account (username, display_name, roles, office, password_hash, disabled_at) VALUES ('nyc.officer', 'NYC', '{removal_officer}', 'NYC', NULL, NULL)",
  );
  for (const number of [1, 2, 3, 4])
    await ingestPerson(database, ingestor, `P-READY-${number}`, ready(number));
  await ingestPerson(database, ingestor, "P-FREE", removalCaseRows({ number: 5, asOf: AS_OF }));
  await ingestPerson(
    database,
    ingestor,
    "P-NOHUB",
    removalCaseRows({
      number: 6,
      asOf: AS_OF,
      custody: { facility: "UNKNOWNFAC", sinceDays: -30 },
      travelDocument: { country: "GTM", issuedDays: -5, validToDays: 60 },
    }),
  );
  await ingestPerson(database, ingestor, "P-STAYED", [...ready(7), stayRow(7, AS_OF, -3)]);
  for (const [flightId, date, seats] of [
    ["F-1", day(3), "2"],
    ["F-2", day(6), "5"],
    ["F-OUT", day(40), "100"],
  ] as const) {
    await ingestor.ingest("flight", {
      flight_id: flightId,
      date,
      origin_hub: "AEX",
      destination_country: "GTM",
      destination_port: "GUA",
      seats,
      cost: "60000",
    });
  }
  await derive(["P-READY-1", "P-READY-2", "P-READY-3", "P-READY-4", "P-FREE", "P-NOHUB", "P-STAYED"]);
});

afterAll(() => bed?.close());

describe("transport plans", () => {
  let planId: string;

  it("maps every facility the synthetic generator emits to a hub (data, not code)", () => {
    const hubs = loadFacilityHubsOrThrow();
    expect(hubs.hubs.get("STWRTGA")).toBe("AEX");
    expect(hubs.version).toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it("plans ready cases onto the horizon's flights and stores the draft with left-out cases", async () => {
    await expect(transport.createPlan(as(OFFICER), { from: day(1), to: day(10) })).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_DENIED",
    });
    await expect(transport.createPlan(as(PLANNER), { from: day(10), to: day(1) })).rejects.toMatchObject({
      code: "PASSAGE_ERR_TRANSPORT_HORIZON_INVALID",
    });
    await expect(
      transport.createPlan(as(PLANNER), { from: "2026-02-30", to: "2026-03-10" }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_TRANSPORT_HORIZON_INVALID" });
    const plan = await transport.createPlan(as(PLANNER), { from: day(1), to: day(10) });
    planId = plan.planId;
    expect(plan).toMatchObject({ status: "draft", office: "HQ", createdBy: "user:planner" });
    const passengers = plan.manifests.flatMap((manifest) =>
      manifest.passengers.map((passenger) => passenger.personId),
    );
    expect(passengers.sort()).toEqual(["P-READY-1", "P-READY-2", "P-READY-3", "P-READY-4"]);
    expect(plan.manifests.every((manifest) => manifest.flightId !== "F-OUT")).toBe(true);
    expect(plan.leftOut).toEqual([
      { personId: "P-FREE", kind: "excluded", reason: "NOT_IN_CUSTODY", gates: [] },
      { personId: "P-NOHUB", kind: "excluded", reason: "FACILITY_WITHOUT_HUB", gates: [] },
    ]);
    expect(JSON.stringify(plan)).not.toContain("P-STAYED");
    expect(plan.solver).toMatchObject({ status: "optimal", readyCases: 4 });
    expect((await transport.listPlans(as(PLANNER))).map((header) => header.planId)).toContain(planId);
  });

  it("strikes at freeze whoever no longer qualifies (a stay granted after planning), recording the check", async () => {
    const plan = await transport.showPlan(as(PLANNER), planId);
    const [first, second] = plan.manifests
      .flatMap((manifest) => manifest.passengers)
      .map((passenger) => passenger.personId);
    const number = (personId: string) => Number(personId!.split("-").at(-1));
    await ingestPerson(database, ingestor, first!, [stayRow(number(first!), AS_OF, 0)]);
    await derive([first!]);
    // The strike handler leaves draft plans alone: freezing is where drafts are re-checked.
    expect(
      (await transport.showPlan(as(PLANNER), planId)).manifests
        .flatMap((m) => m.passengers)
        .every((p) => p.strike === null),
    ).toBe(true);
    const frozen = await transport.freeze(as(PLANNER), planId);
    expect(frozen.struck).toEqual([
      expect.objectContaining({ personId: first, reason: "STAY_GRANTED", gates: ["STAY_GRANTED"] }),
    ]);
    expect(frozen.plan).toMatchObject({
      status: "frozen",
      frozenBy: "user:planner",
      checkedAt: frozen.checkedAt,
    });
    const entry = frozen.plan.manifests.flatMap((m) => m.passengers).find((p) => p.personId === first)!;
    expect(entry.strike).toMatchObject({
      reason: "STAY_GRANTED",
      source: "freeze",
      struckAt: frozen.checkedAt,
    });
    await expect(transport.freeze(as(PLANNER), planId)).rejects.toMatchObject({
      code: "PASSAGE_ERR_TRANSPORT_PLAN_FROZEN",
    });

    // After the freeze, a citizenship claim (redress) strikes the person from the frozen manifest.
    claims.set(second!, [{ claimId: "CLAIM-1", openedOn: AS_OF }]);
    await database.db
      .transaction()
      .execute((transaction) => lifecycle.derivePersons(transaction, [second!], AS_OF));
    await createConsumerRunner({
      db: database.db,
      pool: database.pool,
      handlers: [transport.handler],
    }).catchUp();
    const after = await transport.showPlan(as(PLANNER), planId);
    const struck = after.manifests.flatMap((m) => m.passengers).find((p) => p.personId === second)!;
    expect(struck.strike).toMatchObject({ reason: "USC_CLAIM", source: "status_change" });
    const untouched = after.manifests
      .flatMap((m) => m.passengers)
      .filter((p) => p.personId !== first && p.personId !== second);
    expect(untouched.every((p) => p.strike === null)).toBe(true);
  });

  it("lists only the plans whose office the actor may read, as each plan is shown", async () => {
    const nyc = await transport.createPlan(as(PLANNER), { from: day(1), to: day(10), office: "NYC" });
    const nycOfficer = as({ ...OFFICER, office: "NYC" });
    // The HQ plan of the tests above is refused to a NYC officer shown alone, so it is not listed either.
    await expect(transport.showPlan(nycOfficer, planId)).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_DENIED",
    });
    expect((await transport.listPlans(nycOfficer)).map((plan) => plan.planId)).toEqual([nyc.planId]);
    // Another office's plans asked for by name are refused, as that office's worklist is.
    await expect(transport.listPlans(nycOfficer, "HQ")).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_DENIED",
    });
    expect((await transport.listPlans(as(OFFICER))).map((plan) => plan.planId)).toEqual([planId]);
    // The planner reads every office's plans, newest first, or one office's.
    expect((await transport.listPlans(as(PLANNER))).map((plan) => plan.planId)).toEqual([nyc.planId, planId]);
    expect((await transport.listPlans(as(PLANNER), "NYC")).map((plan) => plan.planId)).toEqual([nyc.planId]);
    // A role without plan.read lists nothing, and the refusal is recorded.
    const investigator = as({ ...OFFICER, id: "investigator", roles: ["investigator"] });
    expect(await transport.listPlans(investigator)).toEqual([]);
    const audited = await executeSql<{ content: string }>(
      database.db,
      "SELECT content FROM audit_entry WHERE resource_type = 'TransportPlan' AND content::jsonb->>'actor' = 'user:investigator'",
    );
    expect(audited.map((row) => JSON.parse(row.content))).toMatchObject([
      { action: "plan.read", decision: "deny", details: { list: true } },
    ]);
  });
});
