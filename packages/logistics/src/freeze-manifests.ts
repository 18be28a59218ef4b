import { flightCapacity } from "./build-transport-model.ts";
import { assessReadiness, type ExclusionReason } from "./case-readiness.ts";
import type { Manifest, ManifestPassenger } from "./plan-transport.ts";
import type { Flight, IsoDate, PlanOptions, TransportCase } from "./transport-input.ts";

/**
 * Why a person is struck from a manifest at freeze (ARTS keeps StrikeFromList/ReasonStruck;
 * DOMAIN.md §5). Gate codes map to the reason an operator reads; a gate without a mapping is
 * reported under its own code.
 */
const STRIKE_REASON_BY_GATE: Readonly<Record<string, string>> = {
  USC: "USC_CLAIM",
  STAY_GRANTED: "STAY_GRANTED",
  APPEAL_PENDING: "APPEAL_PENDING",
  APPEAL_WINDOW_OPEN: "APPEAL_WINDOW_OPEN",
  MTR_IN_ABSENTIA_PENDING: "MOTION_TO_REOPEN_PENDING",
  TPS: "TPS",
  ASYLEE: "ASYLUM_GRANTED",
  LPR: "LPR",
  WITHHOLDING_OR_CAT: "WITHHOLDING_OR_CAT",
  WITHHOLDING_COUNTRY_DESTINATION: "WITHHOLDING_OR_CAT",
  ORDER_NOT_FINAL: "ORDER_NOT_FINAL",
  NO_EXECUTABLE_ORDER: "ORDER_NOT_FINAL",
  VD_PERIOD_RUNNING: "VD_PERIOD_RUNNING",
  DEPARTED: "DEPARTED",
  IDENTITY_NOT_CONFIRMED: "IDENTITY_NOT_CONFIRMED",
};

/**
 * Gates that say no more than "nothing to execute": NO_EXECUTABLE_ORDER holds for every state
 * without a final order, and comes before the gates that say why. A strike names it only when no
 * other gate holds. A claimed departure alone (a self-report no record corroborates) is no gate
 * and no strike: a person in custody has not departed, so the order is executed.
 */
const GENERIC_GATES: ReadonlySet<string> = new Set(["NO_EXECUTABLE_ORDER"]);

/** The holding gate a strike is named after (its reason's): the first specific one, else the first. */
export function strikeGateOf(gates: readonly string[]): string {
  return gates.find((gate) => !GENERIC_GATES.has(gate)) ?? gates[0] ?? "GATE";
}

const STRIKE_REASON_BY_EXCLUSION: Readonly<Record<Exclude<ExclusionReason, "GATED">, string>> = {
  NO_FINAL_ORDER: "ORDER_NOT_FINAL",
  NOT_IN_CUSTODY: "RELEASED_FROM_CUSTODY",
  NO_DESTINATION: "NO_DESTINATION",
  DESTINATION_BARRED: "WITHHOLDING_OR_CAT",
  NO_TRAVEL_DOCUMENT: "DOCUMENT_MISSING",
  DOCUMENT_FOR_OTHER_COUNTRY: "DOCUMENT_FOR_OTHER_COUNTRY",
  DOCUMENT_EXPIRED: "DOCUMENT_EXPIRED",
  NOT_READY_IN_HORIZON: "NOT_READY_BY_FLIGHT",
};

export interface Strike {
  readonly personId: string;
  readonly flightId: string;
  /** The operator's reason code (e.g. STAY_GRANTED, USC_CLAIM, DOCUMENT_EXPIRED). */
  readonly reason: string;
  /** Every gate that holds, when the strike is a gate's. */
  readonly gates: readonly string[];
}

export interface FrozenManifests {
  /** When the re-check ran; stays granted after this need the boarding re-check (8 CFR 241.6). */
  readonly checkedAt: string;
  readonly manifests: readonly Manifest[];
  readonly strikes: readonly Strike[];
}

/** What the freeze knows beyond fresh cases: the flights as they stand now, and other frozen manifests. */
export interface FreezeContext {
  /**
   * Why a person has no fresh case, when known (PERSON_RETIRED, FACILITY_WITHOUT_HUB); a person
   * with neither a case nor a reason is struck as NO_FRESH_RECORD.
   */
  readonly unavailable?: ReadonlyMap<string, string>;
  /** Persons already on another frozen manifest (unstruck): a person flies once. */
  readonly manifestedElsewhere?: ReadonlySet<string>;
  /**
   * The flights as they stand now, by id (`seatsHeld`: seats other frozen plans hold), with the
   * plan's options (acceptance caps) and today's date. Absent: the flights are not re-checked
   * (a status change after the freeze strikes persons, not flights; a flight correction after it
   * re-checks that flight's frozen manifests with this context).
   */
  readonly flights?: {
    readonly current: ReadonlyMap<string, Flight>;
    readonly options: PlanOptions;
    readonly today: IsoDate;
  };
}

