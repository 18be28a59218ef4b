import { api } from "./api-client.ts";
import type { GateResult, RecordCitation } from "./case-types.ts";

export interface WorklistOverride {
  readonly sequence: string;
  readonly personId: string;
  readonly policyDigest: string;
  readonly originalTier: number;
  readonly tier: number;
  /** Null where withheld: from a reader without the need to know asylum and 1367 matters, on every case. */
  readonly reason: string | null;
  readonly overriddenBy: string;
  readonly overriddenAt: string;
}

/** One listed case as `GET /worklist` sends it. */
export interface ListedWorklistEntry {
  readonly personId: string;
  /** The policy's tier and its label (an override leaves them as the policy gave them). */
  readonly tier: number;
  readonly tierLabel: string;
  readonly tierKind: string;
  readonly score: number;
  readonly orderFinalDate: string | null;
  readonly asOf: string;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyDigest: string;
  readonly evaluatedAt: string;
  /** The override's tier when one is in force, else the policy's; and that tier's label. */
  readonly effectiveTier: number;
  readonly effectiveTierLabel: string;
  readonly override: WorklistOverride | null;
}

export interface WorklistPage {
  /** The policy the worklist was ranked by, with its tiers (the tier filter's choices). */
  readonly policy: {
    readonly id: string;
    readonly version: string;
    readonly digest: string;
    readonly tiers: readonly { readonly tier: number; readonly label: string }[];
  };
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly entries: readonly ListedWorklistEntry[];
}

export interface FiredRule {
  readonly id: string;
  readonly description: string;
  readonly basis: string;
  readonly effect: unknown;
  readonly contribution: number;
  readonly decided: boolean;
  readonly evidence: readonly RecordCitation[];
}

export interface CaseExplanation {
  readonly personId: string;
  readonly asOf: string;
  readonly actionable: boolean;
  readonly gates: { readonly clear: boolean; readonly results: readonly GateResult[] };
  readonly policy: { readonly id: string; readonly version: string; readonly digest: string };
  readonly evaluation: {
    readonly tier: number;
    readonly tierLabel: string;
    readonly score: number;
    readonly decidedBy: { readonly kind: "rule"; readonly ruleId: string } | { readonly kind: "default" };
    readonly firedRules: readonly FiredRule[];
    readonly ruleErrors: readonly { readonly id: string; readonly message: string }[];
  } | null;
  readonly tier: number | null;
}

/** `GET /worklist/{personId}/explanation`. */
export interface WorklistExplanation {
  readonly entry: ListedWorklistEntry;
  readonly explanation: CaseExplanation;
  readonly replay: { readonly identical: boolean; readonly differences: readonly string[] };
  readonly overrides: readonly WorklistOverride[];
}

export interface WorklistQuery {
  readonly tier?: number | undefined;
  readonly page: number;
  readonly pageSize: number;
  readonly office?: string | undefined;
}

/** Largest page the API serves (WORKLIST_PAGE_SIZES.max). */
export const WORKLIST_PAGE_SIZE = 1000;

export function fetchWorklistPage(
  query: WorklistQuery,
  purpose: string,
  signal?: AbortSignal,
): Promise<WorklistPage> {
  return api.get("/worklist", { purpose, query: { ...query }, ...(signal ? { signal } : {}) });
}

export function fetchWorklistExplanation(personId: string, purpose: string, signal?: AbortSignal) {
  return api.get<WorklistExplanation>(`/worklist/${encodeURIComponent(personId)}/explanation`, {
    purpose,
    ...(signal ? { signal } : {}),
  });
}

/** A supervisor's override of the policy's tier (never of a gate), with a reason. */
export function overrideWorklistTier(
  personId: string,
  body: { tier: number; reason: string; expected?: { policyDigest: string; tier: number } },
  purpose: string,
) {
  return api.post<unknown>(`/worklist/${encodeURIComponent(personId)}/override`, { purpose, body });
}
