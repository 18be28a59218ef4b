import { type Access, LOCAL_OPERATOR } from "@passage/access";
import { executeSql, retirePersons, setCaseAssignment } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { dayFrom, ingestPerson, removalCaseRows } from "../worklist/testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "../worklist/testing/test-bed.ts";
import { PLANNER } from "./testing/planner.ts";
import {
  createTransportService,
  type ShownTransportPlan,
  type TransportService,
} from "./transport-service.ts";

// Plans against each other, against the flights as they stand at freeze, and against the calendar.

const AS_OF = todayUtc();
const day = (days: number) => dayFrom(AS_OF, days);

let bed: LifecycleBed;
let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;
let transport: TransportService;
let access: Access;

const planner = () => access.forRequest({ actor: PLANNER, purpose: "test", requestId: "test-planner" });
const readyRows = (number: number, destination = "GTM", facility = "STWRTGA") =>
  removalCaseRows({
    number,
    asOf: AS_OF,
    destination,
    custody: { facility, sinceDays: -30 },
    travelDocument: { country: destination, issuedDays: -5, validToDays: 60 },
  });
const flightRow = (flightId: string, date: string, seats: number, destination = "GTM", hub = "AEX") =>
  ({
    flight_id: flightId,
    date,
    origin_hub: hub,
    destination_country: destination,
    destination_port: "",
    seats: String(seats),
    cost: "5000",
  }) as const;

async function catchUp(): Promise<void> {
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [lifecycle.handler, transport.handler],
  }).catchUp();
}

const passengersOf = (plan: ShownTransportPlan) =>
  plan.manifests.flatMap((manifest) =>
    manifest.passengers.map((passenger) => ({ flightId: manifest.flightId, ...passenger })),
  );
const activeFrozenByFlight = async () =>
  executeSql<{ flight_id: string; active: number }>(
    database.db,
    `SELECT e.flight_id, count(*)::int AS active FROM transport_manifest_entry e
     JOIN transport_plan p USING (plan_id) WHERE p.status = 'frozen' AND e.struck_at IS NULL
     GROUP BY e.flight_id ORDER BY e.flight_id`,
  );

beforeAll(async () => {
  bed = await createLifecycleBed({ name: "transport-checks" });
  ({ database, ingestor, lifecycle, access } = bed);
  transport = createTransportService({ store: database });
  await executeSql(
    database.db,
    "INSERT INTO user_account (username, display_name, roles, office, password_hash, disabled_at) VALUES ('nyc.officer', 'NYC', '{removal_officer}', 'NYC', NULL, NULL)",
  );
  for (const number of [1, 2, 3]) await ingestPerson(database, ingestor, `P-${number}`, readyRows(number));
  for (const row of [
    flightRow("F-A", day(3), 2),
    flightRow("F-B", day(5), 2),
    flightRow("F-PAST", day(-2), 50),
  ]) {
    await ingestor.ingest("flight", row);
  }
  await catchUp();
});

afterAll(() => bed?.close());

describe("a plan's request", () => {
  it("is refused with the real reason, worded for any surface: a year out of range, a horizon already past", async () => {
    const refused = (from: string, to: string) => transport.createPlan(planner(), { from, to });
    const outOfRange = await refused(day(1), "2201-01-01").catch((error: Error) => error);
    expect(outOfRange).toMatchObject({
      code: "PASSAGE_ERR_TRANSPORT_HORIZON_INVALID",
      message: expect.stringMatching(/to "2201-01-01": .*2200/),
    });
    expect((outOfRange as Error).message).not.toContain("--");
    await expect(refused(day(-30), day(-1))).rejects.toMatchObject({
      code: "PASSAGE_ERR_TRANSPORT_HORIZON_INVALID",
      message: expect.stringContaining(`ends before today (${AS_OF})`),
    });
  });

  it("names a known office or none: an office no user account works in is refused", async () => {
    for (const office of ["NOPE", ""]) {
      await expect(
        transport.createPlan(planner(), { from: day(1), to: day(10), office }),
      ).rejects.toMatchObject({ code: "PASSAGE_ERR_TRANSPORT_OFFICE_UNKNOWN" });
    }
  });
});

