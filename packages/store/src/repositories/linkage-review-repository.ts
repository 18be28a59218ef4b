import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../database-schema.ts";
import type {
  LinkageCitation,
  LinkageDecisionKind,
  LinkageDecisionSource,
  LinkageReviewOutcome,
  LinkageReviewStatus,
} from "./linkage-tables.ts";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";
import { FLAGGABLE_FEEDS_SQL, RECORD_CONFIDENTIALITY_SQL } from "./redress-case-attributes.ts";

/**
 * Human decisions on pairs of records (append-only, the latest per pair is current) and the
 * review queue. Records are named `feed:keyValue` (the linkage unit), left < right.
 */

/** SQL parts of a `feed:keyValue` column: the feed and the key value (which may itself hold colons). */
const feedOf = (column: string) => `split_part(${column}, ':', 1)`;
const keyOf = (column: string) => `substr(${column}, strpos(${column}, ':') + 1)`;

/** A decision as stored. */
export interface LinkageDecisionRow {
  readonly decisionId: string;
  readonly leftRecord: string;
  readonly rightRecord: string;
  readonly decision: LinkageDecisionKind;
  readonly source: LinkageDecisionSource;
  readonly reviewId: string | null;
  readonly decidedBy: string;
  readonly reason: string;
  readonly decidedAt: string;
  /**
   * A must-link one of whose records changed its compared values after it was decided
   * (`linkage_must_link_outdated`): it judged content the record no longer has, so no linkage path
   * joins the pair through it, and the persons holding either record are gated until the pair is
   * decided again. Always false on a cannot-link.
   */
  readonly outdated: boolean;
  /**
   * On a placement's must-link: the record placed in the person outside linkage (never matched on
   * its content, so its automatic links join no persons). Null on any other decision, and on
   * placements recorded before migration 0072.
   */
  readonly placedRecord: string | null;
  /**
   * On an outdated must-link, read with the pair's history (`findDecisionHistory`): each record
   * whose change outdated it, with its versions when it was decided and when the change was met.
   */
  readonly outdatedBy?: readonly OutdatedChange[];
}

/** A record whose change outdated a must-link: its row versions before and after. */
export interface OutdatedChange {
  readonly record: string;
  /** The latest version of each of its rows recorded when the decision was taken. */
  readonly decidedOn: readonly LinkageCitation[];
  /** Its versions when a linkage path met the change. */
  readonly changedTo: readonly LinkageCitation[];
}

interface DecisionRow {
  decision_id: string;
  left_record: string;
  right_record: string;
  decision: LinkageDecisionKind;
  source: LinkageDecisionSource;
  review_id: string | null;
  decided_by: string;
  reason: string;
  decided_at: string;
  outdated: boolean;
  placed_record: string | null;
}

const toDecision = (row: DecisionRow): LinkageDecisionRow => ({
  decisionId: String(row.decision_id),
  leftRecord: row.left_record,
  rightRecord: row.right_record,
  decision: row.decision,
  source: row.source,
  reviewId: row.review_id === null ? null : String(row.review_id),
  decidedBy: row.decided_by,
  reason: row.reason,
  decidedAt: new Date(row.decided_at).toISOString(),
  outdated: row.outdated,
  placedRecord: row.placed_record,
});

/** The columns of a decision, from a relation named `d` (`linkage_decision` or its current view). */
const DECISION_COLUMNS = `d.decision_id, d.left_record, d.right_record, d.decision, d.source, d.review_id,
  d.decided_by, d.reason, d.decided_at,
  EXISTS (SELECT 1 FROM linkage_must_link_outdated o WHERE o.decision_id = d.decision_id) AS outdated,
  (SELECT p.placed_record FROM linkage_decision p WHERE p.decision_id = d.decision_id) AS placed_record`;

/** A decision to record (records in either order; stored left < right). */
export interface NewLinkageDecision {
  readonly leftRecord: string;
  readonly rightRecord: string;
  readonly decision: LinkageDecisionKind;
  readonly source: LinkageDecisionSource;
  readonly reviewId?: string | null;
  readonly decidedBy: string;
  readonly reason: string;
  /** An unlink's cannot-link: which of the two records was taken out of its person. */
  readonly unlinkedRecord?: string | null;
  /** A placement's must-link: which of the two records was placed in the person outside linkage. */
  readonly placedRecord?: string | null;
}