/**
 * Re-checks every manifested person against fresh facts (new gate results, custody, document)
 * at manifest freeze, and strikes anyone who no longer qualifies for that flight. A person with
 * no fresh record is struck too: the check fails closed. With `context.flights`, each manifest's
 * flight is re-checked as it stands now: a flight gone, cancelled (0 seats), moved, re-routed or
 * already flown strikes its passengers; fewer seats than passengers (a correction, or seats other
 * frozen plans hold) strikes the last in fill order (latest ready, then person id).
 */
export function freezeManifests(
  manifests: readonly Manifest[],
  freshCases: readonly TransportCase[],
  checkedAt: string,
  context: FreezeContext = {},
): FrozenManifests {
  const fresh = new Map(freshCases.map((transportCase) => [transportCase.personId, transportCase]));
  const strikes: Strike[] = [];
  const kept = manifests.map((manifest): Manifest => {
    const strike = (passenger: ManifestPassenger, reason: string, gates: readonly string[] = []) => {
      strikes.push({ personId: passenger.personId, flightId: manifest.flightId, reason, gates });
    };
    let passengers = manifest.passengers.filter((passenger) => {
      const personStrike =
        context.manifestedElsewhere?.has(passenger.personId) === true
          ? { reason: "ALREADY_MANIFESTED", gates: [] }
          : strikeFor(fresh.get(passenger.personId), manifest, context.unavailable?.get(passenger.personId));
      if (personStrike === null) return true;
      strike(passenger, personStrike.reason, personStrike.gates);
      return false;
    });
    if (context.flights === undefined) return { ...manifest, passengers };
    const flight = context.flights.current.get(manifest.flightId);
    const flightStrike = flightStrikeFor(flight, manifest, context.flights.today);
    if (flightStrike !== null) {
      for (const passenger of passengers) strike(passenger, flightStrike);
      // No seat of this manifest's flight is left to it: recorded so, not as the seats it was planned with.
      return { ...manifest, seats: flight?.seats ?? 0, capacity: 0, passengers: [] };
    }
    const capacity = flightCapacity(flight!, context.flights.options);
    if (passengers.length > capacity) {
      passengers = [...passengers].sort(
        (a, b) =>
          (a.readyDate < b.readyDate ? -1 : a.readyDate > b.readyDate ? 1 : 0) ||
          (a.personId < b.personId ? -1 : 1),
      );
      for (const passenger of passengers.slice(capacity)) strike(passenger, "NO_SEAT_AVAILABLE");
      passengers = passengers.slice(0, capacity);
    }
    return { ...manifest, seats: flight!.seats, capacity, passengers };
  });
  return { checkedAt, manifests: kept, strikes };
}

/** Why a manifest's flight, as it stands now, can take none of its passengers; null if it can still fly them. */
function flightStrikeFor(flight: Flight | undefined, manifest: Manifest, today: IsoDate): string | null {
  if (flight === undefined || flight.seats === 0) return "FLIGHT_CANCELLED";
  if (flight.date !== manifest.date) return "FLIGHT_RESCHEDULED";
  if (flight.originHub !== manifest.originHub || flight.destinationCountry !== manifest.destinationCountry)
    return "FLIGHT_ROUTE_CHANGED";
  if (flight.date < today) return "FLIGHT_DATE_PASSED";
  return null;
}

function strikeFor(
  transportCase: TransportCase | undefined,
  manifest: Manifest,
  unavailable: string | undefined,
): { reason: string; gates: readonly string[] } | null {
  if (transportCase === undefined) return { reason: unavailable ?? "NO_FRESH_RECORD", gates: [] };
  const readiness = assessReadiness(transportCase, manifest.date);
  if (!readiness.ready) {
    if (readiness.reason === "GATED") {
      const gate = strikeGateOf(readiness.gates);
      return { reason: STRIKE_REASON_BY_GATE[gate] ?? gate, gates: readiness.gates };
    }
    return { reason: STRIKE_REASON_BY_EXCLUSION[readiness.reason], gates: [] };
  }
  if (transportCase.destinationCountry !== manifest.destinationCountry)
    return { reason: "DESTINATION_CHANGED", gates: [] };
  if (transportCase.hub !== manifest.originHub) return { reason: "MOVED_FROM_HUB", gates: [] };
  if (transportCase.readyDate > manifest.date) return { reason: "NOT_READY_BY_FLIGHT", gates: [] };
  return null;
}
