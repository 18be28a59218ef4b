import type { PersonStatus } from "@passage/core";
import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import pg from "pg";
import type { Database } from "../database-schema.ts";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";
import { isoTimestampSql } from "./record-queries.ts";

/**
 * The case attributes the access policies read on Person, Record, Status and RedressRequest
 * resources: the case's office and assigned users (`case_assignment`, none when absent) and its
 * confidentiality flags, derived from the records themselves so that no lagging projection can
 * expose a protected record: an I-589 or an asylum-type court case (AOC, WHO, CFR, RFR, or asylum,
 * withholding or CAT relief) gives `asylum` (8 CFR 208.6); I-914, I-918 and I-360 give `vawa1367`
 * (8 U.S.C. 1367), the same evidence the lifecycle's confidentiality overlays cite.
 */
export interface CaseAttributeRow {
  readonly office: string;
  readonly assignees: string[];
  readonly confidentiality: string[];
}

/** The confidentiality flags of one source record row aliased `r`, as a SQL `text[]` expression. */
export const RECORD_CONFIDENTIALITY_SQL = `
  CASE
    WHEN r.feed = 'benefit' AND r.fields->>'form_type' = 'I-589' THEN ARRAY['asylum']
    WHEN r.feed = 'benefit' AND r.fields->>'form_type' IN ('I-914', 'I-918', 'I-360') THEN ARRAY['vawa1367']
    WHEN r.feed = 'court' AND (upper(coalesce(r.fields->>'case_type', '')) IN ('AOC', 'WHO', 'CFR', 'RFR')
      OR lower(coalesce(r.fields->>'relief_type', '')) ~ '^(asylum|withholding|cat)([^a-z]|$)') THEN ARRAY['asylum']
    ELSE ARRAY[]::text[]
  END`;

/** The feeds RECORD_CONFIDENTIALITY_SQL can flag, as a SQL list: a flagged record is of one of them. */
export const FLAGGABLE_FEEDS_SQL = "('benefit', 'court')";

/**
 * The confidentiality flags of a person's records, as a SQL `text[]` expression over a person id
 * column (a case's flags are the union of its records'). The feed condition is on `r`, not on the
 * member: there the planner may AND the person's few members with every benefit and court member
 * of the primary key index (thousands of entries) before statistics exist.
 */
export function personConfidentialitySql(personColumn: string): string {
  return `ARRAY(
    SELECT DISTINCT flag FROM person_member cm
    JOIN source_record r ON r.feed = cm.feed AND r.key_value = cm.key_value
    CROSS JOIN LATERAL unnest(${RECORD_CONFIDENTIALITY_SQL}) AS flag
    WHERE cm.person_id = ${personColumn} AND r.feed IN ${FLAGGABLE_FEEDS_SQL}
    ORDER BY flag)`;
}

