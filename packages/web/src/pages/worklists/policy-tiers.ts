import type { SelectOption } from "../../design/index.ts";

/** One tier a priority policy defines. */
export interface PolicyTier {
  readonly tier: number;
  readonly label: string;
}

/**
 * The tier filter's choices: every tier of the policy the worklist was ranked by (its answer
 * carries them; a fixed 1-5 left tier 6 out), in tier order, and the one selected even if not.
 */
export function tierFilterOptions(tiers: readonly PolicyTier[], selected: string): SelectOption[] {
  const options = [...tiers]
    .sort((first, second) => first.tier - second.tier)
    .map(({ tier, label }) => ({ value: String(tier), label: `Tier ${tier}: ${label}` }));
  if (selected && !options.some((option) => option.value === selected)) {
    options.push({ value: selected, label: `Tier ${selected}` });
  }
  return [{ value: "", label: "All tiers" }, ...options];
}