/** Appends decisions; returns their ids in order. */
export async function insertDecisions(
  executor: SqlExecutor,
  decisions: readonly NewLinkageDecision[],
): Promise<string[]> {
  if (decisions.length === 0) return [];
  const ordered = decisions.map((decision) =>
    decision.leftRecord < decision.rightRecord
      ? decision
      : { ...decision, leftRecord: decision.rightRecord, rightRecord: decision.leftRecord },
  );
  const rows = await executeSql<{ decision_id: string }>(
    executor,
    `INSERT INTO linkage_decision (left_record, right_record, decision, source, review_id, decided_by, reason, unlinked_record, placed_record)
     SELECT left_record, right_record, decision, source, review_id, decided_by, reason, unlinked_record, placed_record
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[])
       WITH ORDINALITY AS d(left_record, right_record, decision, source, review_id, decided_by, reason, unlinked_record, placed_record, ordinal)
     ORDER BY ordinal RETURNING decision_id`,
    [
      ordered.map((decision) => decision.leftRecord),
      ordered.map((decision) => decision.rightRecord),
      ordered.map((decision) => decision.decision),
      ordered.map((decision) => decision.source),
      ordered.map((decision) => decision.reviewId ?? null),
      ordered.map((decision) => decision.decidedBy),
      ordered.map((decision) => decision.reason),
      ordered.map((decision) => decision.unlinkedRecord ?? null),
      ordered.map((decision) => decision.placedRecord ?? null),
    ],
  );
  return rows.map((row) => String(row.decision_id));
}

/** The current decisions that name any of these records. */
export async function findDecisionsTouching(
  executor: SqlExecutor,
  records: readonly string[],
): Promise<LinkageDecisionRow[]> {
  if (records.length === 0) return [];
  const rows = await executeSql<DecisionRow>(
    executor,
    `SELECT ${DECISION_COLUMNS} FROM linkage_current_decision d WHERE (d.left_record, d.right_record) IN (
       SELECT left_record, right_record FROM linkage_decision WHERE left_record = ANY($1::text[])
       UNION SELECT left_record, right_record FROM linkage_decision WHERE right_record = ANY($1::text[]))`,
    [[...records]],
  );
  return rows.map(toDecision);
}

/** Every current decision (the batch honours them all). */
export async function findAllCurrentDecisions(executor: SqlExecutor): Promise<LinkageDecisionRow[]> {
  const rows = await executeSql<DecisionRow>(
    executor,
    `SELECT ${DECISION_COLUMNS} FROM linkage_current_decision d ORDER BY d.decision_id`,
  );
  return rows.map(toDecision);
}

/**
 * The records among these that a placement holds in their person: each is the `placed_record` of a
 * must-link that is still the current decision on its pair and not outdated. Such a record was
 * never matched on its content, so its automatic links join no persons (`clusterRecords`).
 */
export async function findPlacedRecords(
  executor: SqlExecutor,
  records: readonly string[],
): Promise<Set<string>> {
  if (records.length === 0) return new Set();
  const rows = await executeSql<{ placed_record: string }>(
    executor,
    `SELECT DISTINCT d.placed_record FROM linkage_decision d
     WHERE d.placed_record = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM linkage_decision newer
         WHERE newer.left_record = d.left_record AND newer.right_record = d.right_record
           AND newer.decision_id > d.decision_id)
       AND NOT EXISTS (SELECT 1 FROM linkage_must_link_outdated o WHERE o.decision_id = d.decision_id)`,
    [[...records]],
  );
  return new Set(rows.map((row) => row.placed_record));
}

/** A must-link met with one of its records changed since it was decided. */
export interface OutdatedMustLink {
  readonly decisionId: string;
  /** `feed:keyValue`: the record whose compared values changed. */
  readonly changedRecord: string;
  /** Its versions when the change was met. */
  readonly citations: readonly LinkageCitation[];
}

/**
 * Marks must-links outdated (`LinkageDecisionRow.outdated`); a pair already marked for the record
 * stays as first marked. Returns the decisions newly marked.
 */
