import {
  type AccessResource,
  type Action,
  type AuditedAccess,
  actorLabel,
  type ConfidentialityFlag,
  FIELD_GROUPS,
  type FieldGroup,
  type ListFilter,
  PERSON_FIELD_GROUPS,
} from "@passage/access";
import {
  type CaseAttributeRow,
  executeSql,
  FLAGGABLE_FEEDS_SQL,
  filterPersonIds,
  findCaseAttributes,
  RECORD_CONFIDENTIALITY_SQL,
  type SqlExecutor,
} from "@passage/store";

const NO_CASE: CaseAttributeRow = { office: "", assignees: [], confidentiality: [] };

/** The case attributes of persons (absent persons get none: an office-scoped role is refused). */
export async function caseAttributesOf(
  executor: SqlExecutor,
  personIds: readonly (string | null | undefined)[],
): Promise<Map<string, CaseAttributeRow>> {
  const ids = [...new Set(personIds.filter((id): id is string => typeof id === "string"))];
  return findCaseAttributes(executor, ids);
}

/**
 * The case of persons a change of links just retired, as it was before the change: the office and
 * assignees of its case assignment (none: no office, no assignees), which linkage never writes and
 * a retirement leaves in place, though the person's row is gone (`caseAttributesOf` no longer has
 * it). No confidentiality flags: its records now belong to other persons, and a person's links are
 * read on its case without them (`mayReadRecordLinks` with the record's own flags). An id that
 * exists or was never retired is absent (an office-scoped role is refused).
 */
export async function retiredCaseAttributesOf(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, CaseAttributeRow>> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return new Map();
  const rows = await executeSql<{ person_id: string; office: string; assignees: string[] }>(
    executor,
    `SELECT k.person_id, coalesce(a.office, '') AS office, coalesce(a.assignees, '{}') AS assignees
     FROM unnest($1::text[]) AS k(person_id)
     JOIN linkage_person_retirement r ON r.person_id = k.person_id
     LEFT JOIN case_assignment a ON a.person_id = k.person_id
     WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.person_id = k.person_id)`,
    [ids],
  );
  return new Map(
    rows.map((row) => [row.person_id, { office: row.office, assignees: row.assignees, confidentiality: [] }]),
  );
}

/**
 * The confidentiality flags of linkage's records (`FEED:KEY`, the key value), each over all its
 * versions, in one statement; a record without a flag is absent. What a link read or decision on
 * a record is authorized against: the flags of the records involved, not the person's case-wide
 * union (an unflagged record of a person who also holds an I-589 is answered as any record).
 */
export async function recordFlagsOf(
  executor: SqlExecutor,
  records: readonly string[],
): Promise<Map<string, string[]>> {
  const keys = [...new Set(records)];
  if (keys.length === 0) return new Map();
  const rows = await executeSql<{ record: string; flags: string[] }>(
    executor,
    `SELECT k.record, array_agg(DISTINCT flag ORDER BY flag) AS flags
     FROM unnest($1::text[]) AS k(record)
     JOIN source_record r ON r.feed = split_part(k.record, ':', 1)
       AND r.key_value = substr(k.record, strpos(k.record, ':') + 1)
     CROSS JOIN LATERAL unnest(${RECORD_CONFIDENTIALITY_SQL}) AS flag
     WHERE r.feed IN ${FLAGGABLE_FEEDS_SQL}
     GROUP BY k.record`,
    [keys],
  );
  return new Map(rows.map((row) => [row.record, row.flags]));
}

/**
 * A side of a link or pair as the access policies judge it: the case (office, assignees) of the
 * record's person with the record's own confidentiality flags. A record without a person but with
 * flags gets no office (office-scoped roles are refused) and its flags.
 */
export function recordSide(
  attributes: CaseAttributeRow | undefined,
  recordFlags: readonly string[],
): CaseAttributeRow | undefined {
  if (attributes === undefined && recordFlags.length === 0) return undefined;
  return { ...(attributes ?? NO_CASE), confidentiality: [...recordFlags] };
}

/**
 * Whether the reader may read the links of a record of `personId` whose flags are `recordFlags`
 * (`link.read` on the person's case with the record's flags; a person that does not exist: no).
 */
export function mayReadRecordLinks(
  access: AuditedAccess,
  personId: string,
  attributes: CaseAttributeRow | undefined,
  recordFlags: readonly string[],
): boolean {
  if (attributes === undefined) return false;
  return access.can("link.read", caseResource("Link", personId, attributes, recordFlags));
}

