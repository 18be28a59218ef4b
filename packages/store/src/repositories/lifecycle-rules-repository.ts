import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/** The lifecycle rules the statuses in `person_status` were derived with (migration 0069). */
export interface RecordedLifecycleRules {
  readonly digest: string;
  /** `rebuild`: set by `passage rebuild`; `first_derivation`: by the first derivation of a database with none recorded. */
  readonly recordedBy: "rebuild" | "first_derivation";
  readonly recordedAt: string;
}

/**
 * The rules recorded, recording `digest` and `rules` first when there are none (a fresh database):
 * one small read when some are recorded. Run in the transaction that writes statuses, after it
 * has read `person_status` (see `LifecycleRulesInForce`).
 */
export async function findOrRecordLifecycleRules(
  executor: SqlExecutor,
  digest: string,
  rules: unknown,
): Promise<RecordedLifecycleRules> {
  const recorded = await findRecordedLifecycleRules(executor);
  if (recorded) return recorded;
  await executeSql(
    executor,
    `INSERT INTO lifecycle_rules_in_force (rules_digest, rules, recorded_by) VALUES ($1, $2::jsonb, 'first_derivation')
     ON CONFLICT (singleton) DO NOTHING`,
    [digest, JSON.stringify(rules)],
  );
  return (await findRecordedLifecycleRules(executor))!;
}

/** The rules recorded, or undefined when none are (a database no derivation has written to yet). */
export async function findRecordedLifecycleRules(
  executor: SqlExecutor,
): Promise<RecordedLifecycleRules | undefined> {
  const rows = await executeSql<{ rules_digest: string; recorded_by: string; recorded_at: Date | string }>(
    executor,
    "SELECT rules_digest, recorded_by, recorded_at FROM lifecycle_rules_in_force",
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    digest: row.rules_digest,
    recordedBy: row.recorded_by as RecordedLifecycleRules["recordedBy"],
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

/** The rules recorded in force, as JSON (about 4 KB: read only when their digest differs from a process's). */
export async function findRecordedLifecycleRulesContent(executor: SqlExecutor): Promise<unknown> {
  const rows = await executeSql<{ rules: unknown }>(executor, "SELECT rules FROM lifecycle_rules_in_force");
  return rows[0]?.rules;
}

/** Records the rules a rebuild derived every status with, in the transaction that swaps them in. */
export async function recordRebuiltLifecycleRules(
  executor: SqlExecutor,
  digest: string,
  rules: unknown,
): Promise<void> {
  await executeSql(
    executor,
    `INSERT INTO lifecycle_rules_in_force (rules_digest, rules, recorded_by) VALUES ($1, $2::jsonb, 'rebuild')
     ON CONFLICT (singleton) DO UPDATE
       SET rules_digest = excluded.rules_digest, rules = excluded.rules, recorded_by = 'rebuild', recorded_at = now()`,
    [digest, JSON.stringify(rules)],
  );
}
