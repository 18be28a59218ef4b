import { StringDecoder } from "node:string_decoder";
import type { Feed, NormalisedFields, RecordCitation, SourceRecord } from "@passage/core";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { decodeCopyField } from "./linkage-bulk-repository.ts";
import { standingOutdatedMarkSql } from "./linkage-review-repository.ts";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";
import { isoTimestampSql } from "./record-queries.ts";

interface PersonRecordRow {
  person_id: string;
  id: string;
  feed: Feed;
  key_value: string;
  record_key: string;
  version: number;
  fields: NormalisedFields;
  /** ISO 8601 in UTC with milliseconds, as `Date#toISOString` writes it. */
  recorded_at: string;
}

function toRecord(row: PersonRecordRow): SourceRecord {
  return {
    id: String(row.id),
    feed: row.feed,
    keyValue: row.key_value,
    recordKey: row.record_key,
    version: row.version,
    fields: row.fields,
    recordedAt: row.recorded_at,
  };
}

export interface PersonRecordsOptions {
  /** Only record versions stored at or before this instant (record time). */
  readonly knownAt?: string | undefined;
}

/**
 * Every version of every record of these persons (versions after `knownAt` left out), grouped by
 * person. Persons with no records are absent from the map. `recorded_at` is stored to the
 * microsecond and shown (and parsed) to the millisecond: it is compared at millisecond precision,
 * so a `knownAt` equal to a version's shown `recordedAt` includes it (as every known-at filter does).
 */
export async function findRecordsOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
  options: PersonRecordsOptions = {},
): Promise<Map<string, SourceRecord[]>> {
  const grouped = new Map<string, SourceRecord[]>();
  if (personIds.length === 0) return grouped;
  // Each member's versions are read by their own index scan (the LATERAL with OFFSET 0 keeps the
  // planner from flattening it): joined plainly, the planner could not tell how few rows the
  // members' keys match and, from a few hundred persons up, hashed the whole `source_record`
  // table for every batch, a cost that grows with the population, not the batch. At 57k persons
  // (274k records), 1,700 persons' 8k versions: 91 ms against 133-250 ms; 30 persons: 3.5 ms
  // against 6-16 ms. `recorded_at` is formatted by PostgreSQL as `Date#toISOString` writes it (as
  // the rebuild's read does): parsed into a Date and formatted again, twice, it cost a few
  // microseconds a record.
  const rows = await executeSql<PersonRecordRow>(
    executor,
    `SELECT m.person_id, r.id, r.feed, r.key_value, r.record_key, r.version, r.fields,
            ${isoTimestampSql("r.recorded_at")} AS recorded_at
     FROM person_member m
     CROSS JOIN LATERAL (
       SELECT r.id, r.feed, r.key_value, r.record_key, r.version, r.fields, r.recorded_at FROM source_record r
       WHERE r.feed = m.feed AND r.key_value = m.key_value
         AND ($2::timestamptz IS NULL OR date_trunc('milliseconds', r.recorded_at) <= $2::timestamptz)
       OFFSET 0) r
     WHERE m.person_id = ANY($1::text[])
     ORDER BY m.person_id, r.feed, r.record_key, r.version`,
    [personIds, options.knownAt ?? null],
  );
  for (const row of rows) {
    const records = grouped.get(row.person_id);
    if (records) records.push(toRecord(row));
    else grouped.set(row.person_id, [toRecord(row)]);
  }
  return grouped;
}

/** The person a record (all rows of one feed key) belongs to, if it has been linked. */
export async function findPersonOfRecord(
  executor: SqlExecutor,
  feed: Feed,
  keyValue: string,
): Promise<string | undefined> {
  const rows = await executeSql<{ person_id: string }>(
    executor,
    "SELECT person_id FROM person_member WHERE feed = $1 AND key_value = $2",
    [feed, keyValue],
  );
  return rows[0]?.person_id;
}

// The latest version of every record of every person, in person order. `recorded_at` is
// formatted by PostgreSQL exactly as `Date#toISOString` writes it (UTC, milliseconds), whatever
// the session's time zone.
const PERSON_LATEST_RECORDS = `
  SELECT DISTINCT ON (m.person_id, r.feed, r.record_key)
         m.person_id, r.id, r.feed, r.key_value, r.record_key, r.version, r.fields,
         ${isoTimestampSql("r.recorded_at")}
  FROM person_member m
  JOIN source_record r ON r.feed = m.feed AND r.key_value = m.key_value
  ORDER BY m.person_id, r.feed, r.record_key, r.version DESC`;

