import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/** One raw count of an oversight table, before small-cell suppression. */
export interface CountRow {
  readonly key: string;
  readonly count: number;
}

async function counts(executor: SqlExecutor, text: string): Promise<CountRow[]> {
  const rows = await executeSql<{ key: string; count: string | number }>(executor, text);
  return rows.map((row) => ({ key: row.key, count: Number(row.count) }));
}

/** Persons by primary state (the lifecycle projection). */
export function countCasesByState(executor: SqlExecutor): Promise<CountRow[]> {
  return counts(executor, "SELECT primary_state AS key, count(*) FROM person_status GROUP BY 1 ORDER BY 1");
}

/** Counts of one oversight table where a person may be in several cells, and the persons it counts, once each. */
export interface PersonCounts {
  readonly rows: CountRow[];
  readonly persons: number;
}

async function personCounts(executor: SqlExecutor, perPerson: string): Promise<PersonCounts> {
  const [rows, persons] = await Promise.all([
    counts(
      executor,
      `SELECT key, count(DISTINCT person_id) FROM (${perPerson}) AS held GROUP BY 1 ORDER BY 1`,
    ),
    executeSql<{ persons: string | number }>(
      executor,
      `SELECT count(DISTINCT person_id) AS persons FROM (${perPerson}) AS held`,
    ),
  ]);
  return { rows, persons: Number(persons[0]!.persons) };
}

/**
 * Persons with a removal order (primary state FINAL_ORDER or REMOVAL_IN_PROGRESS, DOMAIN.md §8) whom
 * a due-process gate keeps off every actionable list, by gate. The gates include the blockers of
 * DOMAIN.md §1.9 (stays, TPS, motions to reopen...): an order is not executable while one holds, so
 * the population is the order, not `final_order_executable`, which a blocker makes false.
 */
export function countGatesHolding(executor: SqlExecutor): Promise<PersonCounts> {
  return personCounts(
    executor,
    `SELECT person_id, gate AS key FROM person_status CROSS JOIN LATERAL unnest(gates_holding) AS gate
     WHERE primary_state IN ('FINAL_ORDER', 'REMOVAL_IN_PROGRESS') AND NOT actionable`,
  );
}

/**
 * Persons struck from frozen manifests, by reason: a person struck from several manifests for one
 * reason counts once under it, and once in `persons`.
 */
export function countManifestStrikes(executor: SqlExecutor): Promise<PersonCounts> {
  return personCounts(
    executor,
    `SELECT person_id, strike_reason AS key FROM transport_manifest_entry WHERE struck_at IS NOT NULL`,
  );
}

/** Supervisor overrides of policy outcomes: raised (to a more urgent tier) or lowered. */
export function countOverrides(executor: SqlExecutor): Promise<CountRow[]> {
  return counts(
    executor,
    `SELECT CASE WHEN tier < original_tier THEN 'raised' ELSE 'lowered' END AS key, count(*)
     FROM worklist_override GROUP BY 1 ORDER BY 1`,
  );
}

/** Redress requests by kind and outcome (`open` while unresolved). */
export function countRedressOutcomes(executor: SqlExecutor): Promise<CountRow[]> {
  return counts(
    executor,
    `SELECT kind || ':' || coalesce(outcome, 'open') AS key, count(*) FROM redress_request GROUP BY 1 ORDER BY 1`,
  );
}

/** Link review items by outcome: accepted (one person), rejected (cannot-link), unsure, open, superseded. */
export function countLinkReviewOutcomes(executor: SqlExecutor): Promise<CountRow[]> {
  return counts(
    executor,
    `SELECT CASE status WHEN 'decided' THEN outcome ELSE status END AS key, count(*) FROM linkage_review
     GROUP BY 1 ORDER BY 1`,
  );
}

/** Days from filing to resolution of every resolved request, by kind (for medians). */
export async function findRedressResolutionDays(executor: SqlExecutor): Promise<Map<string, number[]>> {
  const rows = await executeSql<{ kind: string; days: number }>(
    executor,
    `SELECT kind, extract(epoch FROM resolved_at - filed_at) / 86400.0 AS days
     FROM redress_request WHERE resolved_at IS NOT NULL ORDER BY kind, days`,
  );
  const grouped = new Map<string, number[]>();
  for (const row of rows) {
    const list = grouped.get(row.kind) ?? [];
    list.push(Number(row.days));
    grouped.set(row.kind, list);
  }
  return grouped;
}

/**
 * Every policy activation, in order, and whether it is the one in force (public by design: policies
 * are published).
 */
export async function findPolicyActivations(executor: SqlExecutor): Promise<
  {
    policyId: string;
    version: string;
    digest: string;
    activatedAt: string;
    active: boolean;
    reason: string;
  }[]
> {
  const rows = await executeSql<{
    policy_id: string;
    version: string;
    digest: string;
    activated_at: string;
    active: boolean;
    reason: string;
  }>(
    executor,
    // In force: the latest activation, of the version active now; an earlier activation of that
    // same version was replaced by the one after it.
    `SELECT a.policy_id, a.version, a.digest, a.activated_at,
            v.active AND a.sequence = (SELECT max(sequence) FROM policy_activation) AS active, a.reason
     FROM policy_activation a JOIN policy_version v ON v.digest = a.digest
     ORDER BY a.sequence`,
  );
  return rows.map((row) => ({
    policyId: row.policy_id,
    version: row.version,
    digest: row.digest,
    activatedAt: new Date(row.activated_at).toISOString(),
    active: row.active,
    reason: row.reason,
  }));
}

/**
 * The number of stored record versions, from the planner's statistics for the largest table (an
 * exact count would scan it on every scrape of /metrics).
 */
export async function estimatedRecordCount(executor: SqlExecutor): Promise<number> {
  const rows = await executeSql<{ records: string | number }>(
    executor,
    "SELECT greatest((SELECT reltuples FROM pg_class WHERE oid = 'source_record'::regclass), 0)::bigint AS records",
  );
  return Number(rows[0]!.records);
}
