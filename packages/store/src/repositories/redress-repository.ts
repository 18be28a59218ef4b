import type { CitizenshipClaim } from "@passage/core";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/** The citizenship claims (open and closed) of these persons; persons with none are absent. */
export async function findCitizenshipClaimsOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, CitizenshipClaim[]>> {
  const grouped = new Map<string, CitizenshipClaim[]>();
  if (personIds.length === 0) return grouped;
  const rows = await executeSql<{
    claim_id: string;
    person_id: string;
    opened_on: string;
    closed_on: string | null;
  }>(
    executor,
    `SELECT claim_id, person_id, opened_on, closed_on FROM citizenship_claim
     WHERE person_id = ANY($1::text[]) ORDER BY person_id, opened_on, claim_id`,
    [personIds],
  );
  for (const row of rows) {
    const claim: CitizenshipClaim = {
      claimId: row.claim_id,
      openedOn: row.opened_on,
      closedOn: row.closed_on,
    };
    const claims = grouped.get(row.person_id);
    if (claims) claims.push(claim);
    else grouped.set(row.person_id, [claim]);
  }
  return grouped;
}
