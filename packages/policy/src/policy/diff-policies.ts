import type { Policy, PolicyRuleDefinition, PolicyTier } from "./policy-definition.ts";

/** One field that differs between two versions of a rule or tier. */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** What changed from policy `a` to policy `b`. */
export interface PolicyDiff {
  readonly from: { readonly id: string; readonly version: string; readonly digest: string };
  readonly to: { readonly id: string; readonly version: string; readonly digest: string };
  readonly identical: boolean;
  /** Top-level fields that changed: id, version, description, effective dates, default tier. */
  readonly changes: readonly FieldChange[];
  readonly tiers: {
    readonly added: readonly PolicyTier[];
    readonly removed: readonly PolicyTier[];
    readonly changed: readonly { readonly tier: number; readonly changes: readonly FieldChange[] }[];
  };
  readonly rules: {
    readonly added: readonly PolicyRuleDefinition[];
    readonly removed: readonly PolicyRuleDefinition[];
    readonly changed: readonly { readonly id: string; readonly changes: readonly FieldChange[] }[];
    /** True when the rules common to both appear in a different order (tier rules: first match wins). */
    readonly reordered: boolean;
  };
}

function fieldChanges<T extends object>(a: T, b: T, fields: readonly (keyof T & string)[]): FieldChange[] {
  return fields
    .filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]))
    .map((field) => ({ field, from: a[field], to: b[field] }));
}

/** Rules added, removed and changed (condition, effect, text), tiers, dates and versions. */
export function diffPolicies(a: Policy, b: Policy): PolicyDiff {
  const left = a.definition;
  const right = b.definition;
  const changes = [
    ...fieldChanges(left, right, ["id", "version", "description"]),
    ...fieldChanges(left.effective, right.effective, ["from", "to"]).map((change) => ({
      ...change,
      field: `effective.${change.field}`,
    })),
    ...fieldChanges(left, right, ["defaultTier"]),
  ];
  const leftTiers = new Map(left.tiers.map((tier) => [tier.tier, tier]));
  const rightTiers = new Map(right.tiers.map((tier) => [tier.tier, tier]));
  const leftRules = new Map(left.rules.map((rule) => [rule.id, rule]));
  const rightRules = new Map(right.rules.map((rule) => [rule.id, rule]));
  const commonLeftOrder = left.rules.filter((rule) => rightRules.has(rule.id)).map((rule) => rule.id);
  const commonRightOrder = right.rules.filter((rule) => leftRules.has(rule.id)).map((rule) => rule.id);
  const tiers = {
    added: right.tiers.filter((tier) => !leftTiers.has(tier.tier)),
    removed: left.tiers.filter((tier) => !rightTiers.has(tier.tier)),
    changed: left.tiers
      .filter((tier) => rightTiers.has(tier.tier))
      .map((tier) => ({
        tier: tier.tier,
        changes: fieldChanges(tier, rightTiers.get(tier.tier)!, ["label", "kind", "description"]),
      }))
      .filter((entry) => entry.changes.length > 0),
  };
  const rules = {
    added: right.rules.filter((rule) => !leftRules.has(rule.id)),
    removed: left.rules.filter((rule) => !rightRules.has(rule.id)),
    changed: left.rules
      .filter((rule) => rightRules.has(rule.id))
      .map((rule) => ({
        id: rule.id,
        changes: fieldChanges(rule, rightRules.get(rule.id)!, [
          "description",
          "basis",
          "condition",
          "effect",
        ]),
      }))
      .filter((entry) => entry.changes.length > 0),
    reordered: JSON.stringify(commonLeftOrder) !== JSON.stringify(commonRightOrder),
  };
  const identical = a.digest === b.digest;
  return {
    from: { id: left.id, version: left.version, digest: a.digest },
    to: { id: right.id, version: right.version, digest: b.digest },
    identical,
    changes,
    tiers,
    rules,
  };
}