describe("plans against each other and against the calendar", () => {
  let first: ShownTransportPlan;
  let second: ShownTransportPlan;

  it("plans no flight already flown: a horizon begun in the past plans from today", async () => {
    first = await transport.createPlan(planner(), { from: day(-5), to: day(10), office: "NYC" });
    second = await transport.createPlan(planner(), { from: day(1), to: day(10) });
    expect(first.horizon).toEqual({ from: AS_OF, to: day(10) });
    expect(first.manifests.map((manifest) => manifest.flightId)).not.toContain("F-PAST");
    expect(
      passengersOf(first)
        .map((passenger) => passenger.personId)
        .sort(),
    ).toEqual(["P-1", "P-2", "P-3"]);
    expect(passengersOf(second)).toHaveLength(3);
  });

  it("offers no person nor seat a frozen manifest holds, and says how many it left out", async () => {
    await transport.freeze(planner(), first.planId);
    const third = await transport.createPlan(planner(), { from: day(1), to: day(10) });
    expect(third.manifests).toEqual([]);
    expect(third.leftOut).toEqual(
      ["P-1", "P-2", "P-3"].map((personId) => ({
        personId,
        kind: "excluded",
        reason: "ALREADY_MANIFESTED",
        gates: [],
      })),
    );
    expect(third.solver).toMatchObject({ alreadyManifested: 3, seatsHeldByFrozenPlans: 3 });

    // A fourth person is offered only the seat left (F-A's 2 are taken: F-B has 1).
    await ingestPerson(database, ingestor, "P-4", readyRows(4));
    await catchUp();
    const fourth = await transport.createPlan(planner(), { from: day(1), to: day(10) });
    expect(fourth.manifests.map((manifest) => [manifest.flightId, manifest.capacity])).toEqual([["F-B", 1]]);
    expect(passengersOf(fourth).map((passenger) => passenger.personId)).toEqual(["P-4"]);
  });

  it("strikes at freeze a draft's passengers another plan froze first: no seat is sold twice", async () => {
    const frozen = await transport.freeze(planner(), second.planId);
    expect(frozen.struck.map((strike) => [strike.personId, strike.reason]).sort()).toEqual([
      ["P-1", "ALREADY_MANIFESTED"],
      ["P-2", "ALREADY_MANIFESTED"],
      ["P-3", "ALREADY_MANIFESTED"],
    ]);
    expect(await activeFrozenByFlight()).toEqual([
      { flight_id: "F-A", active: 2 },
      { flight_id: "F-B", active: 1 },
    ]);
  });

  it("strikes a person a merge retired, at once and again after a rebuild", async () => {
    // A steward's must_link: P-2's records join P-3; P-2 has none left, and linkage retires it.
    await executeSql(database.db, "UPDATE person_member SET person_id = 'P-3' WHERE person_id = 'P-2'");
    await retirePersons(database.db, [
      { personId: "P-2", successorPersonId: "P-3", reason: "its records joined another person" },
    ]);
    await database.db
      .transaction()
      .execute((transaction) => lifecycle.derivePersons(transaction, ["P-2", "P-3"], AS_OF));
    await catchUp();
    const shown = await transport.showPlan(planner(), first.planId);
    // The strike names the person the case continues as, so the planner can follow it.
    expect(passengersOf(shown).find((passenger) => passenger.personId === "P-2")!.strike).toMatchObject({
      reason: "PERSON_RETIRED",
      source: "status_change",
      detail: "P-2 was merged into P-3 (its records joined another person): follow the case there",
    });

    // A rebuild re-derives statuses without events: P-1's status gone so is re-checked all the same.
    await executeSql(database.db, "UPDATE person_member SET person_id = 'P-3' WHERE person_id = 'P-1'");
    await executeSql(database.db, "DELETE FROM person_status WHERE person_id = 'P-1'");
    expect(await transport.recheckFrozenManifests()).toBe(1);
    expect(await transport.recheckFrozenManifests()).toBe(0);
    const rebuilt = await transport.showPlan(planner(), first.planId);
    expect(passengersOf(rebuilt).find((passenger) => passenger.personId === "P-1")!.strike).toMatchObject({
      reason: "PERSON_RETIRED",
      detail: "P-1 has no status and no retirement is recorded for it",
    });
    await retirePersons(database.db, [{ personId: "P-1", successorPersonId: null, reason: "emptied" }]);
    const emptied = await transport.showPlan(planner(), first.planId);
    expect(passengersOf(emptied).find((passenger) => passenger.personId === "P-1")!.strike).toMatchObject({
      detail: "P-1 was retired without a successor (emptied): no person holds its records now",
    });
  });
});

