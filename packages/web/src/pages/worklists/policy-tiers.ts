import { parse } from "yaml";
import type { PolicyVersion } from "../../api/policy-api.ts";
import type { SelectOption } from "../../design/index.ts";

/** One tier a priority policy defines. */
export interface PolicyTier {
  readonly tier: number;
  readonly label: string;
}

/**
 * The tiers of the stored policy version with this digest (the worklist's answer names the policy
 * in force by its digest), in tier order; empty when no stored version has it or its text names
 * none. The text is the one the server validated, so only well-formed tiers are expected; anything
 * else is left out rather than guessed.
 */
export function tiersOfPolicy(versions: readonly PolicyVersion[], digest: string): PolicyTier[] {
  const version = versions.find((candidate) => candidate.digest === digest);
  if (!version) return [];
  let document: unknown;
  try {
    document = parse(version.text);
  } catch {
    return [];
  }
  const tiers = (document as { tiers?: unknown } | null)?.tiers;
  if (!Array.isArray(tiers)) return [];
  return tiers
    .filter(
      (tier): tier is { tier: number; label: string } =>
        Number.isInteger(tier?.tier) && typeof tier?.label === "string",
    )
    .map(({ tier, label }) => ({ tier, label }))
    .sort((first, second) => first.tier - second.tier);
}

/** The tier filter's choices: every tier of the policy in force, and the one selected even if not. */
export function tierFilterOptions(tiers: readonly PolicyTier[], selected: string): SelectOption[] {
  const options = tiers.map(({ tier, label }) => ({ value: String(tier), label: `Tier ${tier}: ${label}` }));
  if (selected && !options.some((option) => option.value === selected)) {
    options.push({ value: selected, label: `Tier ${selected}` });
  }
  return [{ value: "", label: "All tiers" }, ...options];
}
