import { api } from "./api-client.ts";

/** One audit entry (canonical content) with its leaf hash. */
export interface AuditEntry {
  readonly index: number;
  readonly time: string;
  readonly requestId: string | null;
  readonly actor: string;
  readonly purpose: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly decision: "allow" | "deny";
  readonly outcome: string;
  readonly errorCode: string | null;
  readonly reasons: readonly string[];
  readonly details: Record<string, unknown>;
  readonly leafHash: string;
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