export async function markMustLinksOutdated(
  executor: SqlExecutor,
  outdated: readonly OutdatedMustLink[],
  detectedBy: "incremental" | "batch",
): Promise<string[]> {
  if (outdated.length === 0) return [];
  const rows = await executeSql<{ decision_id: string }>(
    executor,
    `INSERT INTO linkage_must_link_outdated (decision_id, changed_record, citations, detected_by)
     SELECT decision_id, changed_record, citations, $4
     FROM unnest($1::bigint[], $2::text[], $3::jsonb[]) AS o(decision_id, changed_record, citations)
     ON CONFLICT (decision_id, changed_record) DO NOTHING
     RETURNING decision_id`,
    [
      outdated.map((item) => item.decisionId),
      outdated.map((item) => item.changedRecord),
      outdated.map((item) => JSON.stringify(item.citations)),
      detectedBy,
    ],
  );
  return rows.map((row) => String(row.decision_id));
}

/** The reason of the review item that asks a must-link decided on a record's former content again. */
export const MUST_LINK_OUTDATED_REASON = "must_link_outdated";

/**
 * SQL: whether the mark `o` (`linkage_must_link_outdated`) of the decision `d` (`linkage_decision`)
 * still stand. A mark is settled once the pair is decided again (a newer decision on the pair: a
 * must-link joins it again, a cannot-link keeps it apart), or once a person confirms the changed
 * record where it is now: a newer human must-link (`review`, `direct`), current and itself not
 * outdated, between the changed record and another record of the person that holds it. Either way
 * someone judged the record's current content; until then IDENTITY_NOT_CONFIRMED holds on the
 * persons holding either record and the pair is in review (`must_link_outdated`).
 */
export function standingOutdatedMarkSql(d = "d", o = "o"): string {
  return `${d}.decision = 'must_link'
  AND NOT EXISTS (
    SELECT 1 FROM linkage_decision newer
    WHERE newer.left_record = ${d}.left_record AND newer.right_record = ${d}.right_record
      AND newer.decision_id > ${d}.decision_id)
  AND NOT EXISTS (
    SELECT 1 FROM linkage_decision n
    JOIN person_member lm
      ON lm.feed = split_part(n.left_record, ':', 1) AND lm.key_value = substr(n.left_record, strpos(n.left_record, ':') + 1)
    JOIN person_member rm
      ON rm.feed = split_part(n.right_record, ':', 1) AND rm.key_value = substr(n.right_record, strpos(n.right_record, ':') + 1)
    WHERE (n.left_record = ${o}.changed_record OR n.right_record = ${o}.changed_record)
      AND n.decision = 'must_link' AND n.source IN ('review', 'direct') AND n.decision_id > ${d}.decision_id
      AND lm.person_id = rm.person_id
      AND NOT EXISTS (
        SELECT 1 FROM linkage_decision later
        WHERE later.left_record = n.left_record AND later.right_record = n.right_record
          AND later.decision_id > n.decision_id)
      AND NOT EXISTS (SELECT 1 FROM linkage_must_link_outdated m WHERE m.decision_id = n.decision_id))`;
}

/** A must-link outdated by a change of one of its records that nobody has judged since. */
export interface StandingOutdatedMustLink {
  readonly decisionId: string;
  readonly leftRecord: string;
  readonly rightRecord: string;
  /** The records whose change outdated it and still stands (one or both). */
  readonly changedRecords: readonly string[];
}

/**
 * The current must-links outdated by a change nobody has judged since (`standingOutdatedMarkSql`),
 * those naming any of `records`, or all when `records` is undefined. Driven by the marks (few).
 */
