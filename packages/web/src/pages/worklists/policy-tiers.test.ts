import { describe, expect, it } from "vitest";
import { tierFilterOptions } from "./policy-tiers.ts";

describe("the tier filter", () => {
  it("offers every tier of the policy the worklist was ranked by, in tier order", () => {
    const tiers = [1, 2, 3, 4, 5, 6].reverse().map((tier) => ({
      tier,
      label: tier === 6 ? "Self-reported departure awaiting corroboration" : `T${tier}`,
    }));
    const options = tierFilterOptions(tiers, "");
    expect(options[0]).toEqual({ value: "", label: "All tiers" });
    expect(options.map(({ value }) => value)).toEqual(["", "1", "2", "3", "4", "5", "6"]);
    expect(options[6]?.label).toBe("Tier 6: Self-reported departure awaiting corroboration");
  });

  it("keeps the tier selected when the policy has no such tier", () => {
    expect(tierFilterOptions([], "7")).toEqual([
      { value: "", label: "All tiers" },
      { value: "7", label: "Tier 7" },
    ]);
  });
});
