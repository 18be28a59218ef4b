import { api } from "./api-client.ts";

export const REDRESS_KINDS = [
  { value: "citizenship", label: "I am a U.S. citizen (blocks every action at once)" },
  { value: "not_my_record", label: "This record is not mine" },
  { value: "departed", label: "I have left the country" },
  { value: "other", label: "Other" },
] as const;
export type RedressKind = (typeof REDRESS_KINDS)[number]["value"];

/** A document the requester cites: a reference only (type, number, issuer), never a scan. */
export interface DocumentReference {
  readonly type: string;
  readonly number: string;
  readonly issuer: string;
}

export interface RedressRequest {
  readonly requestId: string;
  readonly personId: string;
  readonly kind: RedressKind;
  readonly statement: string;
  readonly departureDate: string | null;
  readonly disputedRecords: readonly string[];
  readonly documents: readonly DocumentReference[];
  readonly status: "filed" | "under_review" | "resolved";
  readonly filedBy: string;
  readonly filedAt: string;
  readonly reviewer: string | null;
  readonly outcome: "granted" | "denied" | "withdrawn" | null;
  readonly outcomeReason: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  /**
   * What the resolution did (granted only), as far as the reader may see each record: a correction
   * record written (`record` FEED:KEY, its `version`, the ingest outcome), a record unlinked from the
   * person (`unlinked`), a pair never to be linked (`cannot_link`, `record` "FEED:KEY ~ FEED:KEY").
   */
  readonly corrections?: readonly RedressCorrection[];
}

/** One thing a granted resolution did (see `RedressRequest.corrections`). */
export interface RedressCorrection {
  readonly record: string;
  readonly version?: number;
  readonly outcome: string;
}

export interface RedressCase {
  readonly request: RedressRequest;
  readonly events: readonly {
    readonly sequence: string;
    readonly at: string;
    readonly actor: string;
    /**
     * `source_superseded`: the source has since written new content for a record a resolution
     * corrected. `links_partly_decided`: a resolution's link decision was refused after others were
     * taken (`details.taken`, `details.refused` as corrections, `details.problem`); those stand.
     */
    readonly step: "filed" | "review_started" | "resolved" | "source_superseded" | "links_partly_decided";
    readonly details: Record<string, unknown>;
  }[];
  readonly daysToResolution: number | null;
}

export interface NewRedressRequest {
  readonly personId: string;
  readonly kind: RedressKind;
  readonly statement: string;
  readonly departureDate?: string;
  /** The records (FEED:KEY) a `not_my_record` request says are not the person's. */
  readonly disputedRecords?: readonly string[];
  readonly documents: readonly DocumentReference[];
}

export interface Resolution {
  readonly outcome: "granted" | "denied" | "withdrawn";
  readonly reason: string;
  readonly citizenship?: { readonly effectiveDate: string; readonly certificateId?: string };
  /** New records or new versions, each a row of a feed (granted only). */
  readonly corrections?: readonly {
    readonly feed: string;
    readonly row: Readonly<Record<string, string | number | boolean | null>>;
  }[];
  /** Records (FEED:KEY) that are not the person's, taken out of it by linkage (granted only). */
  readonly unlinks?: readonly string[];
  /** Pairs of records (FEED:KEY) never to be linked again (granted only). */
  readonly cannotLink?: readonly { readonly left: string; readonly right: string }[];
}

const one = (requestId: string) => `/redress/${encodeURIComponent(requestId)}`;

export async function fetchRedressRequests(
  query: { status?: string | undefined; personId?: string | undefined },
  purpose: string,
  signal?: AbortSignal,
): Promise<RedressRequest[]> {
  const answer = await api.get<{ requests: RedressRequest[] }>("/redress", {
    purpose,
    query: { ...query },
    ...(signal ? { signal } : {}),
  });
  return answer.requests;
}

export function fetchRedressCase(requestId: string, purpose: string, signal?: AbortSignal) {
  return api.get<RedressCase>(one(requestId), { purpose, ...(signal ? { signal } : {}) });
}

export function fileRedress(request: NewRedressRequest, purpose: string) {
  return api.post<RedressCase | RedressRequest>("/redress", { purpose, body: request });
}

export function startRedressReview(requestId: string, purpose: string) {
  return api.post<unknown>(`${one(requestId)}/review`, { purpose, body: {} });
}

export function resolveRedress(requestId: string, resolution: Resolution, purpose: string) {
  return api.post<unknown>(`${one(requestId)}/resolve`, { purpose, body: resolution });
}