/**
 * Which of these persons' cases pass a list filter (the policies' SQL filter of one action, e.g.
 * `access.listFilter("status.read")`): one statement, none when the filter allows or denies every
 * case. What a list, a page or a document names of other persons is decided by it.
 */
export async function personsPassing(
  db: Parameters<typeof filterPersonIds>[0],
  filter: ListFilter,
  personIds: readonly string[],
): Promise<(personId: string) => boolean> {
  if (filter.allowsAll) return () => true;
  if (filter.deniesAll || personIds.length === 0) return () => false;
  const passing = await filterPersonIds(db, [...new Set(personIds)], (columns) => filter.toSql(columns));
  return (personId) => passing.has(personId);
}

/** The resources that carry a person's case attributes (office, assignees, confidentiality flags). */
type CaseResourceType = "Person" | "Status" | "Record" | "Link" | "RedressRequest";

/** A resource with a person's case attributes. */
export type CaseResource = Extract<AccessResource, { type: CaseResourceType }>;

/**
 * The access resource of a person's case under `type`: its office, assignees and confidentiality
 * flags (`flags` instead, when given). A person without a case assignment (or that does not
 * exist) has no office and no assignees, so office-scoped roles are refused.
 */
export function caseResource<Type extends CaseResourceType>(
  type: Type,
  id: string,
  attributes: CaseAttributeRow | undefined,
  flags?: readonly string[],
): Extract<AccessResource, { type: Type }> {
  const case_ = attributes ?? NO_CASE;
  return {
    type,
    id,
    attributes: {
      office: case_.office,
      assignees: case_.assignees,
      confidentiality: [...(flags ?? case_.confidentiality)] as ConfidentialityFlag[],
    },
  } as Extract<AccessResource, { type: Type }>;
}

/** The access resource of a person. */
export function personResource(
  personId: string,
  attributes: CaseAttributeRow | undefined,
): Extract<AccessResource, { type: "Person" }> {
  return caseResource("Person", personId, attributes);
}

/**
 * The access resource of links touching a person, or of a pair of records on one side: the
 * case of that side's person with the confidentiality flags of both sides (a link shows both).
 */
export function linkResource(
  id: string,
  attributes: CaseAttributeRow | undefined,
  otherAttributes?: CaseAttributeRow | undefined,
): Extract<AccessResource, { type: "Link" }> {
  const flags = [
    ...new Set([...(attributes?.confidentiality ?? []), ...(otherAttributes?.confidentiality ?? [])]),
  ].sort();
  return caseResource("Link", id, attributes, flags);
}

type Details = Parameters<AuditedAccess["run"]>[3];

/**
 * `action` on `resource` (audited), never telling a reader without the need that a confidential
 * matter exists: a refusal the resource's confidentiality flags alone cause (the reader may do
 * `action` on that case, but not on this asylum or 1367 matter) is recorded as the denial it is
 * and answered as for something that does not exist: `notFound()` where the reader may act on no
 * case at all (every office), else the refusal a missing thing gets. 8 CFR 208.6 protects the
 * fact of an application, so a 403 must not confirm it.
 */
export async function runWithoutRevealingFlags<T>(
  access: AuditedAccess,
  action: Action,
  resource: CaseResource,
  work: () => Promise<T> | T,
  notFound: () => Error,
  details: Details = {},
): Promise<T> {
  if (!refusedForFlagsAlone(access, action, resource)) return access.run(action, resource, work, details);
  // Decided as above (the decision is a function of actor, action and attributes): a denial.
  const denial: unknown = await access
    .run(action, resource, () => undefined, details)
    .then(
      () => new Error(`${action} was refused a moment ago`),
      (error: unknown) => error,
    );
  throw access.can(action, caseResource(resource.type, resource.id, undefined)) ? notFound() : denial;
}

function refusedForFlagsAlone(access: AuditedAccess, action: Action, resource: CaseResource): boolean {
  if (resource.attributes.confidentiality.length === 0) return false;
  const withoutFlags = { ...resource, attributes: { ...resource.attributes, confidentiality: [] } };
  return !access.can(action, resource) && access.can(action, withoutFlags);
}