export async function findStandingOutdatedMustLinks(
  executor: SqlExecutor,
  records?: readonly string[],
): Promise<StandingOutdatedMustLink[]> {
  if (records !== undefined && records.length === 0) return [];
  const rows = await executeSql<{
    decision_id: string;
    left_record: string;
    right_record: string;
    changed: string[];
  }>(
    executor,
    `SELECT d.decision_id, d.left_record, d.right_record, array_agg(o.changed_record ORDER BY o.changed_record) AS changed
     FROM linkage_must_link_outdated o JOIN linkage_decision d ON d.decision_id = o.decision_id
     WHERE ($1::text[] IS NULL OR d.left_record = ANY($1::text[]) OR d.right_record = ANY($1::text[]))
       AND ${standingOutdatedMarkSql()}
     GROUP BY d.decision_id, d.left_record, d.right_record
     ORDER BY d.decision_id`,
    [records === undefined ? null : [...records]],
  );
  return rows.map((row) => ({
    decisionId: String(row.decision_id),
    leftRecord: row.left_record,
    rightRecord: row.right_record,
    changedRecords: row.changed,
  }));
}

/** Every decision ever taken on one pair, oldest first (the history behind the current one). */
export async function findDecisionHistory(
  executor: SqlExecutor,
  first: string,
  second: string,
): Promise<LinkageDecisionRow[]> {
  const [left, right] = first < second ? [first, second] : [second, first];
  const rows = await executeSql<DecisionRow & { outdated_by: OutdatedChange[] | null }>(
    executor,
    `SELECT ${DECISION_COLUMNS}, (
       SELECT json_agg(json_build_object('record', o.changed_record, 'changedTo', o.citations, 'decidedOn', (
         SELECT coalesce(json_agg(json_build_object('feed', r.feed, 'recordKey', r.record_key, 'version', r.version)
                                  ORDER BY r.record_key), '[]'::json)
         FROM (SELECT DISTINCT ON (s.record_key) s.feed, s.record_key, s.version FROM source_record s
               WHERE s.feed = ${feedOf("o.changed_record")} AND s.key_value = ${keyOf("o.changed_record")}
                 AND s.recorded_at <= d.decided_at
               ORDER BY s.record_key, s.version DESC) r)) ORDER BY o.changed_record)
       FROM linkage_must_link_outdated o WHERE o.decision_id = d.decision_id) AS outdated_by
     FROM linkage_decision d WHERE d.left_record = $1 AND d.right_record = $2 ORDER BY d.decision_id`,
    [left, right],
  );
  return rows.map((row) =>
    row.outdated_by === null ? toDecision(row) : { ...toDecision(row), outdatedBy: row.outdated_by },
  );
}

/** A pair to put in (or keep in) the review queue. */
export interface ReviewItemInput {
  readonly leftRecord: string;
  readonly rightRecord: string;
  readonly reason: string;
  readonly conflictingIdentifiers: readonly string[];
  readonly matchWeight: number;
  readonly matchProbability: number;
  readonly modelVersion: number;
}

/**
 * SQL for the reason of an open item scored again (`ON CONFLICT`): an item asking an outdated
 * must-link again keeps asking that (a path scoring the pair afresh does not turn it into a question
 * the next decision on the pair would settle silently).
 */
export const KEEP_OUTDATED_REASON_SQL = `CASE WHEN linkage_review.reason = '${MUST_LINK_OUTDATED_REASON}' THEN linkage_review.reason ELSE EXCLUDED.reason END`;

/**
 * Opens review items; a pair already open keeps its id and takes the new score and reason (an item
 * asking an outdated must-link again keeps its reason).
 */
export async function openReviewItems(
  executor: SqlExecutor,
  items: readonly ReviewItemInput[],
): Promise<void> {
  if (items.length === 0) return;
  const ordered = items.map((item) =>
    item.leftRecord < item.rightRecord
      ? item
      : { ...item, leftRecord: item.rightRecord, rightRecord: item.leftRecord },
  );
  await executeSql(
    executor,
    `INSERT INTO linkage_review (left_record, right_record, reason, conflicting_identifiers, match_weight, match_probability, model_version)
     SELECT d.left_record, d.right_record, d.reason, coalesce(string_to_array(d.conflicts, ','), '{}'), d.weight, d.probability, d.model_version
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::int[])
       AS d(left_record, right_record, reason, conflicts, weight, probability, model_version)
     ON CONFLICT (left_record, right_record) WHERE status IN ('open', 'unsure') DO UPDATE SET
       reason = ${KEEP_OUTDATED_REASON_SQL}, conflicting_identifiers = EXCLUDED.conflicting_identifiers,
       match_weight = EXCLUDED.match_weight, match_probability = EXCLUDED.match_probability,
       model_version = EXCLUDED.model_version, updated_at = clock_timestamp()`,
    [
      ordered.map((item) => item.leftRecord),
      ordered.map((item) => item.rightRecord),
      ordered.map((item) => item.reason),
      ordered.map((item) =>
        item.conflictingIdentifiers.length === 0 ? null : item.conflictingIdentifiers.join(","),
      ),
      ordered.map((item) => item.matchWeight),
      ordered.map((item) => item.matchProbability),
      ordered.map((item) => item.modelVersion),
    ],
  );
}

