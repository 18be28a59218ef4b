import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/** One stored policy file: its identity, content digest, verbatim text and effective dates. */
export interface PolicyVersionRow {
  readonly policyId: string;
  readonly version: string;
  /** sha256 of the canonical policy definition (the policy package's `Policy.digest`). */
  readonly digest: string;
  readonly fileName: string;
  readonly text: string;
  readonly description: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  readonly loadedBy: string;
  readonly loadedAt: string;
  readonly active: boolean;
}

/** One activation in the append-only history. */
export interface PolicyActivationRow {
  readonly sequence: string;
  readonly policyId: string;
  readonly version: string;
  readonly digest: string;
  readonly activatedBy: string;
  readonly reason: string;
  readonly activatedAt: string;
}

const VERSION_COLUMNS = `policy_id, version, digest, file_name, text, description,
  to_char(effective_from, 'YYYY-MM-DD') AS effective_from, to_char(effective_to, 'YYYY-MM-DD') AS effective_to,
  loaded_by, loaded_at, active`;

interface VersionRecord {
  policy_id: string;
  version: string;
  digest: string;
  file_name: string;
  text: string;
  description: string;
  effective_from: string;
  effective_to: string | null;
  loaded_by: string;
  loaded_at: string | Date;
  active: boolean;
}

function toVersion(row: VersionRecord): PolicyVersionRow {
  return {
    policyId: row.policy_id,
    version: row.version,
    digest: row.digest,
    fileName: row.file_name,
    text: row.text,
    description: row.description,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    loadedBy: row.loaded_by,
    loadedAt: new Date(row.loaded_at).toISOString(),
    active: row.active,
  };
}

/**
 * Stores a policy version unless one with the same id and version exists. Returns the stored row
 * and whether this call inserted it; the caller refuses a row whose digest differs (a published
 * version is immutable).
 */
export async function insertPolicyVersion(
  executor: SqlExecutor,
  version: Omit<PolicyVersionRow, "loadedAt" | "active">,
): Promise<{ inserted: boolean; row: PolicyVersionRow }> {
  const inserted = await executeSql<{ digest: string }>(
    executor,
    `INSERT INTO policy_version (policy_id, version, digest, file_name, text, description, effective_from, effective_to, loaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9)
     ON CONFLICT DO NOTHING RETURNING digest`,
    [
      version.policyId,
      version.version,
      version.digest,
      version.fileName,
      version.text,
      version.description,
      version.effectiveFrom,
      version.effectiveTo,
      version.loadedBy,
    ],
  );
  const row =
    (await findPolicyVersion(executor, version.policyId, version.version)) ??
    (await findPolicyVersionByDigest(executor, version.digest));
  if (row === undefined) throw new Error(`policy ${version.policyId} ${version.version} was not stored`);
  return { inserted: inserted.length > 0, row };
}

/** The stored version with this id and version. */
export async function findPolicyVersion(
  executor: SqlExecutor,
  policyId: string,
  version: string,
): Promise<PolicyVersionRow | undefined> {
  const rows = await executeSql<VersionRecord>(
    executor,
    `SELECT ${VERSION_COLUMNS} FROM policy_version WHERE policy_id = $1 AND version = $2`,
    [policyId, version],
  );
  return rows[0] ? toVersion(rows[0]) : undefined;
}

/** The stored version with this content digest. */
export async function findPolicyVersionByDigest(
  executor: SqlExecutor,
  digest: string,
): Promise<PolicyVersionRow | undefined> {
  const rows = await executeSql<VersionRecord>(
    executor,
    `SELECT ${VERSION_COLUMNS} FROM policy_version WHERE digest = $1`,
    [digest],
  );
  return rows[0] ? toVersion(rows[0]) : undefined;
}

/** The active policy version, if any. */
export async function findActivePolicyVersion(executor: SqlExecutor): Promise<PolicyVersionRow | undefined> {
  const rows = await executeSql<VersionRecord>(
    executor,
    `SELECT ${VERSION_COLUMNS} FROM policy_version WHERE active`,
  );
  return rows[0] ? toVersion(rows[0]) : undefined;
}

/** Every stored version, oldest first. */
export async function listPolicyVersions(executor: SqlExecutor): Promise<PolicyVersionRow[]> {
  const rows = await executeSql<VersionRecord>(
    executor,
    `SELECT ${VERSION_COLUMNS} FROM policy_version ORDER BY loaded_at, policy_id, version`,
  );
  return rows.map(toVersion);
}

/**
 * Makes the version with this digest the only active one and appends the activation to the
 * history. Run it inside a transaction: the unique partial index keeps at most one active row,
 * and the caller re-evaluates the worklist in the same transaction.
 */
export async function activatePolicyVersion(
  executor: SqlExecutor,
  digest: string,
  activatedBy: string,
  reason: string,
): Promise<PolicyActivationRow> {
  // Serialises concurrent activations: the second waits, then sees the first's result.
  await executeSql(executor, "LOCK TABLE policy_version IN SHARE ROW EXCLUSIVE MODE");
  await executeSql(executor, "UPDATE policy_version SET active = false WHERE active AND digest <> $1", [
    digest,
  ]);
  const updated = await executeSql<{ policy_id: string; version: string }>(
    executor,
    "UPDATE policy_version SET active = true WHERE digest = $1 RETURNING policy_id, version",
    [digest],
  );
  const target = updated[0];
  if (target === undefined) throw new Error(`no stored policy has digest ${digest}`);
  const rows = await executeSql<ActivationRecord>(
    executor,
    `INSERT INTO policy_activation (policy_id, version, digest, activated_by, reason)
     VALUES ($1, $2, $3, $4, $5) RETURNING sequence, policy_id, version, digest, activated_by, reason, activated_at`,
    [target.policy_id, target.version, digest, activatedBy, reason],
  );
  return toActivation(rows[0]!);
}

interface ActivationRecord {
  sequence: string;
  policy_id: string;
  version: string;
  digest: string;
  activated_by: string;
  reason: string;
  activated_at: string | Date;
}

function toActivation(row: ActivationRecord): PolicyActivationRow {
  return {
    sequence: String(row.sequence),
    policyId: row.policy_id,
    version: row.version,
    digest: row.digest,
    activatedBy: row.activated_by,
    reason: row.reason,
    activatedAt: new Date(row.activated_at).toISOString(),
  };
}

/** The activation history, oldest first. */
export async function listPolicyActivations(executor: SqlExecutor): Promise<PolicyActivationRow[]> {
  const rows = await executeSql<ActivationRecord>(
    executor,
    "SELECT sequence, policy_id, version, digest, activated_by, reason, activated_at FROM policy_activation ORDER BY sequence",
  );
  return rows.map(toActivation);
}