describe("freezing against the flights as they stand", () => {
  it("strikes the passengers of a flight corrected to 0 seats, and those a smaller aircraft leaves out", async () => {
    for (const number of [11, 12])
      await ingestPerson(database, ingestor, `P-${number}`, readyRows(number, "HND"));
    for (const number of [13, 14])
      await ingestPerson(database, ingestor, `P-${number}`, readyRows(number, "SLV"));
    await ingestor.ingest("flight", flightRow("F-H", day(4), 5, "HND"));
    await ingestor.ingest("flight", flightRow("F-S", day(4), 2, "SLV"));
    await catchUp();
    const plan = await transport.createPlan(planner(), { from: day(1), to: day(10) });
    const onNewFlights = passengersOf(plan).filter((passenger) =>
      ["F-H", "F-S"].includes(passenger.flightId),
    );
    expect(onNewFlights.map((passenger) => passenger.personId).sort()).toEqual([
      "P-11",
      "P-12",
      "P-13",
      "P-14",
    ]);
    await ingestor.ingest("flight", flightRow("F-H", day(4), 0, "HND"));
    await ingestor.ingest("flight", flightRow("F-S", day(4), 1, "SLV"));
    const frozen = await transport.freeze(planner(), plan.planId);
    expect(frozen.struck.map((strike) => [strike.personId, strike.reason]).sort()).toEqual([
      ["P-11", "FLIGHT_CANCELLED"],
      ["P-12", "FLIGHT_CANCELLED"],
      ["P-14", "NO_SEAT_AVAILABLE"],
    ]);
    expect(frozen.plan.manifests.find((manifest) => manifest.flightId === "F-S")).toMatchObject({
      seats: 1,
      capacity: 1,
    });
  });

  it("matches a flight whose hub came lower-case, and dates a case ready from its transfer to the hub", async () => {
    // Booked in 30 days ago at a facility of another hub, transferred to an IWA facility 2 days ago.
    await ingestPerson(database, ingestor, "P-21", [
      ...readyRows(21, "MEX", "STCDFTX"),
      [
        "custody",
        {
          family_name: "Testperson21",
          given_names: "Ana",
          date_of_birth: "1985-05-05",
          a_number: "A200000021",
          booking_id: "B-21-transfer",
          facility_code: "ADLNTCA",
          event: "transfer",
          reason: "transferred",
          event_date: day(-2),
        },
      ],
    ]);
    await ingestor.ingest("flight", flightRow("F-M", day(4), 5, "MEX", "iwa"));
    await catchUp();
    const plan = await transport.createPlan(planner(), { from: day(1), to: day(10) });
    expect(passengersOf(plan).filter((passenger) => passenger.personId === "P-21")).toEqual([
      expect.objectContaining({ flightId: "F-M", readyDate: day(-2), detentionDays: 6 }),
    ]);
    expect(plan.manifests.find((manifest) => manifest.flightId === "F-M")?.originHub).toBe("IWA");
  });

  it("strikes a passenger moved to a facility with no hub as FACILITY_WITHOUT_HUB, not NO_FRESH_RECORD", async () => {
    await ingestPerson(database, ingestor, "P-31", readyRows(31, "NIC"));
    await ingestor.ingest("flight", flightRow("F-N", day(4), 5, "NIC"));
    await catchUp();
    const plan = await transport.createPlan(planner(), { from: day(1), to: day(10) });
    expect(passengersOf(plan).map((passenger) => passenger.personId)).toContain("P-31");
    await ingestPerson(database, ingestor, "P-31", [
      [
        "custody",
        {
          family_name: "Testperson31",
          given_names: "Ana",
          date_of_birth: "1985-05-05",
          a_number: "A200000031",
          booking_id: "B-31-transfer",
          facility_code: "UNKNOWNFAC",
          event: "transfer",
          reason: "transferred",
          event_date: day(0),
        },
      ],
    ]);
    await catchUp();
    const frozen = await transport.freeze(planner(), plan.planId);
    expect(frozen.struck.filter((strike) => strike.personId === "P-31")).toEqual([
      expect.objectContaining({ reason: "FACILITY_WITHOUT_HUB" }),
    ]);
  });
});

