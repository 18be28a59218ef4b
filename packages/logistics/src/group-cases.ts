import type { Flight, TransportCase } from "./transport-input.ts";

/** Flights from one hub to one country, sorted by date then id: a lane. */
export interface Lane {
  readonly key: string;
  readonly flights: readonly Flight[];
}

/**
 * Cases of one lane that can take exactly the same flights: the lane's flights `first..last`
 * (by position). Every case of a group is interchangeable for the optimisation — its cost
 * differs from another's only by a constant (its own ready date) — so the MIP assigns counts
 * per group and flight, which keeps the model small whatever the number of cases.
 */
export interface CaseGroup {
  readonly lane: Lane;
  readonly first: number;
  readonly last: number;
  /** Sorted by ready date, then document expiry, then person id: the order manifests are filled in. */
  readonly cases: TransportCase[];
}

const laneKey = (hub: string, country: string) => `${hub}\u0000${country}`;

/** Groups the lanes' flights. */
export function buildLanes(flights: readonly Flight[]): Map<string, Lane> {
  const byKey = new Map<string, Flight[]>();
  for (const flight of flights) {
    const key = laneKey(flight.originHub, flight.destinationCountry);
    const list = byKey.get(key) ?? [];
    list.push(flight);
    byKey.set(key, list);
  }
  const lanes = new Map<string, Lane>();
  for (const [key, list] of byKey) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.flightId < b.flightId ? -1 : 1));
    lanes.set(key, { key, flights: list });
  }
  return lanes;
}

/** The positions of the lane's flights a case may take: on or after its ready date, while its document is valid. */
export function eligibleRange(lane: Lane, transportCase: TransportCase): { first: number; last: number } {
  const validTo = transportCase.travelDocument?.validTo ?? null;
  let first = 0;
  while (first < lane.flights.length && lane.flights[first]!.date < transportCase.readyDate) first++;
  let last = first - 1;
  while (last + 1 < lane.flights.length && (validTo === null || lane.flights[last + 1]!.date <= validTo))
    last++;
  return { first, last };
}

/**
 * Groups ready cases by lane and eligible range. Cases with no eligible flight come back in
 * `noFlight`.
 */
export function groupCases(
  lanes: ReadonlyMap<string, Lane>,
  readyCases: readonly TransportCase[],
): { groups: CaseGroup[]; noFlight: TransportCase[] } {
  const groups = new Map<string, CaseGroup>();
  const noFlight: TransportCase[] = [];
  for (const transportCase of readyCases) {
    const lane = lanes.get(laneKey(transportCase.hub, transportCase.destinationCountry!));
    if (lane === undefined) {
      noFlight.push(transportCase);
      continue;
    }
    const { first, last } = eligibleRange(lane, transportCase);
    if (last < first) {
      noFlight.push(transportCase);
      continue;
    }
    const key = `${lane.key}\u0000${first}\u0000${last}`;
    const group = groups.get(key) ?? { lane, first, last, cases: [] };
    group.cases.push(transportCase);
    groups.set(key, group);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, group]) => group);
  for (const group of sorted) group.cases.sort(compareCases);
  return { groups: sorted, noFlight };
}

function compareCases(a: TransportCase, b: TransportCase): number {
  if (a.readyDate !== b.readyDate) return a.readyDate < b.readyDate ? -1 : 1;
  const expiryA = a.travelDocument?.validTo ?? "9999-12-31";
  const expiryB = b.travelDocument?.validTo ?? "9999-12-31";
  if (expiryA !== expiryB) return expiryA < expiryB ? -1 : 1;
  return a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0;
}
