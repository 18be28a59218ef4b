import { AccessErrors, type AuditedAccess } from "@passage/access";
import type {
  filterPersonIds,
  LeftOutRow,
  ManifestEntryRow,
  ManifestRow,
  StoredTransportPlan,
} from "@passage/store";
import { personsPassing } from "../linkage/linkage-access.ts";
import { PERSON_RETIRED, retiredPersonDetails } from "./retired-person-detail.ts";

/** A strike as shown: its detail says what the reason code alone does not (null when nothing). */
export interface ShownStrike extends NonNullable<ManifestEntryRow["strike"]> {
  /** For PERSON_RETIRED: the person the records were merged into, or that there is none. */
  readonly detail: string | null;
}

/** A passenger as shown, with the strike's detail. */
export interface ShownPassenger extends Omit<ManifestEntryRow, "strike"> {
  readonly strike: ShownStrike | null;
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
  /** Left-out cases of persons whose status the reader may not read: counted, not named. */
  readonly leftOutWithheld: number;
}

/** The plan with the persons the reader may not read counted instead of named. */
export async function shownPlan(
  access: AuditedAccess,
  db: Parameters<typeof filterPersonIds>[0],
  plan: StoredTransportPlan,
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
        .filter((passenger) => passenger.strike?.reason === PERSON_RETIRED && nameable(passenger.personId))
        .map((passenger) => passenger.personId),
    ),
  );
  const shownPassenger = (passenger: ManifestEntryRow): ShownPassenger => ({
    ...passenger,
    strike:
      passenger.strike === null
        ? null
        : { ...passenger.strike, detail: retired.get(passenger.personId) ?? null },
  });
  return {
    ...plan,
    manifests: plan.manifests.map((manifest) => {
      const passengers = manifest.passengers.filter((passenger) => nameable(passenger.personId));
      return {
        ...manifest,
        passengers: passengers.map(shownPassenger),
        passengersWithheld: manifest.passengers.length - passengers.length,
      };
    }),
    leftOut,
    leftOutWithheld: plan.leftOut.length - leftOut.length,
  };
}
