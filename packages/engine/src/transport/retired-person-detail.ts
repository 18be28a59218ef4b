import type { ListFilter } from "@passage/access";
import { type Database, findPersonRetirement } from "@passage/store";
import type { Kysely } from "kysely";
import { personsPassing } from "../linkage/linkage-access.ts";

/**
 * A person struck from a frozen manifest because their status row is gone: a merge (a steward's
 * must_link) retired their person id into another, or no records are left.
 */
export const PERSON_RETIRED = "PERSON_RETIRED";

/**
 * For each of these persons struck as PERSON_RETIRED, the strike's detail: the person id their
 * records went to, so a planner can follow the case (named only if `filter`, the reader's
 * `status.read`, admits it), or plainly that the id was retired without a successor, or that no
 * retirement is recorded.
 */
export async function retiredPersonDetails(
  db: Kysely<Database>,
  filter: ListFilter,
  personIds: readonly string[],
): Promise<Map<string, string>> {
  const retirements = new Map(
    await Promise.all(
      [...new Set(personIds)].map(
        async (personId) => [personId, await findPersonRetirement(db, personId)] as const,
      ),
    ),
  );
  const successors = [...retirements.values()].flatMap((retirement) => retirement?.successorPersonId ?? []);
  const nameable = await personsPassing(db, filter, successors);
  const details = new Map<string, string>();
  for (const [personId, retirement] of retirements) {
    if (retirement === undefined) {
      details.set(personId, `${personId} has no status and no retirement is recorded for it`);
    } else if (retirement.successorPersonId === null) {
      details.set(
        personId,
        `${personId} was retired without a successor (${retirement.reason}): no person holds its records now`,
      );
    } else if (nameable(retirement.successorPersonId)) {
      details.set(
        personId,
        `${personId} was merged into ${retirement.successorPersonId} (${retirement.reason}): follow the case there`,
      );
    } else {
      details.set(
        personId,
        `${personId} was merged into a person whose status you may not read (${retirement.reason})`,
      );
    }
  }
  return details;
}