/** The case attributes of these persons; persons that do not exist are absent. */
export async function findCaseAttributes(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, CaseAttributeRow>> {
  if (personIds.length === 0) return new Map();
  const rows = await executeSql<{ person_id: string } & CaseAttributeRow>(
    executor,
    `SELECT p.person_id, coalesce(a.office, '') AS office, coalesce(a.assignees, '{}') AS assignees,
            ${personConfidentialitySql("p.person_id")} AS confidentiality
     FROM person p LEFT JOIN case_assignment a ON a.person_id = p.person_id
     WHERE p.person_id = ANY($1::text[])`,
    [personIds],
  );
  return new Map(
    rows.map((row) => [
      row.person_id,
      { office: row.office, assignees: row.assignees, confidentiality: row.confidentiality },
    ]),
  );
}

/**
 * The flagged records of these persons (those whose confidentiality is not empty), as
 * `feed:recordKey` per person: what a reader without the need may not see cited. One statement
 * for a page of persons; a person without a flagged record is absent.
 */
export async function findFlaggedRecords(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const flagged = new Map<string, Set<string>>();
  if (personIds.length === 0) return flagged;
  const rows = await executeSql<{ person_id: string; record: string }>(
    executor,
    `SELECT DISTINCT m.person_id, r.feed || ':' || r.record_key AS record
     FROM person_member m
     JOIN source_record r ON r.feed = m.feed AND r.key_value = m.key_value
     WHERE m.person_id = ANY($1::text[]) AND r.feed IN ${FLAGGABLE_FEEDS_SQL}
       AND cardinality(${RECORD_CONFIDENTIALITY_SQL}) > 0`,
    [personIds],
  );
  for (const row of rows) {
    const records = flagged.get(row.person_id) ?? new Set<string>();
    records.add(row.record);
    flagged.set(row.person_id, records);
  }
  return flagged;
}

/**
 * The confidentiality flags of a record, over all its versions: none for an unflaggable feed.
 * `key` is the record's key value (`FEED:KEY`, every record key under it) or one record key
 * (`KEY|SECOND` of a feed whose rows carry a second key field: benefit, custody, travel_document),
 * as a correction names what it wrote.
 */
export async function findRecordConfidentiality(
  executor: SqlExecutor,
  feed: string,
  key: string,
): Promise<string[]> {
  const rows = await executeSql<{ flag: string }>(
    executor,
    `SELECT DISTINCT flag FROM source_record r CROSS JOIN LATERAL unnest(${RECORD_CONFIDENTIALITY_SQL}) AS flag
     WHERE r.feed = $1 AND r.key_value IN ($2, split_part($2, '|', 1))
       AND (r.key_value = $2 OR r.record_key = $2) AND r.feed IN ${FLAGGABLE_FEEDS_SQL} ORDER BY flag`,
    [feed, key],
  );
  return rows.map((row) => row.flag);
}

/** Sets the office and assigned users of a person's case. */
export async function setCaseAssignment(
  executor: SqlExecutor,
  assignment: { personId: string; office: string; assignees: readonly string[]; updatedBy: string },
): Promise<void> {
  await executeSql(
    executor,
    `INSERT INTO case_assignment (person_id, office, assignees, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (person_id) DO UPDATE SET office = EXCLUDED.office, assignees = EXCLUDED.assignees,
       updated_by = EXCLUDED.updated_by, updated_at = clock_timestamp()`,
    [assignment.personId, assignment.office, [...assignment.assignees], assignment.updatedBy],
  );
}

/**
 * Assigns to `office` every person without a case assignment whose id hashes to it among
 * `offices` (PostgreSQL's hashtext: the same office on every run), naming `assignee` on one such
 * case in `assigneeEvery` (and on the office's first case when the hash picked none). Returns how many cases it assigned. For a synthetic population, whose
 * records name no office: its staff then have cases of their own office, and some assigned.
 */
export async function assignUnassignedCases(
  executor: SqlExecutor,
  options: {
    readonly offices: readonly string[];
    readonly office: string;
    readonly assignee?: { readonly username: string; readonly every: number } | undefined;
    readonly updatedBy: string;
  },
): Promise<number> {
  if (!options.offices.includes(options.office)) {
    throw new Error(`office ${options.office} is not one of ${options.offices.join(", ")}`);
  }
  const rows = await executeSql<{ count: number }>(
    executor,
    `WITH assigned AS (
       INSERT INTO case_assignment (person_id, office, assignees, updated_by)
       SELECT p.person_id, $2::text,
              CASE WHEN $3::text IS NOT NULL AND abs(hashtext(p.person_id || ':assignee')::bigint) % $4::int = 0
                   THEN ARRAY[$3::text] ELSE '{}'::text[] END,
              $5::text
       FROM person p
       WHERE ($1::text[])[(1 + abs(hashtext(p.person_id)::bigint) % cardinality($1::text[]))::int] = $2::text
         AND NOT EXISTS (SELECT 1 FROM case_assignment a WHERE a.person_id = p.person_id)
       ON CONFLICT (person_id) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS count FROM assigned`,
    [
      [...options.offices],
      options.office,
      options.assignee?.username ?? null,
      options.assignee?.every ?? 1,
      options.updatedBy,
    ],
  );
  if (options.assignee !== undefined) {
    // One in `every` by hash can be none of a small office's cases: the assignee then gets the first.
    await executeSql(
      executor,
      `UPDATE case_assignment SET assignees = ARRAY[$2::text]
       WHERE person_id = (SELECT min(person_id) FROM case_assignment WHERE office = $1::text)
         AND NOT EXISTS (SELECT 1 FROM case_assignment WHERE office = $1::text AND $2::text = ANY (assignees))`,
      [options.office, options.assignee.username],
    );
  }
  return rows[0]!.count;
}

/** One version of a record of a person, with its provenance and confidentiality flags. */
export interface PersonRecordRow {
  readonly id: string;
  readonly feed: string;
  readonly keyValue: string;
  readonly recordKey: string;
  readonly version: number;
  readonly latest: boolean;
  readonly fields: Record<string, unknown>;
  readonly warnings: unknown[];
  readonly sourceKind: string;
  readonly sourceName: string;
  readonly sourceRow: number | null;
  readonly receivedAt: string;
  readonly recordedAt: string;
  readonly confidentiality: string[];
}

/**
 * Every version of every record of a person that the access filter lets through. The filter is
 * rendered by the access layer over the columns `office`, `assignees` and `confidentiality`
 * (the record's own flags; office and assignees are the case's).
 */
export async function listRecordsOfPerson(
  db: Kysely<Database>,
  personId: string,
  filter: (columns: {
    office: RawBuilder<string>;
    assignees: RawBuilder<string[]>;
    confidentiality: RawBuilder<string[]>;
  }) => RawBuilder<SqlBool>,
): Promise<PersonRecordRow[]> {
  const condition = filter({
    office: sql<string>`coalesce(a.office, '')`,
    assignees: sql<string[]>`coalesce(a.assignees, '{}'::text[])`,
    confidentiality: sql<string[]>`(${sql.raw(RECORD_CONFIDENTIALITY_SQL)})`,
  });
  const result = await sql<{
    id: string;
    feed: string;
    key_value: string;
    record_key: string;
    version: number;
    latest: boolean;
    fields: Record<string, unknown>;
    warnings: unknown[];
    source_kind: string;
    source_name: string;
    source_row: number | null;
    received_at: Date;
    recorded_at: Date;
    confidentiality: string[];
  }>`
    SELECT r.id::text AS id, r.feed, r.key_value, r.record_key, r.version,
           r.version = max(r.version) OVER (PARTITION BY r.feed, r.record_key) AS latest,
           r.fields, r.warnings, r.source_kind, r.source_name, r.source_row, r.received_at, r.recorded_at,
           ${sql.raw(RECORD_CONFIDENTIALITY_SQL)} AS confidentiality
    FROM person_member m
    JOIN source_record r ON r.feed = m.feed AND r.key_value = m.key_value
    LEFT JOIN case_assignment a ON a.person_id = m.person_id
    WHERE m.person_id = ${personId} AND ${condition}
    ORDER BY r.feed, r.record_key, r.version`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    feed: row.feed,
    keyValue: row.key_value,
    recordKey: row.record_key,
    version: row.version,
    latest: row.latest,
    fields: row.fields,
    warnings: row.warnings,
    sourceKind: row.source_kind,
    sourceName: row.source_name,
    sourceRow: row.source_row,
    receivedAt: new Date(row.received_at).toISOString(),
    recordedAt: new Date(row.recorded_at).toISOString(),
    confidentiality: row.confidentiality,
  }));
}