/**
 * Runs `work` as one audited `action` on a pair of records whose persons may differ: allowed only
 * when both sides are (a reviewer must be entitled to both persons), and written against the
 * first side's case with both sides' flags. A refused pair is recorded as the denial of the side
 * that refuses it (the first side's case when both do), decided like any other, so its entry and
 * its answer are those of every refused pair: `may not ACTION Link ID`, the same whether a side is
 * of another office, names no record, or is a confidential record the reader may not see. A
 * refusal the confidentiality flags alone cause is answered as `notFound()` where a missing record
 * is (`runWithoutRevealingFlags`): a pair's explanation or review item must not tell whether an
 * asylum or 1367 record exists (8 CFR 208.6, 8 U.S.C. 1367). Once it said `(other side)` for a
 * missing or out-of-office second side and not for a confidential one, and recorded the first as
 * allowed: both told a reader without the need which keys are confidential. A decision
 * (`link.decide`) is looked up first as `runWrite` says; `found` is false when a record of the
 * pair (or the review item) does not exist.
 */
export async function runOnPair<T>(
  access: AuditedAccess,
  action: Action,
  id: string,
  sides: readonly [CaseAttributeRow | undefined, CaseAttributeRow | undefined],
  work: () => Promise<T>,
  notFound: () => Error,
  details: Details = {},
  found = true,
): Promise<T> {
  const resource = pairResource(access, action, id, sides);
  if (action !== "link.decide")
    return runWithoutRevealingFlags(access, action, resource, work, notFound, details);
  const lookup = pairResource(access, "link.read", id, sides);
  return runWrite(access, { lookup, write: resource, found }, work, notFound, details);
}

/** The side of a pair `action` is decided on: the first side's case, or the second's when only it refuses. */
function pairResource(
  access: AuditedAccess,
  action: Action,
  id: string,
  [first, second]: readonly [CaseAttributeRow | undefined, CaseAttributeRow | undefined],
): CaseResource {
  // Both sides' flags on one resource: refused when either side's flags refuse it.
  const either = linkResource(id, first, second);
  const secondResource = linkResource(id, second, first);
  return access.can(action, either) && !access.can(action, secondResource) ? secondResource : either;
}

/**
 * A write (`link.decide`) on records named by key, never telling a reader without the need that a
 * confidential record exists, in its answer or in its audit entries. A write the reader may do on
 * records that exist is run and recorded as any write (before its work and with its outcome).
 * Otherwise the records are first looked up, one audited `link.read` of `lookup`
 * (`runWithoutRevealingFlags`) that fails with `notFound()` when they do not exist, and only a
 * lookup that passes lets the write be decided (then refused for the role or the office). So a
 * missing key and a confidential record the reader may not see are each one refused or failed
 * lookup, alike in the log: an allowed write on a missing key was recorded twice (started,
 * finished) where a confidential record's refusal was recorded once, which told an auditor
 * without the need which keys are asylum or 1367 records (8 CFR 208.6, 8 U.S.C. 1367).
 */
export async function runWrite<T>(
  access: AuditedAccess,
  target: { readonly lookup: CaseResource; readonly write: CaseResource; readonly found: boolean },
  work: () => Promise<T>,
  notFound: () => Error,
  details: Details = {},
): Promise<T> {
  const { lookup, write, found } = target;
  if (!found || !access.can("link.decide", write)) {
    await runWithoutRevealingFlags(
      access,
      "link.read",
      lookup,
      () => {
        if (!found) throw notFound();
      },
      notFound,
      details,
    );
  }
  return runWithoutRevealingFlags(access, "link.decide", write, work, notFound, details);
}

/** The person field groups the actor may see for a person (for values shown in link views). */
export function visibleGroupsOf(
  access: AuditedAccess,
  personId: string,
  attributes: CaseAttributeRow | undefined,
): Set<FieldGroup> {
  const resource = personResource(personId, attributes);
  return new Set(FIELD_GROUPS.filter((group) => access.can(`person.field.${group}` as Action, resource)));
}

/**
 * A record's compared values with every field of a group the actor may not see removed (and
 * every field no group names: deny by default); the hidden groups are named.
 */
export function redactValues(
  values: Readonly<Record<string, string | undefined>>,
  visible: ReadonlySet<FieldGroup>,
): { values: Record<string, string>; hiddenFieldGroups: FieldGroup[] } {
  const kept: Record<string, string> = {};
  const hidden = new Set<FieldGroup>();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const group = PERSON_FIELD_GROUPS[name];
    if (group && visible.has(group)) kept[name] = value;
    else if (group) hidden.add(group);
  }
  return { values: kept, hiddenFieldGroups: [...hidden].sort() };
}

/** The actor as recorded on decisions. */
export function actorOf(access: AuditedAccess): string {
  return actorLabel(access.scope.actor);
}
