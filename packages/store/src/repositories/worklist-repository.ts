import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../database-schema.ts";
import { jsonLines, jsonLinesOf } from "./json-lines.ts";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";
import { personConfidentialitySql } from "./redress-case-attributes.ts";

/** The columns a case list filter reads (the access layer renders its filter over them). */
export type CaseFilterColumns = {
  readonly office: RawBuilder<string>;
  readonly assignees: RawBuilder<string[]>;
  readonly confidentiality: RawBuilder<string[]>;
};

/** A list filter of the access layer over a person's case (`filter.toSql`). */
export type CaseFilter = (columns: CaseFilterColumns) => RawBuilder<SqlBool>;

// The case of the person in `personColumn`, with `case_assignment` joined as `a` (no row: no
// office, no assignees). The confidentiality flags are computed only if the filter reads them.
const caseColumnsOf = (personColumn: string): CaseFilterColumns => ({
  office: sql<string>`coalesce(a.office, '')`,
  assignees: sql<string[]>`coalesce(a.assignees, '{}'::text[])`,
  confidentiality: sql<string[]>`${sql.raw(personConfidentialitySql(personColumn))}`,
});

/** One row of the worklist projection: an actionable person, its tier and the stored explanation. */
export interface WorklistEntryRow {
  readonly personId: string;
  readonly tier: number;
  readonly tierLabel: string;
  readonly tierKind: string;
  readonly score: number;
  readonly orderFinalDate: string | null;
  readonly asOf: string;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyDigest: string;
  /** The policy package's `CaseExplanation`, as stored (replayable). */
  readonly explanation: unknown;
}

/** A supervisor's override of a policy outcome (never of a gate). */
export interface WorklistOverrideRow {
  readonly sequence: string;
  readonly personId: string;
  readonly policyDigest: string;
  /** The tier the policy gave when the override was made. */
  readonly originalTier: number;
  readonly tier: number;
  readonly reason: string;
  readonly overriddenBy: string;
  readonly overriddenAt: string;
}

/** A listed entry: the stored row and the override in force for it, if any. */
export interface ListedWorklistEntry extends WorklistEntryRow {
  readonly evaluatedAt: string;
  /** The override tier when one is in force, else the policy tier. */
  readonly effectiveTier: number;
  readonly override: WorklistOverrideRow | null;
}

const ENTRY_COLUMNS = [
  "person_id",
  "tier",
  "tier_label",
  "tier_kind",
  "score",
  "order_final_date",
  "as_of",
  "policy_id",
  "policy_version",
  "policy_digest",
  "explanation",
] as const;

/** Inserts or replaces these persons' entries in one set-based statement. */
export async function upsertWorklistEntries(
  executor: SqlExecutor,
  rows: readonly WorklistEntryRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await executeSql(
    executor,
    `INSERT INTO worklist_entry (${ENTRY_COLUMNS.join(", ")})
     SELECT ${ENTRY_COLUMNS.join(", ")}
     FROM ${jsonLinesOf("$1")} AS e(line, ordinal), jsonb_to_record(e.line) AS incoming(
       person_id text, tier int, tier_label text, tier_kind text, score float8, order_final_date date,
       as_of date, policy_id text, policy_version text, policy_digest text, explanation jsonb)
     ON CONFLICT (person_id) DO UPDATE SET
       ${ENTRY_COLUMNS.filter((column) => column !== "person_id")
         .map((column) => `${column} = EXCLUDED.${column}`)
         .join(", ")},
       evaluated_at = clock_timestamp()`,
    [
      jsonLines(
        rows.map((row) => ({
          person_id: row.personId,
          tier: row.tier,
          tier_label: row.tierLabel,
          tier_kind: row.tierKind,
          score: row.score,
          order_final_date: row.orderFinalDate,
          as_of: row.asOf,
          policy_id: row.policyId,
          policy_version: row.policyVersion,
          policy_digest: row.policyDigest,
          explanation: row.explanation,
        })),
      ),
    ],
  );
}