/** Whether a person exists. */
export async function personExists(executor: SqlExecutor, personId: string): Promise<boolean> {
  const rows = await executeSql(executor, "SELECT 1 FROM person WHERE person_id = $1", [personId]);
  return rows.length > 0;
}

/** A record of a person as the person view shows it: its latest version, with its confidentiality flags. */
export interface PersonCaseRecord {
  readonly feed: string;
  readonly recordKey: string;
  readonly version: number;
  readonly recordedAt: string;
  readonly fields: Record<string, unknown>;
  readonly confidentiality: string[];
}

/** What the person view reads, in one round trip: case attributes, latest records, the status headline. */
export interface PersonCaseRow {
  readonly attributes: CaseAttributeRow;
  /** The latest version of each record, in feed and record key order. */
  readonly records: PersonCaseRecord[];
  /** The lifecycle projection's row, the parts a person view shows (absent before the first derivation). */
  readonly status:
    | {
        readonly asOf: string;
        readonly actionable: boolean;
        readonly gatesHolding: string[];
        readonly status: { state?: unknown; overlays?: unknown; blockers?: unknown; evidence?: unknown };
        readonly gates: unknown;
      }
    | undefined;
}

// Whether a person view shows each part of a stored status (every part named, so a part added to
// PersonStatus must be decided here). The status is stored out of line: taking the shown parts one
// by one (`status->'state'` and so on) read it from its chunks once for each part, removing the
// others reads it once.
const STATUS_PART_SHOWN: Readonly<Record<keyof PersonStatus, boolean>> = {
  state: true,
  overlays: true,
  blockers: true,
  evidence: true,
  facts: false,
  timeline: false,
  gateInputs: false,
  policyConsiderations: false,
  asOf: false,
  knownAt: false,
  finalOrderExecutable: false,
  nextChangeOn: false,
};
const STATUS_PARTS_NOT_SHOWN = `{${Object.entries(STATUS_PART_SHOWN)
  .filter(([, shown]) => !shown)
  .map(([part]) => part)
  .join(",")}}`;

