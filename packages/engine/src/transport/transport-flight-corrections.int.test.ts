import type { Access } from "@passage/access";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { dayFrom, ingestPerson, removalCaseRows } from "../worklist/testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "../worklist/testing/test-bed.ts";
import { PLANNER } from "./testing/planner.ts";
import {
  ALREADY_MANIFESTED,
  createTransportService,
  type ShownTransportPlan,
  type TransportService,
} from "./transport-service.ts";

// A flight corrected after a plan froze re-checks that flight's frozen manifests, as a freeze would.

const AS_OF = todayUtc();
const day = (days: number) => dayFrom(AS_OF, days);

let bed: LifecycleBed;
let database: TestDatabase;
let ingestor: RowIngestor;
let lifecycle: LifecycleService;
let transport: TransportService;
let access: Access;

const planner = () => access.forRequest({ actor: PLANNER, purpose: "test", requestId: "test-planner" });
const readyRows = (number: number, destination: string) =>
  removalCaseRows({
    number,
    asOf: AS_OF,
    destination,
    custody: { facility: "STWRTGA", sinceDays: -30 },
    travelDocument: { country: destination, issuedDays: -5, validToDays: 60 },
  });
const flightRow = (flightId: string, date: string, seats: number, destination: string, cost = 15000) => ({
  flight_id: flightId,
  date,
  origin_hub: "AEX",
  destination_country: destination,
  destination_port: "",
  seats: String(seats),
  cost: String(cost),
});

async function catchUp(): Promise<void> {
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [lifecycle.handler, transport.handler],
  }).catchUp();
}

async function addPersons(numbers: readonly number[], destination: string): Promise<void> {
  for (const number of numbers)
    await ingestPerson(database, ingestor, `P-${number}`, readyRows(number, destination));
}

/** A plan of the horizon's flights, frozen. */
async function frozenPlan(): Promise<ShownTransportPlan> {
  const plan = await transport.createPlan(planner(), { from: day(1), to: day(10) });
  return (await transport.freeze(planner(), plan.planId)).plan;
}

/** The flight's manifest on a plan as shown now: seats, capacity, who is active, who was struck and why. */
async function manifestOf(planId: string, flightId: string) {
  const plan = await transport.showPlan(planner(), planId);
  const manifest = plan.manifests.find((candidate) => candidate.flightId === flightId)!;
  return {
    seats: manifest.seats,
    capacity: manifest.capacity,
    active: manifest.passengers
      .filter((passenger) => passenger.strike === null)
      .map((passenger) => passenger.personId),
    struck: manifest.passengers
      .filter((passenger) => passenger.strike !== null)
      .map((passenger) => [passenger.personId, passenger.strike!.reason, passenger.strike!.source]),
  };
}

beforeAll(async () => {
  bed = await createLifecycleBed({ name: "transport-flight-corrections" });
  ({ database, ingestor, lifecycle, access } = bed);
  transport = createTransportService({ store: database });
  await addPersons([1, 2, 3], "GTM");
  await addPersons([4, 5], "HND");
  await ingestor.ingest("flight", flightRow("ZZ-003", day(3), 10, "GTM"));
  await ingestor.ingest("flight", flightRow("ZZ-004", day(4), 10, "HND"));
  await catchUp();
});

afterAll(() => bed?.close());

describe("a flight corrected after its manifests froze", () => {
  let plan: ShownTransportPlan;
  let first: ShownTransportPlan;

  it("keeps every passenger when the correction leaves their seats (a new cost)", async () => {
    plan = await frozenPlan();
    await ingestor.ingest("flight", flightRow("ZZ-003", day(3), 10, "GTM", 16000));
    await catchUp();
    expect(await manifestOf(plan.planId, "ZZ-003")).toEqual({
      seats: 10,
      capacity: 10,
      active: ["P-1", "P-2", "P-3"],
      struck: [],
    });
  });

  it("strikes the passengers beyond the seats left, the latest ready then the highest person id first", async () => {
    await ingestor.ingest("flight", flightRow("ZZ-003", day(3), 2, "GTM"));
    await catchUp();
    expect(await manifestOf(plan.planId, "ZZ-003")).toEqual({
      seats: 2,
      capacity: 2,
      active: ["P-1", "P-2"],
      struck: [["P-3", "NO_SEAT_AVAILABLE", "status_change"]],
    });
  });

  it("strikes every passenger of a cancelled flight (0 seats), and a new plan offers them again", async () => {
    await ingestor.ingest("flight", flightRow("ZZ-004", day(4), 0, "HND"));
    await catchUp();
    expect(await manifestOf(plan.planId, "ZZ-004")).toEqual({
      seats: 0,
      capacity: 0,
      active: [],
      struck: [
        ["P-4", "FLIGHT_CANCELLED", "status_change"],
        ["P-5", "FLIGHT_CANCELLED", "status_change"],
      ],
    });
    await ingestor.ingest("flight", flightRow("ZZ-104", day(6), 5, "HND"));
    await catchUp();
    const next = await transport.createPlan(planner(), { from: day(1), to: day(10) });
    expect(
      next.leftOut.filter((left) => left.reason === ALREADY_MANIFESTED).map((left) => left.personId),
    ).toEqual(["P-1", "P-2"]);
    const placed = next.manifests.flatMap((manifest) =>
      manifest.passengers.map((passenger) => [manifest.flightId, passenger.personId]),
    );
    expect(placed.sort()).toEqual([
      ["ZZ-104", "P-4"],
      ["ZZ-104", "P-5"],
    ]);
    // ZZ-003's 2 seats are the frozen plan's: P-3 is planned again, but finds no seat.
    expect(next.leftOut.find((left) => left.personId === "P-3")).toMatchObject({ kind: "unplaced" });
  });

  it("leaves the seats to the plan frozen first when two frozen plans share the flight", async () => {
    await addPersons([6, 7], "SLV");
    await ingestor.ingest("flight", flightRow("ZZ-005", day(5), 2, "SLV"));
    await catchUp();
    first = await frozenPlan();
    await addPersons([8, 9], "SLV");
    await ingestor.ingest("flight", flightRow("ZZ-005", day(5), 4, "SLV"));
    await catchUp();
    const second = await frozenPlan();
    expect((await manifestOf(second.planId, "ZZ-005")).active).toEqual(["P-8", "P-9"]);

    await ingestor.ingest("flight", flightRow("ZZ-005", day(5), 3, "SLV"));
    await catchUp();
    expect((await manifestOf(first.planId, "ZZ-005")).active).toEqual(["P-6", "P-7"]);
    expect(await manifestOf(second.planId, "ZZ-005")).toEqual({
      seats: 3,
      capacity: 1,
      active: ["P-8"],
      struck: [["P-9", "NO_SEAT_AVAILABLE", "status_change"]],
    });
  });

  it("is re-checked after a rebuild too, for a correction no handler saw", async () => {
    // A correction stored while the handler did not run (its offset moved past it).
    await ingestor.ingest("flight", flightRow("ZZ-005", day(5), 0, "SLV"));
    await createConsumerRunner({
      db: database.db,
      pool: database.pool,
      handlers: [{ ...transport.handler, apply: async () => {}, applyBatch: async () => {} }],
    }).catchUp();
    expect((await manifestOf(first.planId, "ZZ-005")).active).toEqual(["P-6", "P-7"]);
    expect(await transport.recheckFrozenManifests()).toBe(3);
    expect((await manifestOf(first.planId, "ZZ-005")).struck.map((strike) => strike[1])).toEqual([
      "FLIGHT_CANCELLED",
      "FLIGHT_CANCELLED",
    ]);
  });
});