/** Removes these persons from the worklist (no longer actionable, or gone). */
export async function deleteWorklistEntries(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<void> {
  if (personIds.length === 0) return;
  await executeSql(executor, "DELETE FROM worklist_entry WHERE person_id = ANY($1::text[])", [personIds]);
}

/** Empties the projection (rebuild). */
export async function clearWorklist(executor: SqlExecutor): Promise<void> {
  await executeSql(executor, "DELETE FROM worklist_entry");
}

// The override in force for an entry: the latest one made under the same policy content for the
// same policy tier. A new policy, or new facts that move the policy tier, end it.
const LISTED_SELECT = `
  SELECT e.person_id, e.tier, e.tier_label, e.tier_kind, e.score,
         to_char(e.order_final_date, 'YYYY-MM-DD') AS order_final_date, to_char(e.as_of, 'YYYY-MM-DD') AS as_of,
         e.policy_id, e.policy_version, e.policy_digest, e.explanation, e.evaluated_at,
         o.sequence AS o_sequence, o.original_tier AS o_original_tier, o.tier AS o_tier, o.reason AS o_reason,
         o.overridden_by AS o_overridden_by, o.overridden_at AS o_overridden_at,
         coalesce(o.tier, e.tier) AS effective_tier
  FROM worklist_entry e
  LEFT JOIN LATERAL (
    SELECT * FROM worklist_override w
    WHERE w.person_id = e.person_id AND w.policy_digest = e.policy_digest AND w.original_tier = e.tier
    ORDER BY w.sequence DESC LIMIT 1
  ) o ON true`;

interface ListedRecord {
  person_id: string;
  tier: number;
  tier_label: string;
  tier_kind: string;
  score: number;
  order_final_date: string | null;
  as_of: string;
  policy_id: string;
  policy_version: string;
  policy_digest: string;
  explanation: unknown;
  evaluated_at: string | Date;
  o_sequence: string | null;
  o_original_tier: number | null;
  o_tier: number | null;
  o_reason: string | null;
  o_overridden_by: string | null;
  o_overridden_at: string | Date | null;
  effective_tier: number;
}

function toListed(row: ListedRecord): ListedWorklistEntry {
  return {
    personId: row.person_id,
    tier: row.tier,
    tierLabel: row.tier_label,
    tierKind: row.tier_kind,
    score: row.score,
    orderFinalDate: row.order_final_date,
    asOf: row.as_of,
    policyId: row.policy_id,
    policyVersion: row.policy_version,
    policyDigest: row.policy_digest,
    explanation: row.explanation,
    evaluatedAt: new Date(row.evaluated_at).toISOString(),
    effectiveTier: row.effective_tier,
    override:
      row.o_sequence === null
        ? null
        : {
            sequence: String(row.o_sequence),
            personId: row.person_id,
            policyDigest: row.policy_digest,
            originalTier: row.o_original_tier!,
            tier: row.o_tier!,
            reason: row.o_reason!,
            overriddenBy: row.o_overridden_by!,
            overriddenAt: new Date(row.o_overridden_at!).toISOString(),
          },
  };
}

export interface WorklistQuery {
  /** Only entries whose effective tier (override, else policy) is this one. */
  readonly tier?: number | undefined;
  /** Only entries whose case is assigned to this office (an office's worklist); absent: every office. */
  readonly office?: string | undefined;
  readonly limit: number;
  readonly offset: number;
}

/**
 * A page of the worklist sorted by effective tier, then age (oldest final order first, unknown
 * last), then person id; with the total count of entries matching the query (its tier and office).
 * Only entries whose person's case passes `filter` (the access layer's filter of `status.read`) are
 * listed or counted.
 */
export async function listWorklistEntries(
  db: Kysely<Database>,
  query: WorklistQuery,
  filter: CaseFilter,
): Promise<{ total: number; entries: ListedWorklistEntry[] }> {
  const tier = query.tier ?? null;
  const office = query.office ?? null;
  const matching = sql`
    FROM (${sql.raw(LISTED_SELECT)}) listed
    LEFT JOIN case_assignment a ON a.person_id = listed.person_id
    WHERE (${tier}::int IS NULL OR listed.effective_tier = ${tier}::int)
      AND (${office}::text IS NULL OR a.office = ${office}::text)
      AND ${filter(caseColumnsOf("listed.person_id"))}`;
  const rows = await sql<ListedRecord>`
    SELECT listed.* ${matching}
    ORDER BY listed.effective_tier, listed.order_final_date NULLS LAST, listed.person_id
    LIMIT ${query.limit} OFFSET ${query.offset}`.execute(db);
  const counted = await sql<{ total: string }>`SELECT count(*) AS total ${matching}`.execute(db);
  return { total: Number(counted.rows[0]?.total ?? 0), entries: rows.rows.map(toListed) };
}

/**
 * Those of `personIds` whose case passes `filter` (a person without a case assignment has no
 * office and no assignees), in no particular order.
 */
export async function filterPersonIds(
  db: Kysely<Database>,
  personIds: readonly string[],
  filter: CaseFilter,
): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const result = await sql<{ person_id: string }>`
    SELECT p.person_id FROM unnest(${[...personIds]}::text[]) AS p(person_id)
    LEFT JOIN case_assignment a ON a.person_id = p.person_id
    WHERE ${filter(caseColumnsOf("p.person_id"))}`.execute(db);
  return new Set(result.rows.map((row) => row.person_id));
}

