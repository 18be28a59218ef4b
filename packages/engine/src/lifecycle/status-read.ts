import type { AccessResource, AuditedAccess } from "@passage/access";
import { FEED_SCHEMAS, parseRecordReferenceOrThrow } from "@passage/core";
import {
  type filterPersonIds,
  findCaseAttributes,
  findPersonOfRecord,
  findRecordConfidentiality,
} from "@passage/store";
import { caseResource } from "../linkage/linkage-access.ts";
import { type ShownStatusDocument, shownStatusDocument } from "./confidential-reader.ts";
import { LifecycleProjectionErrors } from "./lifecycle-errors.ts";
import type { LifecycleService, StatusQuery } from "./lifecycle-service.ts";

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
  const attributes = (await findCaseAttributes(sources.db, [personId])).get(personId);
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
 * up by it only for a reader who may read that record itself (`record.read` with its flags, as
 * the provenance read decides): a reader without the need is refused, where the same person's
 * status by id would be shown redacted. A record that belongs to no person is recorded as a
 * refused or failed read of the record, with the lifecycle's reason (not found, not linked yet,
 * not about a person).
 */
export async function readRecordStatus(
  access: AuditedAccess,
  sources: StatusReadSources,
  reference: string,
  query: StatusQuery,
): Promise<ShownStatusDocument> {
  const { feed, keyValue } = parseRecordReferenceOrThrow(reference);
  const personId = FEED_SCHEMAS[feed].aboutPerson
    ? await findPersonOfRecord(sources.db, feed, keyValue)
    : undefined;
  if (personId !== undefined) {
    const read = () => readPersonStatus(access, sources, personId, query, { record: reference });
    const flags = await findRecordConfidentiality(sources.db, feed, keyValue);
    if (flags.length === 0) return read();
    const attributes = (await findCaseAttributes(sources.db, [personId])).get(personId);
    const resource = caseResource("Record", reference, attributes, flags);
    if (refusedForConfidentialityAlone(access, resource)) {
      // A reader without the need does not learn that a flagged record is there.
      return refuseAsIfMissing(
        access,
        resource,
        () => LifecycleProjectionErrors.recordNotFound.create(reference),
        {
          lookup: "status by record",
        },
      );
    }
    return access.run("record.read", resource, read, { lookup: "status by record" });
  }
  const linkedMeanwhile = await access.run(
    "status.read",
    caseResource("Status", reference, undefined),
    async () => (await sources.lifecycle.statusOfRecord(reference, query)).personId,
    { record: reference, asOf: query.asOf ?? null, knownAt: query.knownAt ?? null },
  );
  // Linked between the two reads: decided again on that person's case, never shown on this one.
  return readPersonStatus(access, sources, linkedMeanwhile, query, { record: reference });
}

/**
 * Whether `record.read` is refused on a flagged record only because of its flags: the reader may
 * read records of that case, but not this confidential one. Such a refusal is answered as "no
 * such record" (the audit log keeps the denial), so that a 403 never tells a reader without the
 * need that an asylum or 1367 record exists (8 CFR 208.6 protects the fact of an application).
 */
/**
 * Records the refusal of `record.read` on `resource` (as the denial it is) and answers as the
 * reader would be answered for a record that does not exist: `notFound()` where the reader may
 * read records of no case (every office), else the same denial a missing record gets.
 */
export async function refuseAsIfMissing(
  access: AuditedAccess,
  resource: AccessResource,
  notFound: () => Error,
  details: Parameters<AuditedAccess["run"]>[3] = {},
): Promise<never> {
  const denial: unknown = await access
    .run("record.read", resource, () => undefined, details)
    .then(
      () => new Error("record.read was refused a moment ago"),
      (error: unknown) => error,
    );
  throw access.can("record.read", caseResource("Record", resource.id, undefined)) ? notFound() : denial;
}

export function refusedForConfidentialityAlone(access: AuditedAccess, resource: AccessResource): boolean {
  if (resource.type !== "Record") return false;
  if (resource.attributes.confidentiality.length === 0) return false;
  const withoutFlags = { ...resource, attributes: { ...resource.attributes, confidentiality: [] } };
  return !access.can("record.read", resource) && access.can("record.read", withoutFlags);
}