/**
 * Every person with the latest version of each of their records, one person at a time in
 * person-id order, from one consistent snapshot (one COPY statement, for rebuilds). The rows
 * arrive as COPY text, parsed here: node-postgres building a row object, a Date and a JSON
 * value per record cost twice as much CPU on both sides. Memory stays bounded by the stream's
 * buffer, whatever the population; breaking out of the loop ends the COPY and the connection.
 */
export async function* streamPersonsWithRecords(
  pool: pg.Pool,
): AsyncGenerator<{ personId: string; records: SourceRecord[] }> {
  const client = await pool.connect();
  // Between reads the connection may sit idle: its failure must not crash the process.
  const ignoreClientError = () => undefined;
  client.on("error", ignoreClientError);
  // The whole table is joined and sorted: here a parallel plan pays for its workers (the embedded
  // server plans none by default, for the short statements that make up the rest). The
  // connection is closed afterwards, so the setting ends with this read.
  try {
    await client.query("SET max_parallel_workers_per_gather = 2");
  } catch (error) {
    client.removeListener("error", ignoreClientError);
    client.release(true);
    throw error;
  }
  const stream = client.query(copyTo(`COPY (${PERSON_LATEST_RECORDS}) TO STDOUT`));
  let finished = false;
  try {
    const decoder = new StringDecoder("utf8");
    let rest = "";
    let current: { personId: string; records: SourceRecord[] } | undefined;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = rest + decoder.write(chunk);
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        const [person, id, feed, keyValue, recordKey, version, fields, recordedAt] = text
          .slice(start, end)
          .split("\t");
        start = end + 1;
        const personId = decodeCopyField(person!)!;
        const record: SourceRecord = {
          id: id!,
          feed: feed as Feed,
          keyValue: decodeCopyField(keyValue!)!,
          recordKey: decodeCopyField(recordKey!)!,
          version: Number(version),
          fields: JSON.parse(decodeCopyField(fields!)!) as NormalisedFields,
          recordedAt: recordedAt!,
        };
        if (current && current.personId !== personId) {
          yield current;
          current = undefined;
        }
        if (!current) current = { personId, records: [] };
        current.records.push(record);
      }
      rest = text.slice(start);
    }
    // COPY text ends every row with a newline, so nothing is left over once the stream ends.
    if (current) yield current;
    finished = true;
  } finally {
    client.removeListener("error", ignoreClientError);
    // A COPY stopped half-way leaves the connection mid-protocol; a finished one has the session
    // setting above: closed either way, not reused.
    if (!finished) stream.destroy();
    client.release(true);
  }
}

/** An identity issue of a person's cluster, as linkage recorded it (see `person_identity_issue`). */
export interface IdentityIssue {
  readonly kind: "review_band_link" | "conflicting_identifier";
  readonly detail: string;
  readonly matchProbability: number | null;
  readonly evidence: readonly RecordCitation[];
}

/** A record of a person that holds nothing but records unlinked from another person. */
export interface UnlinkedMember {
  /** `FEED:KEY`. */
  readonly record: string;
  /** Its versions as linkage indexed them. */
  readonly evidence: readonly RecordCitation[];
}

/**
 * The persons among these whose every record was unlinked from another person (an unlink's
 * cannot-links name it as `unlinked_record`), with those records; persons holding any other record
 * are absent. Such a person rests only on records someone showed were not another's: nothing
 * confirms whose they are (the IDENTITY_NOT_CONFIRMED gate).
 */
