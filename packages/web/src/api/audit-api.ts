import { api } from "./api-client.ts";

/** One audit entry (canonical content) with its leaf hash. */
export interface IntactAuditEntry {
  readonly index: number;
  readonly time: string;
  readonly requestId: string | null;
  readonly actor: string;
  readonly purpose: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
  /** `withheld` (with `errorCode` and `reasons`) where it would tell a confidential matter to this reader. */
  readonly decision: "allow" | "deny" | "withheld";
  readonly outcome: string;
  readonly errorCode: string | null;
  readonly reasons: readonly string[];
  readonly details: Record<string, unknown>;
  readonly leafHash: string;
  readonly tampered?: undefined;
  /** The fields shown as `withheld` for this reader (the leaf hash is of the stored entry). */
  readonly withheld?: readonly string[];
}

/**
 * An entry whose stored content no longer matches the leaf hash recorded when it was written: its
 * fields are what the altered row now says, not what was logged.
 */
export interface AlteredAuditEntry extends Omit<IntactAuditEntry, "tampered"> {
  readonly tampered: true;
  readonly problem: string;
}

/** An entry whose stored content is no longer a canonical audit entry: only its raw content is left. */
export interface UndecodableAuditEntry {
  readonly index: number;
  readonly leafHash: string;
  readonly tampered: true;
  readonly problem: string;
  readonly content: string;
}

/**
 * An entry as `GET /audit/entries` lists it: intact, or marked `tampered` with the problem (the
 * server lists an altered row in its page instead of refusing the page).
 */
export type AuditEntry = IntactAuditEntry | AlteredAuditEntry | UndecodableAuditEntry;

/** An entry marked tampered by the server (altered or undecodable). */
export type TamperedAuditEntry = AlteredAuditEntry | UndecodableAuditEntry;

export function isTamperedEntry(entry: AuditEntry): entry is TamperedAuditEntry {
  return entry.tampered === true;
}

/** `GET /audit/entries/{index}/proof`: an RFC 9162 inclusion proof against the latest signed checkpoint. */
export interface InclusionProof {
  readonly index: number;
  readonly entry: IntactAuditEntry;
  readonly leafHash: string;
  readonly treeSize: number;
  readonly rootHash: string;
  /** The audit path, leaf to root, hex. */
  readonly proof: readonly string[];
  readonly checkpoint: Checkpoint;
  readonly verified: boolean;
}

export interface Checkpoint {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly timestamp: string;
  readonly keyId?: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly rootHash: string;
  readonly checkpointsVerified: number;
  readonly latestCheckpoint?: Checkpoint;
  readonly problems: readonly {
    readonly kind: string;
    readonly index?: number;
    /** With index: the range the first bad entry lies in, when the signed roots cannot say which. */
    readonly lastIndex?: number;
    readonly source?: string;
    readonly reason: string;
  }[];
}

export interface AuditEntryQuery {
  readonly actor?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly resourceId?: string | undefined;
  readonly before?: number | undefined;
  readonly limit?: number | undefined;
}

export function fetchAuditEntries(query: AuditEntryQuery, purpose: string, signal?: AbortSignal) {
  return api.get<{ size: number; entries: AuditEntry[] }>("/audit/entries", {
    purpose,
    query: { ...query },
    ...(signal ? { signal } : {}),
  });
}

/**
 * The inclusion proof of entry `index`; fails with `PASSAGE_ERR_AUDIT_TAMPERED` (422) when the entry
 * was altered or the proof does not reach the signed root, `PASSAGE_ERR_AUDIT_NO_CHECKPOINT` when
 * no signed checkpoint covers it yet.
 */
export function fetchInclusionProof(index: number, purpose: string, signal?: AbortSignal) {
  return api.get<InclusionProof>(`/audit/entries/${index}/proof`, {
    purpose,
    ...(signal ? { signal } : {}),
  });
}

export function verifyAudit(purpose: string) {
  return api.get<AuditVerification>("/audit/verification", { purpose });
}

export function fetchCheckpoints(purpose: string, signal?: AbortSignal) {
  return api.get<{ size: number; checkpoints: Checkpoint[]; problems: { reason?: string }[] }>(
    "/audit/checkpoints",
    {
      purpose,
      ...(signal ? { signal } : {}),
    },
  );
}

export function signCheckpoint(purpose: string) {
  return api.post<{ checkpoint: Checkpoint | null }>("/audit/checkpoints", { purpose, body: {} });
}
