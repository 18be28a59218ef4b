import type { AuditedAccess } from "@passage/access";
import type { CaseExplanation } from "@passage/policy";
import { filterPersonIds, findFlaggedRecords } from "@passage/store";
import { withoutConfidentialMatters } from "../lifecycle/confidential-redaction.ts";

/** An explanation as one reader may see it: whole, or without the person's confidential matters. */
export type ExplanationRedaction = (personId: string, explanation: CaseExplanation) => CaseExplanation;

const NO_RECORDS: ReadonlySet<string> = new Set();
const WHOLE: ExplanationRedaction = (_personId, explanation) => explanation;

/**
 * How the actor may see the worklist explanations of these persons. An explanation cites the
 * records a case rests on and carries its raw facts, so a reader without the need to know a
 * case's asylum or 1367 matters (`person.field.confidential` on the person, as the status read
 * decides it) gets it as the status read gives the status: `withoutConfidentialMatters`. Decided
 * for the whole page in SQL by the policies' filter, with the flagged records of the persons
 * without the need: two statements at most, none for a reader the filter lets see every case.
 */
export async function explanationRedactionFor(
  access: AuditedAccess,
  db: Parameters<typeof filterPersonIds>[0],
  personIds: readonly string[],
): Promise<ExplanationRedaction> {
  const filter = access.listFilter("person.field.confidential");
  if (filter.allowsAll || personIds.length === 0) return WHOLE;
  const withNeed = filter.deniesAll
    ? new Set<string>()
    : await filterPersonIds(db, personIds, (columns) => filter.toSql(columns));
  const flagged = await findFlaggedRecords(
    db,
    personIds.filter((personId) => !withNeed.has(personId)),
  );
  return (personId, explanation) =>
    withNeed.has(personId)
      ? explanation
      : withoutConfidentialMatters(explanation, flagged.get(personId) ?? NO_RECORDS);
}