/** One person's entry with the override in force, if the person is on the worklist. */
export async function findWorklistEntry(
  executor: SqlExecutor,
  personId: string,
): Promise<ListedWorklistEntry | undefined> {
  const rows = await executeSql<ListedRecord>(executor, `${LISTED_SELECT} WHERE e.person_id = $1`, [
    personId,
  ]);
  return rows[0] ? toListed(rows[0]) : undefined;
}

/** Appends an override (the table refuses updates and deletes). */
export async function insertWorklistOverride(
  executor: SqlExecutor,
  override: Omit<WorklistOverrideRow, "sequence" | "overriddenAt">,
): Promise<WorklistOverrideRow> {
  const rows = await executeSql<{ sequence: string; overridden_at: string | Date }>(
    executor,
    `INSERT INTO worklist_override (person_id, policy_digest, original_tier, tier, reason, overridden_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING sequence, overridden_at`,
    [
      override.personId,
      override.policyDigest,
      override.originalTier,
      override.tier,
      override.reason,
      override.overriddenBy,
    ],
  );
  return {
    ...override,
    sequence: String(rows[0]!.sequence),
    overriddenAt: new Date(rows[0]!.overridden_at).toISOString(),
  };
}

/** Every override ever made for a person, oldest first (history, including lapsed ones). */
export async function listWorklistOverrides(
  executor: SqlExecutor,
  personId: string,
): Promise<WorklistOverrideRow[]> {
  const rows = await executeSql<{
    sequence: string;
    person_id: string;
    policy_digest: string;
    original_tier: number;
    tier: number;
    reason: string;
    overridden_by: string;
    overridden_at: string | Date;
  }>(
    executor,
    `SELECT sequence, person_id, policy_digest, original_tier, tier, reason, overridden_by, overridden_at
     FROM worklist_override WHERE person_id = $1 ORDER BY sequence`,
    [personId],
  );
  return rows.map((row) => ({
    sequence: String(row.sequence),
    personId: row.person_id,
    policyDigest: row.policy_digest,
    originalTier: row.original_tier,
    tier: row.tier,
    reason: row.reason,
    overriddenBy: row.overridden_by,
    overriddenAt: new Date(row.overridden_at).toISOString(),
  }));
}

/** What the worklist and the transport planner read of a person's stored status (lifecycle projection). */
export interface StoredStatus {
  readonly personId: string;
  readonly actionable: boolean;
  readonly primaryState: string;
  /** core `PersonStatus` */
  readonly status: unknown;
  /** policy `GateEvaluation` as the lifecycle projection evaluated it */
  readonly gates: unknown;
}

interface StoredStatusRecord {
  person_id: string;
  actionable: boolean;
  primary_state: string;
  status: unknown;
  gates: unknown;
}

function toStoredStatus(row: StoredStatusRecord): StoredStatus {
  return {
    personId: row.person_id,
    actionable: row.actionable,
    primaryState: row.primary_state,
    status: row.status,
    gates: row.gates,
  };
}

/**
 * The stored statuses of these persons (absent: no status row). With `onlyActionable`, a status
 * that is not actionable is not read either: most changes a worklist sees take a person off it (a
 * departure), and each status is several kilobytes of JSON.
 */
export async function findStoredStatuses(
  executor: SqlExecutor,
  personIds: readonly string[],
  options: { readonly onlyActionable?: boolean } = {},
): Promise<Map<string, StoredStatus>> {
  if (personIds.length === 0) return new Map();
  const rows = await executeSql<StoredStatusRecord>(
    executor,
    `SELECT person_id, actionable, primary_state, status, gates FROM person_status
     WHERE person_id = ANY($1::text[])${options.onlyActionable ? " AND actionable" : ""}`,
    [personIds],
  );
  return new Map(rows.map((row) => [row.person_id, toStoredStatus(row)]));
}

/**
 * A page of actionable persons' stored statuses after `afterPersonId` in person-id order (keyset
 * paging: works inside one transaction, whatever the population).
 */
export async function findActionableStatusPage(
  executor: SqlExecutor,
  afterPersonId: string,
  limit: number,
  states?: readonly string[],
): Promise<StoredStatus[]> {
  const rows = await executeSql<StoredStatusRecord>(
    executor,
    `SELECT person_id, actionable, primary_state, status, gates FROM person_status
     WHERE actionable AND person_id > $1 AND ($3::text[] IS NULL OR primary_state = ANY($3::text[]))
     ORDER BY person_id LIMIT $2`,
    [afterPersonId, limit, states ?? null],
  );
  return rows.map(toStoredStatus);
}
