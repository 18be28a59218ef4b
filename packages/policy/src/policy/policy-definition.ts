import type { FactGroup } from "../cel/case-allowlist.ts";
import type { CompiledCondition } from "../cel/compile-condition.ts";

/** What a tier means: a priority, explicitly not a priority, or deferred (e.g. pending consultation). */
export const TIER_KINDS = ["priority", "not_priority", "deferred"] as const;
export type TierKind = (typeof TIER_KINDS)[number];

export interface PolicyTier {
  /** 1 is the highest priority; worklists sort by it. */
  readonly tier: number;
  readonly label: string;
  readonly kind: TierKind;
  readonly description: string | null;
}

export const FACTORS = ["aggravating", "mitigating"] as const;
export type Factor = (typeof FACTORS)[number];

/** A tier rule places the case (first firing tier rule in file order wins); a weight rule adds to the score. */
export type RuleEffect =
  | { readonly kind: "tier"; readonly tier: number }
  | { readonly kind: "weight"; readonly factor: Factor; readonly weight: number };

export interface PolicyRuleDefinition {
  readonly id: string;
  /** Plain-language description, shown in every explanation. */
  readonly description: string;
  /** The public source the rule rests on. */
  readonly basis: string;
  /** A CEL condition over the allowlisted case facts. */
  readonly condition: string;
  readonly effect: RuleEffect;
}

/** A policy as published: the normalised content of its YAML file. */
export interface PolicyDefinition {
  readonly id: string;
  readonly version: string;
  readonly description: string;
  readonly effective: { readonly from: string; readonly to: string | null };
  readonly tiers: readonly PolicyTier[];
  readonly defaultTier: number;
  readonly rules: readonly PolicyRuleDefinition[];
}

/** A rule with its compiled condition and the fact groups whose records it cites. */
export interface CompiledRule extends PolicyRuleDefinition {
  readonly index: number;
  readonly program: CompiledCondition;
  readonly evidenceGroups: readonly FactGroup[];
}

/** A loaded, validated policy, ready to evaluate: CEL is compiled once here, never per case. */
export interface Policy {
  readonly definition: PolicyDefinition;
  /** sha256 of the canonical JSON of the definition: names the exact content for replay. */
  readonly digest: string;
  readonly file: string;
  readonly weightRules: readonly CompiledRule[];
  readonly tierRules: readonly CompiledRule[];
  readonly tierByNumber: ReadonlyMap<number, PolicyTier>;
  readonly frameSize: number;
  /** The fact groups some rule reads: only these are bound per case. */
  readonly factGroups: ReadonlySet<FactGroup>;
}

/** True when the policy is in effect on `date` (from inclusive, to exclusive). */
export function isPolicyInEffect(policy: Policy, date: string): boolean {
  const { from, to } = policy.definition.effective;
  return date >= from && (to === null || date < to);
}
