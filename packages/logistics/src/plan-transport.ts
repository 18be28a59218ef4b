import { buildTransportModel, dayNumber, flightCapacity } from "./build-transport-model.ts";
import { assessReadiness, type ExclusionReason } from "./case-readiness.ts";
import { buildLanes, groupCases } from "./group-cases.ts";
import type { MipSolver, SolverReport } from "./highs-solver.ts";
import { LogisticsErrors } from "./logistics-errors.ts";
import {
  DEFAULT_PLAN_OPTIONS,
  type Flight,
  type IsoDate,
  type PlanOptions,
  type TransportCase,
  type TransportInput,
} from "./transport-input.ts";
import { validateTransportInputOrThrow } from "./validate-transport-input.ts";

/** One person on a manifest. */
export interface ManifestPassenger {
  readonly personId: string;
  readonly readyDate: IsoDate;
  /** Days detained from the ready date to the flight. */
  readonly detentionDays: number;
}

/** One flight the plan uses, and who is on it. */
export interface Manifest {
  readonly flightId: string;
  readonly date: IsoDate;
  readonly originHub: string;
  readonly destinationCountry: string;
  readonly destinationPort: string | null;
  readonly seats: number;
  /** Seats usable for this destination (acceptance cap applied). */
  readonly capacity: number;
  readonly cost: number;
  readonly passengers: readonly ManifestPassenger[];
}

export const UNPLACED_REASONS = ["NO_ELIGIBLE_FLIGHT", "NO_SEAT_AVAILABLE", "NOT_COST_EFFECTIVE"] as const;
export type UnplacedReason = (typeof UNPLACED_REASONS)[number];

/** A case left out of the plan, and why. */
export interface LeftOutCase<Reason extends string> {
  readonly personId: string;
  readonly reason: Reason;
  /** For GATED: the gates that hold. */
  readonly gates: readonly string[];
}

export interface TransportPlan {
  readonly horizon: { readonly from: IsoDate; readonly to: IsoDate };
  readonly options: PlanOptions;
  /** Flights used, by date then flight id. */
  readonly manifests: readonly Manifest[];
  /** Ready cases the plan could not or did not place. */
  readonly unplaced: readonly LeftOutCase<UnplacedReason>[];
  /** Cases that are not ready (gated, no document, ...): never offered to the solver. */
  readonly excluded: readonly LeftOutCase<ExclusionReason>[];
  readonly cost: {
    readonly flights: number;
    readonly detention: number;
    readonly carryOver: number;
    readonly total: number;
  };
  readonly solver: SolverReport & { readonly groups: number; readonly readyCases: number };
}

/**
 * Plans removal transport: which ready case flies on which flight, minimising flight costs plus
 * detention days (and the cost of leaving a case for the next horizon), within seats, acceptance
 * caps, destinations and document validity. Gated cases never reach the solver.
 */
export async function planTransport(input: TransportInput, solver: MipSolver): Promise<TransportPlan> {
  const options: PlanOptions = { ...DEFAULT_PLAN_OPTIONS, ...input.options };
  validateTransportInputOrThrow(input, options);
  const { from, to } = input.horizon;
  const flights = input.flights.filter((flight) => flight.date >= from && flight.date <= to);
  const excluded: LeftOutCase<ExclusionReason>[] = [];
  const ready: TransportCase[] = [];
  for (const transportCase of input.cases) {
    const readiness = assessReadiness(transportCase, from);
    if (!readiness.ready)
      excluded.push({ personId: transportCase.personId, reason: readiness.reason, gates: readiness.gates });
    // Ready only after the horizon: no flight of it can take the case, and the cost of carrying it
    // over (detention to the horizon's end) would be negative. The next horizon plans it.
    else if (transportCase.readyDate > to)
      excluded.push({ personId: transportCase.personId, reason: "NOT_READY_IN_HORIZON", gates: [] });
    else ready.push(transportCase);
  }
  const lanes = buildLanes(flights);
  const { groups, noFlight } = groupCases(lanes, ready);
  const model = buildTransportModel(groups, noFlight, to, options);
  const { report, values } = await solver.solve(model.program, {
    relativeGap: options.mipRelativeGap,
    timeLimitSeconds: options.timeLimitSeconds,
  });
  if (values === null) throw LogisticsErrors.solverFailed.create(report.status);
  const passengers = new Map<string, ManifestPassenger[]>();
  const unplaced: LeftOutCase<UnplacedReason>[] = noFlight.map((transportCase) => ({
    personId: transportCase.personId,
    reason: "NO_ELIGIBLE_FLIGHT" as const,
    gates: [],
  }));
  const leftInGroups: { group: (typeof groups)[number]; cases: TransportCase[] }[] = [];
  for (const { group, assignments } of model.groupColumns) {
    // Fill deterministically: earliest-ready cases on the earliest flights the solver chose.
    let next = 0;
    for (const { flightId, column } of assignments) {
      const count = Math.round(values[column]!);
      const list = passengers.get(flightId) ?? [];
      for (let seat = 0; seat < count && next < group.cases.length; seat++, next++) {
        const transportCase = group.cases[next]!;
        const flight = model.flightColumns.get(flightId)!.flight;
        list.push({
          personId: transportCase.personId,
          readyDate: transportCase.readyDate,
          detentionDays: dayNumber(flight.date) - dayNumber(transportCase.readyDate),
        });
      }
      passengers.set(flightId, list);
    }
    leftInGroups.push({ group, cases: group.cases.slice(next) });
  }
  const manifests = [...model.flightColumns.values()]
    .filter(({ flight }) => (passengers.get(flight.flightId)?.length ?? 0) > 0)
    .map(({ flight, capacity }) => manifestOf(flight, capacity, passengers.get(flight.flightId)!))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.flightId < b.flightId ? -1 : 1));
  const load = new Map(manifests.map((manifest) => [manifest.flightId, manifest.passengers.length]));
  for (const { group, cases } of leftInGroups) {
    let spare = false;
    for (let position = group.first; position <= group.last; position++) {
      const flight = group.lane.flights[position]!;
      if (flightCapacity(flight, options) > (load.get(flight.flightId) ?? 0)) spare = true;
    }
    for (const transportCase of cases) {
      unplaced.push({
        personId: transportCase.personId,
        reason: spare ? "NOT_COST_EFFECTIVE" : "NO_SEAT_AVAILABLE",
        gates: [],
      });
    }
  }
  unplaced.sort((a, b) => (a.personId < b.personId ? -1 : 1));
  const byPerson = new Map(ready.map((transportCase) => [transportCase.personId, transportCase]));
  verifyPlanOrThrow(
    manifests,
    new Map(flights.map((flight) => [flight.flightId, flight])),
    byPerson,
    options,
  );
  const cost = planCost(manifests, unplaced, byPerson, to, options);
  return {
    horizon: { from, to },
    options,
    manifests,
    unplaced,
    excluded,
    cost,
    solver: { ...report, groups: groups.length, readyCases: ready.length },
  };
}