export async function findPersonsOfUnlinkedRecordsOnly(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, UnlinkedMember[]>> {
  const grouped = new Map<string, UnlinkedMember[]>();
  if (personIds.length === 0) return grouped;
  const rows = await executeSql<{ person_id: string; record: string; evidence: RecordCitation[] | null }>(
    executor,
    `WITH member AS (
       SELECT m.person_id, m.feed, m.key_value, EXISTS (
         SELECT 1 FROM linkage_decision d WHERE d.unlinked_record = m.feed || ':' || m.key_value
       ) AS unlinked
       FROM person_member m WHERE m.person_id = ANY($1::text[])
     ), alone AS (
       SELECT person_id FROM member GROUP BY person_id HAVING bool_and(unlinked)
     )
     SELECT m.person_id, m.feed || ':' || m.key_value AS record,
       (SELECT e.citations FROM linkage_entity e WHERE e.feed = m.feed AND e.key_value = m.key_value) AS evidence
     FROM member m JOIN alone USING (person_id)
     ORDER BY m.person_id, record`,
    [personIds],
  );
  for (const row of rows) {
    const member: UnlinkedMember = { record: row.record, evidence: row.evidence ?? [] };
    const members = grouped.get(row.person_id);
    if (members) members.push(member);
    else grouped.set(row.person_id, [member]);
  }
  return grouped;
}

/** A record of a person that an outdated must-link names (one of its records changed since). */
export interface OutdatedMustLinkMember {
  /** The must-link decision. */
  readonly decisionId: string;
  /** `FEED:KEY`: the person's own record of the pair. */
  readonly record: string;
  /** Its versions as linkage indexed them. */
  readonly evidence: readonly RecordCitation[];
}

/**
 * The records of these persons that a current must-link names whose records (either) changed their
 * compared values after it was decided (`linkage_must_link_outdated`); persons with none are
 * absent. The decision judged content a record no longer has: the person's identity is not
 * confirmed (IDENTITY_NOT_CONFIRMED) until someone judges it again (`standingOutdatedMarkSql`): the
 * pair decided again (in review, `must_link_outdated`, or directly), or a human must-link of the
 * changed record to another record of the person holding it. Only the person's own records are named: the pair's other record
 * may be another person's. One statement, driven by the marks (few), whatever the persons' number.
 */
export async function findOutdatedMustLinksOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, OutdatedMustLinkMember[]>> {
  const grouped = new Map<string, OutdatedMustLinkMember[]>();
  if (personIds.length === 0) return grouped;
  const rows = await executeSql<{
    person_id: string;
    decision_id: string;
    record: string;
    evidence: RecordCitation[] | null;
  }>(
    executor,
    `WITH outdated AS (
       SELECT DISTINCT d.decision_id, d.left_record, d.right_record
       FROM linkage_must_link_outdated o JOIN linkage_decision d ON d.decision_id = o.decision_id
       WHERE ${standingOutdatedMarkSql()}
     ), side AS (
       SELECT decision_id, left_record AS record FROM outdated
       UNION ALL SELECT decision_id, right_record FROM outdated
     )
     SELECT m.person_id, s.decision_id, s.record, e.citations AS evidence
     FROM side s
     JOIN person_member m
       ON m.feed = split_part(s.record, ':', 1) AND m.key_value = substr(s.record, strpos(s.record, ':') + 1)
     LEFT JOIN linkage_entity e ON e.feed = m.feed AND e.key_value = m.key_value
     WHERE m.person_id = ANY($1::text[])
     ORDER BY m.person_id, s.decision_id, s.record`,
    [personIds],
  );
  for (const row of rows) {
    const member: OutdatedMustLinkMember = {
      decisionId: String(row.decision_id),
      record: row.record,
      evidence: row.evidence ?? [],
    };
    const members = grouped.get(row.person_id);
    if (members) members.push(member);
    else grouped.set(row.person_id, [member]);
  }
  return grouped;
}

/** The identity issues of these persons; persons with none are absent from the map. */
export async function findIdentityIssuesOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, IdentityIssue[]>> {
  const grouped = new Map<string, IdentityIssue[]>();
  if (personIds.length === 0) return grouped;
  const rows = await executeSql<{
    person_id: string;
    kind: IdentityIssue["kind"];
    detail: string;
    match_probability: number | null;
    evidence: RecordCitation[];
  }>(
    executor,
    `SELECT person_id, kind, detail, match_probability, evidence FROM person_identity_issue
     WHERE person_id = ANY($1::text[]) ORDER BY person_id, kind, detail`,
    [personIds],
  );
  for (const row of rows) {
    const issue: IdentityIssue = {
      kind: row.kind,
      detail: row.detail,
      matchProbability: row.match_probability,
      evidence: row.evidence,
    };
    const issues = grouped.get(row.person_id);
    if (issues) issues.push(issue);
    else grouped.set(row.person_id, [issue]);
  }
  return grouped;
}
