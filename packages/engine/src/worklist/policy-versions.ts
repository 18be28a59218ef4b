import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { decodePolicyFileOrThrow, loadPolicyOrThrow, type Policy } from "@passage/policy";
import {
  activatePolicyVersion,
  executeSql,
  findActivePolicyVersion,
  findPolicyVersionByDigest,
  insertPolicyVersion,
  type PolicyActivationRow,
  type PolicyVersionRow,
  type SqlExecutor,
} from "@passage/store";
import { WorklistErrors } from "./worklist-errors.ts";

/**
 * The policy a fresh database activates: the example modelled on the 2025 posture, because it is
 * the one whose effective dates cover today (the 2021 guidelines' example ends on 2025-01-20,
 * when EO 14159 revoked them). An operator activates another with `passage policy activate FILE`.
 */
export const DEFAULT_POLICY_FILE = "posture-2025.yaml";

/** Who installs the default policy when none is active. */
export const SYSTEM_ACTOR_LABEL = "system:passage";

/** The directory of the example policies the policy package ships. */
export function examplePolicyDirectory(): string {
  const policyEntry = createRequire(import.meta.url).resolve("@passage/policy");
  return path.resolve(path.dirname(policyEntry), "..", "policies");
}

/** A policy file read and validated: the compiled policy and its verbatim text. */
export interface LoadedPolicy {
  readonly policy: Policy;
  readonly text: string;
  /** The file's base name, as stored. */
  readonly fileName: string;
}

/** Reads and validates a policy file (validation errors name the file, line, rule and field). */
export async function readPolicyFileOrThrow(file: string): Promise<LoadedPolicy> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A missing file is not found (exit 3), as for every command that reads a named file.
    // A directory exists: it is named as what it is, not as a missing file.
    if (code === "EISDIR")
      throw WorklistErrors.policyFileUnreadable.create(file, "it is a directory, not a file");
    if (code === "ENOENT" || code === "ENOTDIR") throw WorklistErrors.policyFileNotFound.create(file);
    throw WorklistErrors.policyFileUnreadable.create(file, code ?? String(error));
  }
  const text = decodePolicyFileOrThrow(bytes, file);
  return { policy: loadPolicyOrThrow(text, file), text, fileName: path.basename(file) };
}

/** Compiles stored policy versions once per content digest, and finds or installs the active one. */
export interface PolicyVersions {
  /** The compiled policy of a stored row (cached by digest). */
  compile(row: PolicyVersionRow): Policy;
  /** The active policy, if any. With `lock`, holds a share lock on it until the transaction ends. */
  active(
    executor: SqlExecutor,
    options?: { lock?: boolean },
  ): Promise<{ row: PolicyVersionRow; policy: Policy } | undefined>;
  /** The active policy, installing and activating the default example when none is (a fresh database). */
  ensureActive(executor: SqlExecutor): Promise<{ row: PolicyVersionRow; policy: Policy }>;
  /** Stores a loaded policy (idempotent for the same content; refuses other content under the same version). */
  store(
    executor: SqlExecutor,
    loaded: LoadedPolicy,
    loadedBy: string,
  ): Promise<{ row: PolicyVersionRow; inserted: boolean }>;
  /** Makes a stored version the active one and appends the activation (inside the caller's transaction). */
  activate(
    executor: SqlExecutor,
    digest: string,
    activatedBy: string,
    reason: string,
  ): Promise<PolicyActivationRow>;
}

export function createPolicyVersions(): PolicyVersions {
  const compiled = new Map<string, Policy>();

  function compile(row: PolicyVersionRow): Policy {
    const cached = compiled.get(row.digest);
    if (cached) return cached;
    const policy = loadPolicyOrThrow(row.text, row.fileName);
    if (policy.digest !== row.digest) {
      // The stored text no longer compiles to the stored digest (the loader changed its
      // normalisation): replaying old rankings would be wrong, so refuse loudly.
      throw WorklistErrors.policyVersionConflict.create(row.policyId, row.version, row.digest, policy.digest);
    }
    compiled.set(row.digest, policy);
    return policy;
  }

  async function active(executor: SqlExecutor, options: { lock?: boolean } = {}) {
    if (options.lock) {
      // A share lock on the active row: an activation (which updates it) waits for this
      // transaction, so no entry is written under a policy that was replaced meanwhile.
      const rows = await executeSql<{ digest: string }>(
        executor,
        "SELECT digest FROM policy_version WHERE active FOR SHARE",
      );
      if (rows.length === 0) return undefined;
    }
    const row = await findActivePolicyVersion(executor);
    return row ? { row, policy: compile(row) } : undefined;
  }

  async function store(executor: SqlExecutor, loaded: LoadedPolicy, loadedBy: string) {
    const { definition, digest } = loaded.policy;
    const result = await insertPolicyVersion(executor, {
      policyId: definition.id,
      version: definition.version,
      digest,
      fileName: loaded.fileName,
      text: loaded.text,
      description: definition.description,
      effectiveFrom: definition.effective.from,
      effectiveTo: definition.effective.to,
      loadedBy,
    });
    if (
      result.row.digest !== digest ||
      result.row.policyId !== definition.id ||
      result.row.version !== definition.version
    ) {
      throw WorklistErrors.policyVersionConflict.create(
        definition.id,
        definition.version,
        result.row.digest,
        digest,
      );
    }
    compiled.set(digest, loaded.policy);
    return result;
  }

  return {
    compile,
    active,
    store,
    activate: (executor, digest, activatedBy, reason) =>
      activatePolicyVersion(executor, digest, activatedBy, reason),
    async ensureActive(executor) {
      const current = await active(executor, { lock: true });
      if (current) return current;
      const loaded = await readPolicyFileOrThrow(path.join(examplePolicyDirectory(), DEFAULT_POLICY_FILE));
      await executeSql(executor, "LOCK TABLE policy_version IN SHARE ROW EXCLUSIVE MODE");
      // Another transaction may have installed one while this one waited for the lock.
      const installed = await active(executor);
      if (installed) return installed;
      const { row } = await store(executor, loaded, SYSTEM_ACTOR_LABEL);
      await activatePolicyVersion(
        executor,
        row.digest,
        SYSTEM_ACTOR_LABEL,
        `default policy (${DEFAULT_POLICY_FILE}): no policy was active`,
      );
      const activated = await findPolicyVersionByDigest(executor, row.digest);
      return { row: activated!, policy: loaded.policy };
    },
  };
}
