import { api } from "./api-client.ts";

export interface PolicyVersion {
  readonly policyId: string;
  readonly version: string;
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

export interface PolicyActivation {
  readonly sequence: string;
  readonly policyId: string;
  readonly version: string;
  readonly digest: string;
  readonly activatedBy: string;
  readonly reason: string;
  readonly activatedAt: string;
}

export interface FieldChange {
  readonly field: string;
  readonly from?: unknown;
  readonly to?: unknown;
}

export interface PolicyDiff {
  readonly from: { readonly id: string; readonly version: string };
  readonly to: { readonly id: string; readonly version: string };
  readonly identical: boolean;
  readonly changes: readonly FieldChange[];
  readonly tiers: {
    readonly added: readonly unknown[];
    readonly removed: readonly unknown[];
    readonly changed: readonly unknown[];
  };
  readonly rules: {
    readonly added: readonly { readonly id: string; readonly description?: string }[];
    readonly removed: readonly { readonly id: string; readonly description?: string }[];
    readonly changed: readonly { readonly id: string; readonly changes: readonly FieldChange[] }[];
    readonly reordered: boolean;
  };
}

/**
 * A rule that raised an error on some cases of a dry run, under the active policy (`from`) or the
 * proposed one (`to`): it did not fire on them, which may be why they kept or changed tier.
 */
export interface DryRunRuleErrors {
  readonly policy: "from" | "to";
  readonly ruleId: string;
  /** Cases on which the rule raised an error. */
  readonly cases: number;
  /** Of those, the cases on which it ran out of evaluation budget. */
  readonly budgetExceeded: number;
  /** The first error's message. */
  readonly message: string;
}

/** `POST /policies/dry-run`: the impact of a policy against the active one. */
export interface DryRunResult {
  readonly from: { readonly id: string; readonly version: string };
  readonly to: { readonly id: string; readonly version: string };
  readonly cases: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly transitions: readonly { readonly from: number; readonly to: number; readonly count: number }[];
  readonly tierCounts: { readonly from: Record<string, number>; readonly to: Record<string, number> };
  /** The rules that raised an error on some cases, under either policy, sorted "from" first. */
  readonly ruleErrors: readonly DryRunRuleErrors[];
}

export interface PolicyText {
  readonly text: string;
  readonly fileName?: string;
}

export function fetchPolicies(purpose: string, signal?: AbortSignal) {
  return api.get<{ versions: PolicyVersion[]; activations: PolicyActivation[] }>("/policies", {
    purpose,
    ...(signal ? { signal } : {}),
  });
}

/** Validates a policy text: the answer lists problems with line, rule and field. */
export function checkPolicy(policy: PolicyText, purpose: string) {
  return api.post<Record<string, unknown>>("/policies/check", { purpose, body: policy });
}

/** What changed from `before` (default: the active policy) to `after`. */
export function diffPolicy(after: PolicyText, purpose: string, before?: PolicyText) {
  return api.post<PolicyDiff>("/policies/diff", { purpose, body: { after, ...(before ? { before } : {}) } });
}

/** How many actionable cases would change tier under this policy (nothing is applied). */
export function dryRunPolicy(policy: PolicyText, purpose: string) {
  return api.post<DryRunResult>("/policies/dry-run", { purpose, body: policy });
}
