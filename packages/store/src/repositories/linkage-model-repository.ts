import { createHash } from "node:crypto";
import type pg from "pg";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/**
 * Linkage models (versioned artefacts), batch runs, and the lock that serialises every change of
 * persons' membership made by linkage.
 */

/**
 * The advisory lock every linkage write takes first (an arbitrary constant: "passage link").
 * Two records that should join must never be decided in two transactions at once, each blind to
 * the other: the incremental handler (in any partition, in any process), review decisions,
 * unlinks and the batch all hold it while they read candidates and write membership.
 */
export const LINKAGE_LOCK_KEY = "7061737361676502";

/** Takes the linkage lock until the caller's transaction ends. */
export async function lockLinkage(executor: SqlExecutor): Promise<void> {
  await executeSql(executor, `SELECT pg_advisory_xact_lock(${LINKAGE_LOCK_KEY})`);
}

/** Takes the linkage lock for a session (a batch run spanning several transactions). */
export async function lockLinkageForSession(client: pg.ClientBase): Promise<void> {
  await client.query(`SELECT pg_advisory_lock(${LINKAGE_LOCK_KEY})`);
}

export async function unlockLinkageForSession(client: pg.ClientBase): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock(${LINKAGE_LOCK_KEY})`);
}

/** A stored model artefact. */
export interface StoredLinkageModel {
  readonly version: number;
  readonly artefact: string;
  readonly digest: string;
  readonly records: number;
  readonly trainedBy: string;
  readonly trainedAt: string;
  readonly active: boolean;
}

interface ModelRow {
  version: number;
  artefact: string;
  digest: string;
  records: number;
  trained_by: string;
  trained_at: string;
  active: boolean;
}

function toModel(row: ModelRow): StoredLinkageModel {
  return {
    version: row.version,
    artefact: row.artefact,
    digest: row.digest,
    records: row.records,
    trainedBy: row.trained_by,
    trainedAt: new Date(row.trained_at).toISOString(),
    active: row.active,
  };
}

/** Stores a trained model (inactive); returns its version. */
export async function insertLinkageModel(
  executor: SqlExecutor,
  model: { artefact: string; records: number; trainedBy: string },
): Promise<number> {
  const digest = createHash("sha256").update(model.artefact, "utf8").digest("hex");
  const rows = await executeSql<{ version: number }>(
    executor,
    `INSERT INTO linkage_model (artefact, digest, records, trained_by) VALUES ($1, $2, $3, $4)
     RETURNING version`,
    [model.artefact, digest, model.records, model.trainedBy],
  );
  return rows[0]!.version;
}

/** Makes one model the active one (the incremental path scores with it). */
export async function activateLinkageModel(executor: SqlExecutor, version: number): Promise<void> {
  await executeSql(executor, "UPDATE linkage_model SET active = false WHERE active AND version <> $1", [
    version,
  ]);
  await executeSql(
    executor,
    "UPDATE linkage_model SET active = true, activated_at = clock_timestamp() WHERE version = $1 AND NOT active",
    [version],
  );
}

/** The active model's version, if any model is active. */
export async function findActiveLinkageModelVersion(executor: SqlExecutor): Promise<number | undefined> {
  const rows = await executeSql<{ version: number }>(
    executor,
    "SELECT version FROM linkage_model WHERE active",
  );
  return rows[0]?.version;
}

/** One model version (active or not). */
export async function findLinkageModel(
  executor: SqlExecutor,
  version: number,
): Promise<StoredLinkageModel | undefined> {
  const rows = await executeSql<ModelRow>(
    executor,
    "SELECT version, artefact, digest, records, trained_by, trained_at, active FROM linkage_model WHERE version = $1",
    [version],
  );
  return rows[0] ? toModel(rows[0]) : undefined;
}

/** Every model version, newest first, without the artefacts. */
export async function listLinkageModels(
  executor: SqlExecutor,
): Promise<Omit<StoredLinkageModel, "artefact">[]> {
  const rows = await executeSql<Omit<ModelRow, "artefact">>(
    executor,
    "SELECT version, digest, records, trained_by, trained_at, active FROM linkage_model ORDER BY version DESC",
  );
  return rows.map((row) => toModel({ ...row, artefact: "" }));
}

/** Opens a batch run's row (its state and figures stay queryable with SQL). */
export async function startLinkageRun(
  executor: SqlExecutor,
  run: { kind: "link" | "rebuild"; requestedBy: string },
): Promise<string> {
  const rows = await executeSql<{ run_id: string }>(
    executor,
    "INSERT INTO linkage_run (kind, requested_by) VALUES ($1, $2) RETURNING run_id",
    [run.kind, run.requestedBy],
  );
  return String(rows[0]!.run_id);
}

/** Closes a batch run with what it did. */
export async function finishLinkageRun(
  executor: SqlExecutor,
  runId: string,
  outcome: { modelVersion: number; snapshotPosition: string; figures: Record<string, unknown> },
): Promise<void> {
  await executeSql(
    executor,
    `UPDATE linkage_run SET model_version = $2, snapshot_position = $3::bigint, figures = $4::jsonb,
       finished_at = clock_timestamp() WHERE run_id = $1::bigint`,
    [runId, outcome.modelVersion, outcome.snapshotPosition, JSON.stringify(outcome.figures)],
  );
}

/**
 * In one statement, what the incremental handler reads after taking the linkage lock: the last
 * finished batch run's snapshot position ("0" before any) and the active model's version (undefined
 * before the first trained model).
 */
export async function findLinkageState(
  executor: SqlExecutor,
): Promise<{ readonly snapshotPosition: string; readonly activeModelVersion: number | undefined }> {
  const rows = await executeSql<{ position: string | null; version: number | null }>(
    executor,
    `SELECT (SELECT max(snapshot_position)::text FROM linkage_run WHERE finished_at IS NOT NULL) AS position,
            (SELECT version FROM linkage_model WHERE active) AS version`,
  );
  return { snapshotPosition: rows[0]?.position ?? "0", activeModelVersion: rows[0]?.version ?? undefined };
}