/**
 * Supersedes open review items that no longer ask anything: both records now in one person,
 * or a current decision on the pair. Scoped to items touching these records. An item asking an
 * outdated must-link again (`must_link_outdated`) asks until its mark is settled
 * (`standingOutdatedMarkSql`), whatever persons the records are in: the decision on its pair is
 * the one it asks about.
 */
export async function supersedeSettledReviews(
  executor: SqlExecutor,
  records: readonly string[],
): Promise<number> {
  if (records.length === 0) return 0;
  const rows = await executeSql<{ review_id: string }>(
    executor,
    `UPDATE linkage_review q SET status = 'superseded', closed_at = clock_timestamp(), updated_at = clock_timestamp(),
       note = coalesce(q.note, CASE WHEN o.reason = '${MUST_LINK_OUTDATED_REASON}'
                                      THEN 'someone judged the changed record again: the pair was decided again, or a must-link confirmed the record in its person'
                                    WHEN d.left_record IS NOT NULL THEN 'a decision on the pair settled it'
                                    ELSE 'both records are now in one person' END)
     FROM linkage_review o
     LEFT JOIN person_member lm ON lm.feed = ${feedOf("o.left_record")} AND lm.key_value = ${keyOf("o.left_record")}
     LEFT JOIN person_member rm ON rm.feed = ${feedOf("o.right_record")} AND rm.key_value = ${keyOf("o.right_record")}
     LEFT JOIN (SELECT DISTINCT left_record, right_record FROM linkage_decision) d
       ON d.left_record = o.left_record AND d.right_record = o.right_record
     WHERE q.review_id = o.review_id AND o.status IN ('open', 'unsure')
       AND (o.left_record = ANY($1::text[]) OR o.right_record = ANY($1::text[]))
       AND CASE WHEN o.reason = '${MUST_LINK_OUTDATED_REASON}' THEN NOT EXISTS (
             SELECT 1 FROM linkage_must_link_outdated o2 JOIN linkage_decision d2 ON d2.decision_id = o2.decision_id
             WHERE d2.left_record = o.left_record AND d2.right_record = o.right_record
               AND ${standingOutdatedMarkSql("d2", "o2")})
           ELSE (d.left_record IS NOT NULL OR (lm.person_id IS NOT NULL AND lm.person_id = rm.person_id)) END
     RETURNING q.review_id`,
    [[...records]],
  );
  return rows.length;
}

/** Supersedes every open item touching these records (they are about to be scored again). */
export async function supersedeReviewsOf(
  executor: SqlExecutor,
  records: readonly string[],
  note: string,
): Promise<void> {
  if (records.length === 0) return;
  await executeSql(
    executor,
    `UPDATE linkage_review SET status = 'superseded', closed_at = clock_timestamp(), updated_at = clock_timestamp(), note = $2
     WHERE status IN ('open', 'unsure') AND (left_record = ANY($1::text[]) OR right_record = ANY($1::text[]))`,
    [[...records], note],
  );
}

/** Supersedes these open review items, each with its own note (why it asks nothing any more). */
export async function supersedeReviewItems(
  executor: SqlExecutor,
  items: readonly { readonly reviewId: string; readonly note: string }[],
): Promise<void> {
  if (items.length === 0) return;
  await executeSql(
    executor,
    `UPDATE linkage_review q SET status = 'superseded', closed_at = clock_timestamp(), updated_at = clock_timestamp(), note = i.note
     FROM unnest($1::bigint[], $2::text[]) AS i(review_id, note)
     WHERE q.review_id = i.review_id AND q.status IN ('open', 'unsure')`,
    [items.map((item) => item.reviewId), items.map((item) => item.note)],
  );
}

