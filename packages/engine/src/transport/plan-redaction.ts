import type { AuditedAccess } from "@passage/access";
import { filterPersonIds, type LeftOutRow, type ManifestRow, type StoredTransportPlan } from "@passage/store";

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

/** Whether the reader may name a person: one statement for all of them (the policies' filter in SQL), none for a reader who may read every case. */
export async function nameablePersonsOf(
  access: AuditedAccess,
  db: Parameters<typeof filterPersonIds>[0],
  personIds: readonly string[],
): Promise<(personId: string) => boolean> {
  const filter = access.listFilter("status.read");
  if (filter.allowsAll) return () => true;
  if (filter.deniesAll || personIds.length === 0) return () => false;
  const readable = await filterPersonIds(db, [...new Set(personIds)], (columns) => filter.toSql(columns));
  return (personId) => readable.has(personId);
}

/** The plan with the persons the reader may not read counted instead of named. */
export async function shownPlan(
  access: AuditedAccess,
  db: Parameters<typeof filterPersonIds>[0],
  plan: StoredTransportPlan,
): Promise<ShownTransportPlan> {
  const nameable = await nameablePersonsOf(access, db, [
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
