import { AccessErrors, type AuditedAccess, actorLabel } from "@passage/access";
import { FEED_SCHEMAS, isPassageError, parseRecordReferenceOrThrow } from "@passage/core";
import {
  type CaseAttributeRow,
  type filterPersonIds,
  findCaseAttributes,
  findPersonOfRecord,
  findRecordConfidentiality,
  findRecordVersions,
} from "@passage/store";
import { type CaseResource, caseResource } from "../linkage/linkage-access.ts";
import { type ShownStatusDocument, shownStatusDocument } from "./confidential-reader.ts";
import { LifecycleProjectionErrors } from "./lifecycle-errors.ts";
import { type LifecycleService, type StatusQuery, validAsOf, validKnownAt } from "./lifecycle-service.ts";

/** What a status read needs: the database it reads case attributes from, and the lifecycle. */
export interface StatusReadSources {
  readonly db: Parameters<typeof filterPersonIds>[0];
  readonly lifecycle: Pick<LifecycleService, "statusOfPerson" | "statusOfRecord">;
}

/**
 * A person's status as a reader may see it, the one status read of the HTTP API and of
 * `passage status` (also with `--as USER`): `status.read` decided on the person's case (office,
 * assignees, confidentiality flags of its records) and audited, then the document whole or
 * without the case's confidential matters. A person who does not exist has no case, so an
 * office-scoped reader is refused before learning so; others get `options.notFound` (default:
 * the lifecycle's own error). `options.record` names the record the read started from, for the
 * audit entry.
 */
export async function readPersonStatus(
  access: AuditedAccess,
  sources: StatusReadSources,
  personId: string,
  query: StatusQuery,
  options: { readonly notFound?: (personId: string) => Error; readonly record?: string } = {},
): Promise<ShownStatusDocument> {
  checkQueryOrThrow(query);
  const attributes = (await findCaseAttributes(sources.db, [personId])).get(personId);
  return statusOfCase(access, sources, personId, attributes, query, options);
}

/**
 * Refuses a malformed as-of date or known-at instant before anything is looked up: the same
 * invalid input was reported as a missing, unlinked or not-yet-known record, by whatever the
 * lookup met first (exit 3 or 4 instead of 2).
 */
function checkQueryOrThrow(query: StatusQuery): void {
  validAsOf(query.asOf);
  validKnownAt(query.knownAt);
}

/** `readPersonStatus` once the person's case attributes are read. */
function statusOfCase(
  access: AuditedAccess,
  sources: StatusReadSources,
  personId: string,
  attributes: CaseAttributeRow | undefined,
  query: StatusQuery,
  options: { readonly notFound?: (personId: string) => Error; readonly record?: string },
): Promise<ShownStatusDocument> {
  return access.run(
    "status.read",
    caseResource("Status", personId, attributes),
    async () => {
      if (!attributes && options.notFound) throw options.notFound(personId);
      return shownStatusDocument(access, sources.db, await sources.lifecycle.statusOfPerson(personId, query));
    },
    {
      ...(options.record ? { record: options.record } : {}),
      asOf: query.asOf ?? null,
      knownAt: query.knownAt ?? null,
    },
  );
}

/**
 * The status of the person a record (`FEED:KEY`) belongs to, as `readPersonStatus` shows it. A
 * flagged record (an asylum or 1367 matter) ties its key to its person, so the person is looked
 * up by it only for a reader who may read that record itself (`record.read` with its flags, linked
 * or not yet): any other reader (without the need, of another office, or without `record.read`
 * at all, as the transport planner) is answered exactly as for a record that does not exist
 * (`refuseAsMissing`), where the same person's status by id would be shown redacted. A record
 * that belongs to no person is recorded as a refused or failed read of the record, with the
 * lifecycle's reason (not found, not linked yet, not about a person).
 *
 * Every refusal is answered alike, whatever caused it (no such record, a confidential record, a
 * person of another office): `may not status.read Status FEED:KEY`, naming the record asked about
 * and never its person, or, for a reader whose `status.read` reaches every office (who is told
 * that a record does not exist), PASSAGE_ERR_STATUS_RECORD_NOT_FOUND for the missing and the
 * confidential record alike. The audit entries record each refusal as it was decided.
 */