/** An open review item touching a person's record, with what the identity issue cites. */
export interface OpenReviewOfPerson {
  readonly personId: string;
  readonly reviewId: string;
  readonly ownRecord: string;
  readonly otherRecord: string;
  readonly reason: string;
  readonly conflictingIdentifiers: readonly string[];
  readonly matchProbability: number;
  /** The citations of the person's own record (an identity issue cites only its own side). */
  readonly ownCitations: readonly LinkageCitation[];
}

/**
 * The persons holding the other record of an open review item that touches one of these records
 * (`feed:keyValue`): their identity issues rest on those items, so they change when the items are
 * superseded.
 */
export async function findPersonsReviewedWith(
  executor: SqlExecutor,
  records: readonly string[],
): Promise<string[]> {
  if (records.length === 0) return [];
  const rows = await executeSql<{ person_id: string }>(
    executor,
    `SELECT DISTINCT m.person_id
     FROM unnest($1::text[]) AS k(record)
     CROSS JOIN LATERAL (
       SELECT q.right_record AS other FROM linkage_review q
       WHERE q.left_record = k.record AND q.status IN ('open', 'unsure')
       UNION ALL
       SELECT q.left_record FROM linkage_review q
       WHERE q.right_record = k.record AND q.status IN ('open', 'unsure')
     ) o
     JOIN person_member m ON m.feed = ${feedOf("o.other")} AND m.key_value = ${keyOf("o.other")}`,
    [[...records]],
  );
  return rows.map((row) => row.person_id);
}

/**
 * Every open review item that touches a record of these persons. Each record probes the partial
 * open-pair indexes (`OFFSET 0` keeps the planner from flattening the probe into a hash join that
 * scans every review item, a fixed cost the incremental handler paid on each small batch), and
 * each item found looks up its own record's citations by key: as a left join, the planner hashed
 * all of linkage_entity for a few hundred items (280 of 320 ms for 1,500 persons at 57k, when both
 * sides' citations were read).
 */
export async function findOpenReviewsOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<OpenReviewOfPerson[]> {
  if (personIds.length === 0) return [];
  const rows = await executeSql<{
    person_id: string;
    review_id: string;
    own_record: string;
    other_record: string;
    reason: string;
    conflicting_identifiers: string[];
    match_probability: number;
    own_citations: LinkageCitation[] | null;
  }>(
    executor,
    `WITH own AS (
       SELECT person_id, feed || ':' || key_value AS record FROM person_member WHERE person_id = ANY($1::text[])
     ), touching AS (
       SELECT own.person_id, q.review_id, own.record AS own_record, q.right_record AS other_record, q.reason,
              q.conflicting_identifiers, q.match_probability
       FROM own CROSS JOIN LATERAL (
         SELECT * FROM linkage_review q WHERE q.left_record = own.record AND q.status IN ('open', 'unsure')
         OFFSET 0) q
       UNION ALL
       SELECT own.person_id, q.review_id, own.record, q.left_record, q.reason, q.conflicting_identifiers, q.match_probability
       FROM own CROSS JOIN LATERAL (
         SELECT * FROM linkage_review q WHERE q.right_record = own.record AND q.status IN ('open', 'unsure')
         OFFSET 0) q
     )
     SELECT t.*,
       (SELECT e.citations FROM linkage_entity e
        WHERE e.feed = ${feedOf("t.own_record")} AND e.key_value = ${keyOf("t.own_record")}) AS own_citations
     FROM touching t
     ORDER BY t.person_id, t.review_id`,
    [[...personIds]],
  );
  return rows.map((row) => ({
    personId: row.person_id,
    reviewId: String(row.review_id),
    ownRecord: row.own_record,
    otherRecord: row.other_record,
    reason: row.reason,
    conflictingIdentifiers: row.conflicting_identifiers,
    matchProbability: row.match_probability,
    ownCitations: row.own_citations ?? [],
  }));
}

