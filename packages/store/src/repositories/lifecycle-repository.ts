import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/** One row of the lifecycle projection. */
export interface PersonStatusRow {
  readonly personId: string;
  readonly asOf: string;
  readonly primaryState: string;
  readonly stateDetail: string | null;
  readonly overlays: readonly string[];
  readonly blockers: readonly string[];
  readonly gatesHolding: readonly string[];
  readonly finalOrderExecutable: boolean;
  readonly actionable: boolean;
  readonly nextChangeOn: string | null;
  /** The full derived status (core `PersonStatus`). */
  readonly status: unknown;
  /** The full gate evaluation (policy `GateEvaluation`). */
  readonly gates: unknown;
  /** Digest of the inputs (record versions, identity facts, as-of date): equal digest, equal row. */
  readonly inputDigest: string;
}

const COLUMNS = [
  "person_id",
  "as_of",
  "primary_state",
  "state_detail",
  "overlays",
  "blockers",
  "gates_holding",
  "final_order_executable",
  "actionable",
  "next_change_on",
  "status",
  "gates",
  "input_digest",
] as const;

/** The rows as one JSON document (snake_case keys, the columns' names). */
function rowsDocument(rows: readonly PersonStatusRow[]): string {
  return JSON.stringify(
    rows.map((row) => ({
      person_id: row.personId,
      as_of: row.asOf,
      primary_state: row.primaryState,
      state_detail: row.stateDetail,
      overlays: row.overlays,
      blockers: row.blockers,
      gates_holding: row.gatesHolding,
      final_order_executable: row.finalOrderExecutable,
      actionable: row.actionable,
      next_change_on: row.nextChangeOn,
      status: row.status,
      gates: row.gates,
      input_digest: row.inputDigest,
    })),
  );
}

/**
 * Inserts or replaces the status rows of these persons in one set-based statement. The rows travel
 * as one JSON document read by `jsonb_to_recordset`: array parameters of JSON texts made node-postgres
 * escape every character of every status into an array literal, which dominated rebuilds.
 */
export async function upsertPersonStatuses(
  executor: SqlExecutor,
  rows: readonly PersonStatusRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await executeSql(
    executor,
    `INSERT INTO person_status (${COLUMNS.join(", ")})
     SELECT ${COLUMNS.join(", ")}
     FROM jsonb_to_recordset($1::jsonb) AS incoming(
       person_id text, as_of date, primary_state text, state_detail text, overlays text[], blockers text[],
       gates_holding text[], final_order_executable boolean, actionable boolean, next_change_on date,
       status jsonb, gates jsonb, input_digest text)
     ON CONFLICT (person_id) DO UPDATE SET
       ${COLUMNS.filter((column) => column !== "person_id")
         .map((column) => `${column} = EXCLUDED.${column}`)
         .join(", ")},
       derived_at = clock_timestamp()`,
    [rowsDocument(rows)],
  );
}

/** Removes the status rows of persons that no longer exist (merged or emptied). */
export async function deletePersonStatuses(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<void> {
  if (personIds.length === 0) return;
  await executeSql(executor, "DELETE FROM person_status WHERE person_id = ANY($1::text[])", [personIds]);
}

/** Empties the projection (rebuild). */
export async function clearPersonStatuses(executor: SqlExecutor): Promise<void> {
  await executeSql(executor, "TRUNCATE person_status");
}

/** The digests and headline fields currently stored for these persons (to skip or report changes). */
export async function findStatusHeadlines(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<Map<string, { primaryState: string; actionable: boolean; inputDigest: string }>> {
  const rows = await executeSql<{
    person_id: string;
    primary_state: string;
    actionable: boolean;
    input_digest: string;
  }>(
    executor,
    "SELECT person_id, primary_state, actionable, input_digest FROM person_status WHERE person_id = ANY($1::text[])",
    [personIds],
  );
  return new Map(
    rows.map((row) => [
      row.person_id,
      { primaryState: row.primary_state, actionable: row.actionable, inputDigest: row.input_digest },
    ]),
  );
}

/** The stored status row of one person. */
export async function findPersonStatus(
  executor: SqlExecutor,
  personId: string,
): Promise<PersonStatusRow | undefined> {
  const rows = await executeSql<Record<string, unknown>>(
    executor,
    `SELECT ${COLUMNS.join(", ")} FROM person_status WHERE person_id = $1`,
    [personId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    personId: row.person_id as string,
    asOf: row.as_of as string,
    primaryState: row.primary_state as string,
    stateDetail: row.state_detail as string | null,
    overlays: row.overlays as string[],
    blockers: row.blockers as string[],
    gatesHolding: row.gates_holding as string[],
    finalOrderExecutable: row.final_order_executable as boolean,
    actionable: row.actionable as boolean,
    nextChangeOn: row.next_change_on as string | null,
    status: row.status,
    gates: row.gates,
    inputDigest: row.input_digest as string,
  };
}

/**
 * Persons whose status may have changed by `today` with no new record (a deadline passed, a
 * grant ended): their stored `as_of` is before `today` and their next change is due.
 */
export async function findPersonsDueForChange(
  executor: SqlExecutor,
  today: string,
  limit: number,
): Promise<string[]> {
  const rows = await executeSql<{ person_id: string }>(
    executor,
    `SELECT person_id FROM person_status
     WHERE next_change_on IS NOT NULL AND next_change_on <= $1::date AND as_of < $1::date
     ORDER BY next_change_on, person_id LIMIT $2`,
    [today, limit],
  );
  return rows.map((row) => row.person_id);
}
