import { AccessErrors, type AuditedAccess } from "@passage/access";
import type { PersonStatus } from "@passage/core";
import { strikeGateOf } from "@passage/logistics";
import { evaluateGates } from "@passage/policy";
import {
  type filterPersonIds,
  findStoredStatuses,
  type LeftOutRow,
  type ManifestEntryRow,
  type ManifestRow,
  type StoredTransportPlan,
} from "@passage/store";
import { confidentialReaderFor } from "../lifecycle/confidential-reader.ts";
import { gateNamesAsShown, WITHHELD_MATTER } from "../lifecycle/confidential-redaction.ts";
import { personsPassing } from "../linkage/linkage-access.ts";
import { gateInputOfStored } from "../worklist/worklist-candidates.ts";
import { type HeldCost, heldCostOf } from "./held-cost.ts";
import { PERSON_RETIRED, retiredPersonDetails } from "./retired-person-detail.ts";

/** A strike as shown: its detail says what the reason code alone does not (null when nothing). */
export interface ShownStrike extends NonNullable<ManifestEntryRow["strike"]> {
  /**
   * For PERSON_RETIRED: the person the records were merged into, or that there is none. For a
   * strike whose gate is withheld (`withheld-N`, as the person's status shows it): WITHHELD_MATTER's words.
   */
  readonly detail: string | null;
}

/** The strike a freeze would make now, as shown (gate names and detail as a strike's). */
export interface ShownStrikeAtFreeze {
  readonly reason: string;
  readonly gates: readonly string[];
  readonly detail: string | null;
}

/** A passenger as shown, with the strike's detail. */
export interface ShownPassenger extends Omit<ManifestEntryRow, "strike"> {
  readonly strike: ShownStrike | null;
  /**
   * On a draft: the strike a freeze would make now (a stay, a claim, a withholding country recorded
   * since planning; a flight corrected), or null if it would keep them. Always null on a frozen plan,
   * whose strikes are recorded as they happen.
   */
  readonly strikeAtFreeze: ShownStrikeAtFreeze | null;
}

/** A manifest as one reader sees it. */
export interface ShownManifest extends Omit<ManifestRow, "passengers"> {
  readonly passengers: readonly ShownPassenger[];
  /** Passengers whose status the reader may not read: on the flight, counted, not named. */
  readonly passengersWithheld: number;
}

/**
 * A transport plan as one reader sees it. A plan is made for one office but places the ready
 * cases of every office on the horizon's flights (seats are shared), so a reader holding
 * `plan.read` on the plan's office is shown by name only the persons whose status they may read
 * (`status.read`, the worklist's rule); the others are counted.
 */
export interface ShownTransportPlan extends Omit<StoredTransportPlan, "manifests"> {
  readonly manifests: readonly ShownManifest[];
  /** What the seats still held cost (`cost` is the plan's as planned, before any strike). */
  readonly heldCost: HeldCost;
  /** Left-out cases of persons whose status the reader may not read: counted, not named. */
  readonly leftOutWithheld: number;
}

/** A strike a freeze would make now, by person (a draft's re-check, not recorded). */
export type StrikesAtFreeze = ReadonlyMap<
  string,
  { readonly reason: string; readonly gates: readonly string[] }
>;

/**
 * The plan with the persons the reader may not read counted instead of named; a draft's passengers
 * with the strike a freeze would make now (`strikesAtFreeze`, when the caller re-checked them).
 */