/** A review item as stored, with the persons its records belong to now. */
export interface ReviewItemRow {
  readonly reviewId: string;
  readonly leftRecord: string;
  readonly rightRecord: string;
  readonly leftPersonId: string | null;
  readonly rightPersonId: string | null;
  readonly reason: string;
  readonly conflictingIdentifiers: readonly string[];
  readonly matchWeight: number;
  readonly matchProbability: number;
  readonly modelVersion: number;
  readonly status: LinkageReviewStatus;
  readonly outcome: LinkageReviewOutcome | null;
  readonly note: string | null;
  readonly decidedBy: string | null;
  readonly openedAt: string;
  readonly closedAt: string | null;
}

interface ReviewRow {
  review_id: string;
  left_record: string;
  right_record: string;
  left_person_id: string | null;
  right_person_id: string | null;
  reason: string;
  conflicting_identifiers: string[];
  match_weight: number;
  match_probability: number;
  model_version: number;
  status: LinkageReviewStatus;
  outcome: LinkageReviewOutcome | null;
  note: string | null;
  decided_by: string | null;
  opened_at: string;
  closed_at: string | null;
}

const toReview = (row: ReviewRow): ReviewItemRow => ({
  reviewId: String(row.review_id),
  leftRecord: row.left_record,
  rightRecord: row.right_record,
  leftPersonId: row.left_person_id,
  rightPersonId: row.right_person_id,
  reason: row.reason,
  conflictingIdentifiers: row.conflicting_identifiers,
  matchWeight: row.match_weight,
  matchProbability: row.match_probability,
  modelVersion: row.model_version,
  status: row.status,
  outcome: row.outcome,
  note: row.note,
  decidedBy: row.decided_by,
  openedAt: new Date(row.opened_at).toISOString(),
  closedAt: row.closed_at === null ? null : new Date(row.closed_at).toISOString(),
});

const REVIEW_SELECT = `
  SELECT q.review_id, q.left_record, q.right_record, lm.person_id AS left_person_id, rm.person_id AS right_person_id,
         q.reason, q.conflicting_identifiers, q.match_weight, q.match_probability, q.model_version, q.status,
         q.outcome, q.note, q.decided_by, q.opened_at, q.closed_at
  FROM linkage_review q
  LEFT JOIN person_member lm ON lm.feed = ${feedOf("q.left_record")} AND lm.key_value = ${keyOf("q.left_record")}
  LEFT JOIN person_member rm ON rm.feed = ${feedOf("q.right_record")} AND rm.key_value = ${keyOf("q.right_record")}`;

/**
 * Every open review item (`open` or `unsure`) touching a record of these persons, with the persons
 * both its records belong to now and its weight: what keeping one item per pair of persons compares
 * a new item with. Each record probes the partial open-pair indexes, as `findOpenReviewsOfPersons`.
 */
export async function findOpenReviewItemsOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<ReviewItemRow[]> {
  if (personIds.length === 0) return [];
  const rows = await executeSql<ReviewRow>(
    executor,
    `WITH own AS (
       SELECT feed || ':' || key_value AS record FROM person_member WHERE person_id = ANY($1::text[])
     ), touching AS (
       SELECT q.review_id FROM own CROSS JOIN LATERAL (
         SELECT review_id FROM linkage_review q WHERE q.left_record = own.record AND q.status IN ('open', 'unsure')
         OFFSET 0) q
       UNION
       SELECT q.review_id FROM own CROSS JOIN LATERAL (
         SELECT review_id FROM linkage_review q WHERE q.right_record = own.record AND q.status IN ('open', 'unsure')
         OFFSET 0) q
     )
     ${REVIEW_SELECT} WHERE q.review_id IN (SELECT review_id FROM touching)
     ORDER BY q.review_id`,
    [[...personIds]],
  );
  return rows.map(toReview);
}

/** One review item (locked for update when asked, inside the caller's transaction). */
export async function findReviewItem(
  executor: SqlExecutor,
  reviewId: string,
  options: { readonly forUpdate?: boolean } = {},
): Promise<ReviewItemRow | undefined> {
  if (!/^\d{1,18}$/.test(reviewId)) return undefined;
  const rows = await executeSql<ReviewRow>(
    executor,
    `${REVIEW_SELECT} WHERE q.review_id = $1::bigint${options.forUpdate ? " FOR UPDATE OF q" : ""}`,
    [reviewId],
  );
  return rows[0] ? toReview(rows[0]) : undefined;
}

