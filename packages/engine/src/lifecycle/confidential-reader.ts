import type { AuditedAccess } from "@passage/access";
import { type filterPersonIds, findFlaggedRecords } from "@passage/store";
import { personsPassing } from "../linkage/linkage-access.ts";
import { withoutConfidentialMatters } from "./confidential-redaction.ts";
import type { StatusAnswer } from "./lifecycle-service.ts";
import { statusDocumentOf } from "./status-document.ts";

const NO_RECORDS: ReadonlySet<string> = new Set();

/** How one reader may see documents (statuses, explanations) of some persons. */
export interface ConfidentialReader {
  /** Whether the reader holds `person.field.confidential` on the person (sees its matters whole). */
  hasNeed(personId: string): boolean;
  /** The person's flagged records the reader may not see cited (none where the reader has the need). */
  flaggedOf(personId: string): ReadonlySet<string>;
  /** A document of the person as the reader may see it: whole, or `withoutConfidentialMatters`. */
  shown<T extends object>(personId: string, document: T): T;
}

const WHOLE: ConfidentialReader = {
  hasNeed: () => true,
  flaggedOf: () => NO_RECORDS,
  shown: (_personId, document) => document,
};

/**
 * Who may see the asylum (8 CFR 208.6) and 1367 matters of these persons' cases: the need is
 * `person.field.confidential` on the person, decided for all of them in SQL by the policies'
 * filter (as a list is), and for the persons without it their flagged records are read in one
 * statement. Two statements at most, none for a reader the filter lets see every case. The one
 * place the status read (HTTP and `passage status --as`) and the worklist decide the need.
 */
export async function confidentialReaderFor(
  access: AuditedAccess,
  db: Parameters<typeof filterPersonIds>[0],
  personIds: readonly string[],
): Promise<ConfidentialReader> {
  const filter = access.listFilter("person.field.confidential");
  if (filter.allowsAll || personIds.length === 0) return WHOLE;
  const hasNeed = await personsPassing(db, filter, personIds);
  const flagged = await findFlaggedRecords(
    db,
    personIds.filter((personId) => !hasNeed(personId)),
  );
  const flaggedOf = (personId: string) =>
    hasNeed(personId) ? NO_RECORDS : (flagged.get(personId) ?? NO_RECORDS);
  return {
    hasNeed,
    flaggedOf,
    shown: (personId, document) =>
      hasNeed(personId) ? document : withoutConfidentialMatters(document, flaggedOf(personId)),
  };
}

/** The status document (`passage status --json`) as this reader may see it. */
export type ShownStatusDocument = ReturnType<typeof statusDocumentOf>;

/**
 * A status answer as the reader may see it: the status document whole for a reader with the need,
 * else without the case's confidential matters (`withoutConfidentialMatters`). The status read of
 * the HTTP API and of `passage status --as USER` alike.
 */
export async function shownStatusDocument(
  access: AuditedAccess,
  db: Parameters<typeof filterPersonIds>[0],
  answer: StatusAnswer,
): Promise<ShownStatusDocument> {
  const document = statusDocumentOf(answer);
  const reader = await confidentialReaderFor(access, db, [answer.personId]);
  return reader.shown(answer.personId, document);
}
