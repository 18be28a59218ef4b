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

/**
 * Inserts or replaces these persons' entries in one set-based statement, which also appends to
 * `worklist_history` a `ranked` row for each entry that is new or whose stored content (policy,
 * tier, label, score, dates, explanation) changes: a re-evaluation to the same content appends
 * nothing. The rows compared are read in the statement's own snapshot, before its upsert.
 */
export async function upsertWorklistEntries(
  executor: SqlExecutor,
  rows: readonly WorklistEntryRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const content = ENTRY_COLUMNS.filter((column) => column !== "person_id");
  await executeSql(
    executor,
    `WITH incoming AS MATERIALIZED (
       SELECT ${ENTRY_COLUMNS.map((column) => `incoming.${column}`).join(", ")}
       FROM ${jsonLinesOf("$1")} AS e(line, ordinal), jsonb_to_record(e.line) AS incoming(
         person_id text, tier int, tier_label text, tier_kind text, score float8, order_final_date date,
         as_of date, policy_id text, policy_version text, policy_digest text, explanation jsonb)
     ),
     changed AS (
       SELECT i.* FROM incoming i LEFT JOIN worklist_entry e ON e.person_id = i.person_id
       WHERE e.person_id IS NULL
          OR (${content.map((column) => `e.${column}`).join(", ")})
             IS DISTINCT FROM (${content.map((column) => `i.${column}`).join(", ")})
     ),
     upserted AS (
       INSERT INTO worklist_entry (${ENTRY_COLUMNS.join(", ")})
       SELECT ${ENTRY_COLUMNS.join(", ")} FROM incoming
       ON CONFLICT (person_id) DO UPDATE SET
         ${content.map((column) => `${column} = EXCLUDED.${column}`).join(", ")},
         evaluated_at = clock_timestamp()
     )
     ${rankedHistoryRowsOf("changed")}
     ORDER BY r.person_id`,
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

/**
 * The INSERT of `ranked` history rows from a relation of worklist entries (`source`, aliased `r`),
 * each with the tier in force: the latest override for its digest and tier, else its tier. The one
 * statement both the entry upsert and an override append through.
 */
function rankedHistoryRowsOf(source: string): string {
  return `INSERT INTO worklist_history (person_id, change, policy_id, policy_version, policy_digest, tier,
       tier_label, effective_tier, score, order_final_date, as_of, explanation)
     SELECT r.person_id, 'ranked', r.policy_id, r.policy_version, r.policy_digest, r.tier, r.tier_label,
            coalesce(o.tier, r.tier), r.score, r.order_final_date, r.as_of, r.explanation
     FROM ${source} r
     LEFT JOIN LATERAL (
       SELECT w.tier FROM worklist_override w
       WHERE w.person_id = r.person_id AND w.policy_digest = r.policy_digest AND w.original_tier = r.tier
       ORDER BY w.sequence DESC LIMIT 1
     ) o ON true`;
}

/**
 * Appends to `worklist_history` a `ranked` row of a person's entry as it stands, with the tier in
 * force (the override for its digest and tier, else the tier): after an override, which changes
 * the tier in force without rewriting the entry. Nothing when the person is not listed.
 */
export async function recordWorklistEntryInForce(executor: SqlExecutor, personId: string): Promise<void> {
  await executeSql(
    executor,
    `${rankedHistoryRowsOf("worklist_entry")}
     WHERE r.person_id = $1`,
    [personId],
  );
}

/** The policy a removal was evaluated under (the active one when the person left). */
export interface WorklistPolicyReference {
  readonly id: string;
  readonly version: string;
  readonly digest: string;
}

/**
 * Which entries to remove: these persons, or (a rebuild's page) every entry whose person id is
 * after `after` and up to `through` (null: no upper bound) but the persons in `keep`.
 */
export type WorklistRemovalSelection =
  | { readonly personIds: readonly string[] }
  | { readonly after: string; readonly through: string | null; readonly keep: readonly string[] };

/**
 * The persons of `selection` (a list of persons, or a rebuild page's removal range) that have an
 * entry now, in person-id order: those a removal of `selection` would take off the worklist.
 */
export async function findListedPersonIds(
  executor: SqlExecutor,
  selection: readonly string[] | WorklistRemovalSelection,
): Promise<string[]> {
  const chosen = Array.isArray(selection)
    ? { personIds: selection }
    : (selection as WorklistRemovalSelection);
  if ("personIds" in chosen && chosen.personIds.length === 0) return [];
  const rows =
    "personIds" in chosen
      ? await executeSql<{ person_id: string }>(
          executor,
          "SELECT person_id FROM worklist_entry WHERE person_id = ANY($1::text[]) ORDER BY person_id",
          [chosen.personIds],
        )
      : await executeSql<{ person_id: string }>(
          executor,
          `SELECT person_id FROM worklist_entry
           WHERE person_id > $1 AND ($2::text IS NULL OR person_id <= $2::text) AND person_id <> ALL($3::text[])
           ORDER BY person_id`,
          [chosen.after, chosen.through, chosen.keep],
        );
  return rows.map((row) => row.person_id);
}

/**
 * Removes entries from the worklist (no longer actionable, gated, or gone), appending to
 * `worklist_history` a `removed` row for each entry that was there, in the same transaction: why
 * (`gated` when `gatedExplanations` has the person's explanation, which is kept with the row; else
 * `not_actionable` or, without a status row, `no_status`) and the policy it was evaluated under.
 * One statement when nothing was listed; two when something left. Returns how many left.
 */
export async function deleteWorklistEntries(
  executor: SqlExecutor,
  selection: WorklistRemovalSelection,
  policy: WorklistPolicyReference,
  gatedExplanations: ReadonlyMap<string, unknown> = new Map(),
): Promise<number> {
  const removed =
    "personIds" in selection
      ? selection.personIds.length === 0
        ? []
        : await executeSql<{ person_id: string }>(
            executor,
            "DELETE FROM worklist_entry WHERE person_id = ANY($1::text[]) RETURNING person_id",
            [selection.personIds],
          )
      : await executeSql<{ person_id: string }>(
          executor,
          `DELETE FROM worklist_entry
           WHERE person_id > $1 AND ($2::text IS NULL OR person_id <= $2::text) AND person_id <> ALL($3::text[])
           RETURNING person_id`,
          [selection.after, selection.through, selection.keep],
        );
  if (removed.length === 0) return 0;
  const personIds = removed.map((row) => row.person_id).sort();
  await executeSql(
    executor,
    `INSERT INTO worklist_history (person_id, change, reason, policy_id, policy_version, policy_digest, explanation)
     SELECT r.person_id, 'removed',
            CASE WHEN g.line IS NOT NULL THEN 'gated' WHEN s.person_id IS NULL THEN 'no_status' ELSE 'not_actionable' END,
            $3, $4, $5, g.line
     FROM unnest($1::text[]) WITH ORDINALITY AS r(person_id, ordinal)
     LEFT JOIN ${jsonLinesOf("$2")} AS g(line, ordinal) ON g.ordinal = r.ordinal AND g.line <> 'null'::jsonb
     LEFT JOIN person_status s ON s.person_id = r.person_id
     ORDER BY r.ordinal`,
    [
      personIds,
      jsonLines(personIds.map((personId) => gatedExplanations.get(personId) ?? null)),
      policy.id,
      policy.version,
      policy.digest,
    ],
  );
  return removed.length;
}

/** One row of a person's ranking history (`worklist_history`). */
export interface WorklistHistoryRow {
  readonly sequence: string;
  readonly personId: string;
  /**
   * `ranked`: an entry written with new content, or the tier in force changed by an override;
   * `removed`: the person left the worklist.
   */
  readonly change: "ranked" | "removed";
  /** Why a removed person left (`gated`, `not_actionable`, `no_status`); null for `ranked`. */
  readonly reason: "gated" | "not_actionable" | "no_status" | null;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyDigest: string;
  readonly tier: number | null;
  readonly tierLabel: string | null;
  /** The override in force when the row was written (same digest and tier), else `tier`. */
  readonly effectiveTier: number | null;
  readonly score: number | null;
  readonly orderFinalDate: string | null;
  readonly asOf: string | null;
  /** The `CaseExplanation` as stored (a `gated` removal's: the gates that held); else null. */
  readonly explanation: unknown;
  readonly recordedAt: string;
}

/** A page of a person's ranking history, newest first, with the count of all its rows. */
export async function listWorklistHistory(
  executor: SqlExecutor,
  personId: string,
  page: { readonly limit: number; readonly offset: number },
): Promise<{ total: number; rows: WorklistHistoryRow[] }> {
  const rows = await executeSql<{
    sequence: string;
    person_id: string;
    change: "ranked" | "removed";
    reason: WorklistHistoryRow["reason"];
    policy_id: string;
    policy_version: string;
    policy_digest: string;
    tier: number | null;
    tier_label: string | null;
    effective_tier: number | null;
    score: number | null;
    order_final_date: string | null;
    as_of: string | null;
    explanation: unknown;
    recorded_at: string | Date;
    total: string;
  }>(
    executor,
    `SELECT sequence, person_id, change, reason, policy_id, policy_version, policy_digest, tier, tier_label,
            effective_tier, score, to_char(order_final_date, 'YYYY-MM-DD') AS order_final_date,
            to_char(as_of, 'YYYY-MM-DD') AS as_of, explanation, recorded_at, count(*) OVER () AS total
     FROM worklist_history WHERE person_id = $1 ORDER BY sequence DESC LIMIT $2 OFFSET $3`,
    [personId, page.limit, page.offset],
  );
  const total =
    rows[0] !== undefined
      ? Number(rows[0].total)
      : Number(
          (
            await executeSql<{ total: string }>(
              executor,
              "SELECT count(*) AS total FROM worklist_history WHERE person_id = $1",
              [personId],
            )
          )[0]?.total ?? 0,
        );
  return {
    total,
    rows: rows.map((row) => ({
      sequence: String(row.sequence),
      personId: row.person_id,
      change: row.change,
      reason: row.reason,
      policyId: row.policy_id,
      policyVersion: row.policy_version,
      policyDigest: row.policy_digest,
      tier: row.tier,
      tierLabel: row.tier_label,
      effectiveTier: row.effective_tier,
      score: row.score,
      orderFinalDate: row.order_final_date,
      asOf: row.as_of,
      explanation: row.explanation,
      recordedAt: new Date(row.recorded_at).toISOString(),
    })),
  };
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