function manifestOf(flight: Flight, capacity: number, passengers: ManifestPassenger[]): Manifest {
  return {
    flightId: flight.flightId,
    date: flight.date,
    originHub: flight.originHub,
    destinationCountry: flight.destinationCountry,
    destinationPort: flight.destinationPort,
    seats: flight.seats,
    capacity,
    cost: flight.cost,
    passengers,
  };
}

/** The plan's cost, computed case by case from the manifests (independently of the solver's objective). */
export function planCost(
  manifests: readonly Manifest[],
  unplaced: readonly LeftOutCase<string>[],
  byPerson: ReadonlyMap<string, TransportCase>,
  horizonEnd: IsoDate,
  options: PlanOptions,
): TransportPlan["cost"] {
  let flights = 0;
  let detention = 0;
  let carryOver = 0;
  for (const manifest of manifests) {
    flights += manifest.cost;
    for (const passenger of manifest.passengers)
      detention += options.detentionDayCost * passenger.detentionDays;
  }
  for (const left of unplaced) {
    const transportCase = byPerson.get(left.personId)!;
    detention += options.detentionDayCost * (dayNumber(horizonEnd) + 1 - dayNumber(transportCase.readyDate));
    carryOver += options.carryOverCost;
  }
  return { flights, detention, carryOver, total: flights + detention + carryOver };
}

/** Defence in depth: every manifest respects seats, caps, destination, dates and documents. */
function verifyPlanOrThrow(
  manifests: readonly Manifest[],
  flightsById: ReadonlyMap<string, Flight>,
  byPerson: ReadonlyMap<string, TransportCase>,
  options: PlanOptions,
): void {
  const seen = new Set<string>();
  for (const manifest of manifests) {
    const fail = (what: string): never => {
      throw LogisticsErrors.planInconsistent.create(`flight ${manifest.flightId}: ${what}`);
    };
    const capacity = Math.max(
      0,
      Math.min(manifest.seats, options.acceptanceCaps[manifest.destinationCountry] ?? manifest.seats) -
        (flightsById.get(manifest.flightId)?.seatsHeld ?? 0),
    );
    if (manifest.passengers.length > capacity)
      fail(`${manifest.passengers.length} passengers for ${capacity} seats`);
    for (const passenger of manifest.passengers) {
      const transportCase = byPerson.get(passenger.personId);
      if (transportCase === undefined) {
        fail(`${passenger.personId} is not a ready case`);
        continue;
      }
      if (seen.has(passenger.personId)) fail(`${passenger.personId} is on two flights`);
      seen.add(passenger.personId);
      if (transportCase.destinationCountry !== manifest.destinationCountry)
        fail(`${passenger.personId} goes elsewhere`);
      if (transportCase.withholdingCountries.includes(manifest.destinationCountry))
        fail(`${passenger.personId} is protected`);
      if (transportCase.hub !== manifest.originHub) fail(`${passenger.personId} is at another hub`);
      if (manifest.date < transportCase.readyDate || passenger.detentionDays < 0)
        fail(`${passenger.personId} is not ready by ${manifest.date}`);
      const validTo = transportCase.travelDocument?.validTo ?? null;
      if (validTo !== null && validTo < manifest.date) fail(`${passenger.personId}'s document expires first`);
    }
  }
}