// Every version of every record of the person, newest first within a record: one pass over the
// person's records gives both the latest versions the view shows and the case's confidentiality
// flags, which (as in findCaseAttributes) come from every version. A second join for the flags and
// a DISTINCT ON for the latest versions cost the database more than the whole rest of the read.
const FIND_PERSON_CASES_SQL = `SELECT p.person_id, coalesce(a.office, '') AS office, coalesce(a.assignees, '{}') AS assignees,
       (SELECT coalesce(json_agg(json_build_object('feed', r.feed, 'record_key', r.record_key, 'version', r.version,
            'recorded_at', ${isoTimestampSql("r.recorded_at")}, 'fields', r.fields, 'confidentiality', ${RECORD_CONFIDENTIALITY_SQL})
            ORDER BY r.feed, r.record_key, r.version DESC), '[]'::json)
        FROM person_member m JOIN source_record r ON r.feed = m.feed AND r.key_value = m.key_value
        WHERE m.person_id = p.person_id) AS versions,
       (SELECT json_build_object('asOf', s.as_of, 'actionable', s.actionable, 'gatesHolding', s.gates_holding,
          'status', s.status - '${STATUS_PARTS_NOT_SHOWN}'::text[], 'gates', s.gates)
        FROM person_status s WHERE s.person_id = p.person_id) AS status
     FROM person p LEFT JOIN case_assignment a ON a.person_id = p.person_id
     WHERE p.person_id = ANY($1::text[])`;

interface StoredVersion {
  readonly feed: string;
  readonly record_key: string;
  readonly version: number;
  /** As `Date#toISOString` writes it (isoTimestampSql). */
  readonly recorded_at: string;
  readonly fields: Record<string, unknown>;
  readonly confidentiality: string[];
}

/**
 * The person view's data of these persons in one statement (the hot read of the API, for reads
 * that arrive together); persons that do not exist are absent. A named statement, parsed once per
 * connection; planned once per connection only on `createPersonCaseReads`' connections (see there).
 */
export async function findPersonCases(
  executor: pg.Pool | pg.ClientBase,
  personIds: readonly string[],
): Promise<Map<string, PersonCaseRow>> {
  if (personIds.length === 0) return new Map();
  const result = await executor.query<{
    person_id: string;
    office: string;
    assignees: string[];
    versions: StoredVersion[];
    status: PersonCaseRow["status"] | null;
  }>({ name: "passage.find_person_cases", text: FIND_PERSON_CASES_SQL, values: [personIds] });
  const cases = new Map<string, PersonCaseRow>();
  for (const row of result.rows) {
    const records: PersonCaseRecord[] = [];
    const flags = new Set<string>();
    let previous: StoredVersion | undefined;
    for (const version of row.versions) {
      for (const flag of version.confidentiality) flags.add(flag);
      // Versions come newest first within a record: the first of each record is its latest.
      if (previous?.feed !== version.feed || previous.record_key !== version.record_key) {
        records.push({
          feed: version.feed,
          recordKey: version.record_key,
          version: version.version,
          recordedAt: version.recorded_at,
          fields: version.fields,
          confidentiality: version.confidentiality,
        });
      }
      previous = version;
    }
    cases.set(row.person_id, {
      attributes: { office: row.office, assignees: row.assignees, confidentiality: [...flags].sort() },
      records,
      status: row.status ?? undefined,
    });
  }
  return cases;
}

/** Person view reads on connections of their own (see `createPersonCaseReads`). */
export interface PersonCaseReads {
  /** `findPersonCases` on these connections. */
  find(personIds: readonly string[]): Promise<Map<string, PersonCaseRow>>;
  /** Ends the connections. */
  close(): Promise<void>;
}

/**
 * `findPersonCases` on `connections` connections of their own, opened as `pool`'s are, on which
 * PostgreSQL always runs the statement's generic plan. Its parameter is a list of persons, and the
 * generic plan is costed for ten: a shorter list's own plan always looked cheaper, so every read
 * was planned anew, and planning this statement costs more than running it (one person: 0.6 ms of
 * PostgreSQL CPU instead of 0.23). The generic plan is the plan a short list gets anyway (index
 * lookups by person id). Other statements keep PostgreSQL's choice: none run on these connections.
 */
export function createPersonCaseReads(pool: pg.Pool, connections: number): PersonCaseReads {
  const own = new pg.Pool({
    ...pool.options,
    max: connections,
    allowExitOnIdle: true,
    options: "-c plan_cache_mode=force_generic_plan",
  });
  // An idle connection's error (the server stopped) must not crash the process.
  own.on("error", () => undefined);
  return { find: (personIds) => findPersonCases(own, personIds), close: () => own.end() };
}
