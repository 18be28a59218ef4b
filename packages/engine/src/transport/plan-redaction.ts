import { AccessErrors, type AuditedAccess } from "@passage/access";
import type { filterPersonIds, LeftOutRow, ManifestRow, StoredTransportPlan } from "@passage/store";
import { personsPassing } from "../linkage/linkage-access.ts";

/** A manifest as one reader sees it. */
export interface ShownManifest extends ManifestRow {
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
  return {
    ...plan,
    manifests: plan.manifests.map((manifest) => {
      const passengers = manifest.passengers.filter((passenger) => nameable(passenger.personId));
      return { ...manifest, passengers, passengersWithheld: manifest.passengers.length - passengers.length };
    }),
    leftOut,
    leftOutWithheld: plan.leftOut.length - leftOut.length,
  };
}