export async function shownPlan(
  access: AuditedAccess,
  db: Parameters<typeof filterPersonIds>[0],
  plan: StoredTransportPlan,
  strikesAtFreeze: StrikesAtFreeze = new Map(),
): Promise<ShownTransportPlan> {
  const filter = access.listFilter("status.read");
  // Naming persons reads their status: without a purpose the plan is refused, as a list would be,
  // rather than shown with everyone counted.
  if (filter.deniesAll && access.refusedOnlyForPurpose("status.read")) {
    throw AccessErrors.purposeRequired.create("status.read");
  }
  const nameable = await personsPassing(db, filter, [
    ...plan.manifests.flatMap((manifest) => manifest.passengers.map((passenger) => passenger.personId)),
    ...plan.leftOut.map((left) => left.personId),
  ]);
  const leftOut: LeftOutRow[] = plan.leftOut.filter((left) => nameable(left.personId));
  const retired = await retiredPersonDetails(
    db,
    filter,
    plan.manifests.flatMap((manifest) =>
      manifest.passengers
        .filter(
          (passenger) =>
            (passenger.strike ?? strikesAtFreeze.get(passenger.personId))?.reason === PERSON_RETIRED &&
            nameable(passenger.personId),
        )
        .map((passenger) => passenger.personId),
    ),
  );
  const named = await gateNamesOf(
    access,
    db,
    [
      ...plan.manifests.flatMap((manifest) =>
        manifest.passengers.filter(
          (passenger) =>
            ((passenger.strike ?? strikesAtFreeze.get(passenger.personId))?.gates.length ?? 0) > 0,
        ),
      ),
      ...leftOut.filter((left) => left.gates.length > 0),
    ]
      .map((entry) => entry.personId)
      .filter(nameable),
  );
  const atFreeze = (personId: string): ShownStrikeAtFreeze | null => {
    const strike = strikesAtFreeze.get(personId);
    if (strike === undefined) return null;
    return { ...strike, detail: retired.get(personId) ?? null, ...named.strike(personId, strike) };
  };
  const shownPassenger = (passenger: ManifestEntryRow): ShownPassenger => ({
    ...passenger,
    strikeAtFreeze: passenger.strike === null ? atFreeze(passenger.personId) : null,
    strike:
      passenger.strike === null
        ? null
        : {
            ...passenger.strike,
            detail: retired.get(passenger.personId) ?? null,
            ...named.strike(passenger.personId, passenger.strike),
          },
  });
  return {
    ...plan,
    heldCost: heldCostOf(plan),
    manifests: plan.manifests.map((manifest) => {
      const passengers = manifest.passengers.filter((passenger) => nameable(passenger.personId));
      return {
        ...manifest,
        passengers: passengers.map(shownPassenger),
        passengersWithheld: manifest.passengers.length - passengers.length,
      };
    }),
    leftOut: leftOut.map((left) => ({ ...left, ...named.gates(left.personId, left.gates) })),
    leftOutWithheld: plan.leftOut.length - leftOut.length,
  };
}

/** Gate names and strike reasons of some persons, as the reader is shown them. */
export interface GateNames {
  /** The gates as the person's status shows them to the reader. */
  gates(personId: string, gates: readonly string[]): { gates: readonly string[] };
  /**
   * A strike's gates, and its reason when that is named after a gate the status shows withheld
   * (ASYLUM_GRANTED after ASYLEE, VICTIM_PROTECTION): the gate's `withheld-N` id, with
   * WITHHELD_MATTER's words as the detail.
   */
  strike(
    personId: string,
    strike: { readonly reason: string; readonly gates: readonly string[] },
  ): { reason: string; gates: readonly string[]; detail?: string };
}

/**
 * How strikes and left-out cases name the gates of these persons to the reader: as the person's
 * status does (`gateNamesAsShown`, the status read's own redaction, on the person's stored status
 * with a fresh gate evaluation, as the freeze checks it). A reader with the need, and any person
 * without a flagged record the reader may not see, keep every name; the statuses are read only
 * for the others (one statement).
 */
export async function gateNamesOf(
  access: AuditedAccess,
  db: Parameters<typeof filterPersonIds>[0],
  personIds: readonly string[],
): Promise<GateNames> {
  const unique = [...new Set(personIds)];
  const reader = await confidentialReaderFor(access, db, unique);
  const hidden = unique.filter(
    (personId) => !reader.hasNeed(personId) && reader.flaggedOf(personId).size > 0,
  );
  const statuses = await findStoredStatuses(db, hidden);
  const namers = new Map<string, (gate: string) => string>();
  for (const personId of hidden) {
    const stored = statuses.get(personId);
    const status = stored?.status as PersonStatus | undefined;
    namers.set(
      personId,
      gateNamesAsShown(
        stored === undefined || status === undefined
          ? {}
          : {
              blockers: status.blockers,
              policy_considerations: status.policyConsiderations,
              gates: { results: evaluateGates(gateInputOfStored(stored)).results },
            },
        reader.flaggedOf(personId),
      ),
    );
  }
  const nameOf = (personId: string) => namers.get(personId) ?? ((gate: string) => gate);
  return {
    gates: (personId, gates) => ({ gates: gates.map(nameOf(personId)) }),
    strike: (personId, strike) => {
      const name = nameOf(personId);
      const gates = strike.gates.map(name);
      if (strike.gates.length === 0) return { reason: strike.reason, gates };
      const gate = strikeGateOf(strike.gates);
      const shown = name(gate);
      return shown === gate
        ? { reason: strike.reason, gates }
        : { reason: shown, gates, detail: WITHHELD_MATTER.description };
    },
  };
}