describe("the office of a plan made without one", () => {
  const operator = () =>
    access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "test-operator" });
  const officeless = () =>
    access.forRequest({ actor: { ...PLANNER, office: "" }, purpose: "test", requestId: "test-officeless" });

  it('is the offices its cases are assigned to, never "", for the command line\'s operator and a user alike', async () => {
    const unassigned = await transport.createPlan(operator(), { from: day(1), to: day(10) });
    expect(unassigned.office).toBe("none");
    for (const [personId, office] of [
      ["P-3", "MIA"],
      ["P-11", "NYC"],
      ["P-12", "NYC"],
    ] as const) {
      await setCaseAssignment(database.db, { personId, office, assignees: [], updatedBy: "test" });
    }
    for (const access of [operator(), officeless()]) {
      const plan = await transport.createPlan(access, { from: day(1), to: day(10) });
      expect(plan.office).toBe("MIA, NYC");
      expect((await transport.showPlan(planner(), plan.planId)).office).toBe("MIA, NYC");
    }
    // Named, the office is the plan's, as before; the actor's own when it has one.
    expect(
      (await transport.createPlan(operator(), { from: day(1), to: day(10), office: "NYC" })).office,
    ).toBe("NYC");
    expect((await transport.createPlan(planner(), { from: day(1), to: day(10) })).office).toBe("HQ");
  });
});

describe("a frozen manifest's flight once flown", () => {
  it("holds its passengers through the flight's day; after it, one still removable is offered again", async () => {
    for (const number of [7, 8])
      await ingestPerson(database, ingestor, `P-${number}`, readyRows(number, "HND"));
    await ingestor.ingest("flight", flightRow("F-HND-1", day(2), 5, "HND"));
    await ingestor.ingest("flight", flightRow("F-HND-2", day(9), 5, "HND"));
    await catchUp();
    const ours = (plan: ShownTransportPlan) =>
      passengersOf(plan)
        .filter((passenger) => ["P-7", "P-8"].includes(passenger.personId))
        .map((passenger) => [passenger.personId, passenger.flightId]);
    const leftOutOf = (plan: ShownTransportPlan) =>
      plan.leftOut
        .filter((row) => ["P-7", "P-8"].includes(row.personId))
        .map((row) => [row.personId, row.reason]);

    const flown = await transport.createPlan(planner(), { from: day(1), to: day(2) });
    expect(ours(flown)).toEqual([
      ["P-7", "F-HND-1"],
      ["P-8", "F-HND-1"],
    ]);
    await transport.freeze(planner(), flown.planId);

    // On the flight's day the passengers are held; the day after, no removal record has come for
    // them (still final orders in custody, on the worklist), so a new plan may take them.
    const onTheDay = createTransportService({ store: database, today: () => day(2) });
    const heldStill = await onTheDay.createPlan(planner(), { from: day(2), to: day(10) });
    expect(leftOutOf(heldStill)).toEqual([
      ["P-7", "ALREADY_MANIFESTED"],
      ["P-8", "ALREADY_MANIFESTED"],
    ]);
    const dayAfter = createTransportService({ store: database, today: () => day(3) });
    const again = await dayAfter.createPlan(planner(), { from: day(3), to: day(10) });
    expect(leftOutOf(again)).toEqual([]);
    expect(ours(again)).toEqual([
      ["P-7", "F-HND-2"],
      ["P-8", "F-HND-2"],
    ]);
    // Frozen, the new plan keeps them: the flown plan's entries hold nothing any more.
    const frozen = await dayAfter.freeze(planner(), again.planId);
    expect(frozen.struck.filter((strike) => ["P-7", "P-8"].includes(strike.personId))).toEqual([]);
  });
});