export async function readRecordStatus(
  access: AuditedAccess,
  sources: StatusReadSources,
  reference: string,
  query: StatusQuery,
): Promise<ShownStatusDocument> {
  const { feed, keyValue } = parseRecordReferenceOrThrow(reference);
  checkQueryOrThrow(query);
  const asked = `${feed}:${keyValue}`;
  try {
    return await statusOfRecord(access, sources, asked, query);
  } catch (error) {
    if (isPassageError(error) && error.code === AccessErrors.denied.code) {
      throw AccessErrors.denied.create(actorLabel(access.scope.actor), "status.read", `Status ${asked}`);
    }
    throw error;
  }
}

/** `readRecordStatus` before its refusals are made alike. */
async function statusOfRecord(
  access: AuditedAccess,
  sources: StatusReadSources,
  reference: string,
  query: StatusQuery,
): Promise<ShownStatusDocument> {
  const { feed, keyValue } = parseRecordReferenceOrThrow(reference);
  const aboutPerson = FEED_SCHEMAS[feed].aboutPerson;
  const personId = aboutPerson ? await findPersonOfRecord(sources.db, feed, keyValue) : undefined;
  const attributes =
    personId === undefined ? undefined : (await findCaseAttributes(sources.db, [personId])).get(personId);
  // A flagged record, linked or not yet, is looked up only by a reader who may read it.
  const flags = aboutPerson ? await findRecordConfidentiality(sources.db, feed, keyValue) : [];
  const record = caseResource("Record", reference, attributes, flags);
  if (flags.length > 0 && !access.can("record.read", record)) {
    return refuseAsMissing(access, record, query);
  }
  // A key that names no record of a person's feed is looked up as a flagged record is refused,
  // one audited `record.read` of that record: recorded as a status read instead, it told an
  // auditor without the need which refused keys are confidential records (8 U.S.C. 1367).
  if (aboutPerson && personId === undefined && flags.length === 0) {
    if ((await findRecordVersions(sources.db, feed, keyValue)).length === 0) {
      return refuseAsMissing(access, record, query);
    }
  }
  if (personId !== undefined) {
    const read = () => statusOfCase(access, sources, personId, attributes, query, { record: reference });
    if (flags.length === 0) return read();
    return access.run("record.read", record, read, { lookup: "status by record" });
  }
  const linkedMeanwhile = await access.run(
    "status.read",
    missingRecordStatus(reference),
    async () => (await sources.lifecycle.statusOfRecord(reference, query)).personId,
    { record: reference, asOf: query.asOf ?? null, knownAt: query.knownAt ?? null },
  );
  // Linked between the two reads: decided again on that person's case, never shown on this one.
  return readPersonStatus(access, sources, linkedMeanwhile, query, { record: reference });
}

/** The resource a status read by a record that belongs to no person is decided on: no case. */
function missingRecordStatus(reference: string) {
  return caseResource("Status", reference, undefined);
}

/**
 * Refuses a flagged record's status to a reader who may not read the record, whatever the reason
 * (no `record.read` at all, as the transport planner; not on this matter; not on this office), and
 * a key that names no record to every reader, alike: one `record.read` of the record (lookup
 * "status by record"), recorded as decided (for a missing record a reader may read, as failed
 * with PASSAGE_ERR_STATUS_RECORD_NOT_FOUND), and the answer a record that does not exist gets from
 * this reader (`PASSAGE_ERR_STATUS_RECORD_NOT_FOUND` where `status.read` reaches a case-less
 * status, every office; else the access refusal), so it never tells that the record exists.
 */
async function refuseAsMissing(
  access: AuditedAccess,
  record: CaseResource,
  query: StatusQuery,
): Promise<never> {
  const notFound = () => LifecycleProjectionErrors.recordNotFound.create(record.id);
  const refusal: unknown = await access
    .run(
      "record.read",
      record,
      () => {
        throw notFound();
      },
      {
        lookup: "status by record",
        asOf: query.asOf ?? null,
        knownAt: query.knownAt ?? null,
      },
    )
    .then(
      () => new Error(`record.read of ${record.id} was refused a moment ago`),
      (error: unknown) => error,
    );
  // A refusal of the request itself (no purpose stated, an unusable context) is said as it is:
  // a missing record is refused for it alike.
  if (!isPassageError(refusal) || refusal.code !== AccessErrors.denied.code) throw refusal;
  throw access.can("status.read", missingRecordStatus(record.id)) ? notFound() : refusal;
}
