import { type AuditedAccess, CONFIDENTIALITY_FLAGS, type ListFilter } from "@passage/access";
import { type filterPersonIds, findFlaggedRecords } from "@passage/store";
import { sql } from "kysely";
import { personsPassing } from "../linkage/linkage-access.ts";
import { withoutConfidentialMatters } from "./confidential-redaction.ts";
import type { StatusAnswer } from "./lifecycle-service.ts";
import { statusDocumentOf } from "./status-document.ts";

const NO_RECORDS: ReadonlySet<string> = new Set();

/** How one reader may see documents (statuses, explanations) of some persons. */
export interface ConfidentialReader {
  /**
   * Whether the reader sees the person's documents whole: holds `person.field.confidential` on the
   * person as it is, and would still hold it were the person to hold every confidential matter
   * (asylum and 1367). Never depends on the person's own flags, so that who is shown whole and
   * who is not tells nothing of them.
   */
  hasNeed(personId: string): boolean;
  /** The person's flagged records the reader may not see cited (none where the reader may see the person's matters). */
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
 * The filter as it would decide were every person to hold every confidential matter: whether the
 * reader has the need itself, not whether this person happens to have nothing to protect.
 */
function asIfEveryMatterHeld(filter: ListFilter): ListFilter {
  const everyMatter = sql<string[]>`${[...CONFIDENTIALITY_FLAGS]}::text[]`;
  return { ...filter, toSql: (columns) => filter.toSql({ ...columns, confidentiality: everyMatter }) };
}

/**
 * Who may see the asylum (8 CFR 208.6) and 1367 matters of these persons' cases. The policies'
 * `person.field.confidential` filter decides it in SQL (as a list is), twice: on each person as it
 * is (the reader may see its matters, so none of its records is withheld), and on each person as
 * if it held every confidential matter (the reader has the need, so it sees the person's documents
 * whole). The second makes the whole document not depend on the person's flags: a reader allowed
 * the field on a person only because the person has nothing confidential (a removal officer on an
 * office case) would otherwise be shown that person's raw facts, and a flagged person's withheld,
 * which named the flagged person by the shape of its document alone. The flagged records of the
 * persons the reader may not see are read in one more statement. Three statements at most, none
 * for a reader the filter lets see every case. The one place the status read (HTTP and `passage
 * status --as`) and the worklist decide the need.
 */
export async function confidentialReaderFor(
  access: AuditedAccess,
  db: Parameters<typeof filterPersonIds>[0],
  personIds: readonly string[],
): Promise<ConfidentialReader> {
  const filter = access.listFilter("person.field.confidential");
  if (filter.allowsAll || personIds.length === 0) return WHOLE;
  const mayKnow = await personsPassing(db, filter, personIds);
  const needed = await personsPassing(db, asIfEveryMatterHeld(filter), personIds.filter(mayKnow));
  const hasNeed = (personId: string) => mayKnow(personId) && needed(personId);
  const flagged = await findFlaggedRecords(
    db,
    personIds.filter((personId) => !mayKnow(personId)),
  );
  const flaggedOf = (personId: string) =>
    mayKnow(personId) ? NO_RECORDS : (flagged.get(personId) ?? NO_RECORDS);
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