/** Closes or marks a review item with a reviewer's outcome. */
export async function recordReviewOutcome(
  executor: SqlExecutor,
  reviewId: string,
  outcome: {
    status: "decided" | "unsure";
    outcome: LinkageReviewOutcome | null;
    note: string;
    decidedBy: string;
  },
): Promise<void> {
  await executeSql(
    executor,
    `UPDATE linkage_review SET status = $2, outcome = $3, note = $4, decided_by = $5, updated_at = clock_timestamp(),
       closed_at = CASE WHEN $2 = 'decided' THEN clock_timestamp() ELSE NULL END
     WHERE review_id = $1::bigint`,
    [reviewId, outcome.status, outcome.outcome, outcome.note, outcome.decidedBy],
  );
}

/** The columns a list filter reads, per side of a pair (the access layer renders the filter over them). */
export type ReviewFilterColumns = {
  readonly office: RawBuilder<string>;
  readonly assignees: RawBuilder<string[]>;
  readonly confidentiality: RawBuilder<string[]>;
};

/**
 * The confidentiality flags of the linkage record (`FEED:KEY`) a column names, over all its
 * versions: a review item is judged by the flags of its two records, not by its persons' (an
 * item on two unflagged records of a person who also holds an I-589 is listed as any item).
 */
function recordConfidentialitySql(recordColumn: string): string {
  return `ARRAY(
    SELECT DISTINCT flag FROM source_record r CROSS JOIN LATERAL unnest(${RECORD_CONFIDENTIALITY_SQL}) AS flag
    WHERE r.feed = ${feedOf(recordColumn)} AND r.key_value = ${keyOf(recordColumn)} AND r.feed IN ${FLAGGABLE_FEEDS_SQL})`;
}

/**
 * A page of the review queue that the access filter lets through on both sides of each pair
 * (a reviewer must be allowed to see both persons, office and assignees, and both records'
 * confidential matters), strongest first.
 */
export async function listReviewItems(
  db: Kysely<Database>,
  query: {
    readonly statuses: readonly LinkageReviewStatus[];
    readonly personId?: string | undefined;
    readonly limit: number;
    readonly offset: number;
  },
  filter: (columns: ReviewFilterColumns) => RawBuilder<SqlBool>,
): Promise<ReviewItemRow[]> {
  const side = (prefix: "l" | "r") => ({
    office: sql<string>`coalesce(${sql.ref(`${prefix}a.office`)}, '')`,
    assignees: sql<string[]>`coalesce(${sql.ref(`${prefix}a.assignees`)}, '{}'::text[])`,
    confidentiality: sql<
      string[]
    >`(${sql.raw(recordConfidentialitySql("q.left_record"))} || ${sql.raw(recordConfidentialitySql("q.right_record"))})`,
  });
  const result = await sql<ReviewRow>`
    ${sql.raw(REVIEW_SELECT)}
    LEFT JOIN case_assignment la ON la.person_id = lm.person_id
    LEFT JOIN case_assignment ra ON ra.person_id = rm.person_id
    WHERE q.status = ANY(${[...query.statuses]}::text[])
      AND (${query.personId ?? null}::text IS NULL OR lm.person_id = ${query.personId ?? null} OR rm.person_id = ${query.personId ?? null})
      AND ${filter(side("l"))} AND ${filter(side("r"))}
    ORDER BY q.match_probability DESC, q.review_id
    LIMIT ${query.limit} OFFSET ${query.offset}`.execute(db);
  return result.rows.map(toReview);
}

/** How many review items are in each status. */
export async function countReviewItems(executor: SqlExecutor): Promise<Record<LinkageReviewStatus, number>> {
  const rows = await executeSql<{ status: LinkageReviewStatus; count: number }>(
    executor,
    "SELECT status, count(*)::int AS count FROM linkage_review GROUP BY status",
  );
  const counts: Record<LinkageReviewStatus, number> = { open: 0, unsure: 0, decided: 0, superseded: 0 };
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}
