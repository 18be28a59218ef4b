import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PolicyVersion } from "../../api/policy-api.ts";
import { tierFilterOptions, tiersOfPolicy } from "./policy-tiers.ts";

/** The published policy as the server stores it (six tiers; a fixed list offered five). */
const POSTURE = readFileSync(
  new URL("../../../../policy/policies/posture-2025.yaml", import.meta.url),
  "utf8",
);

function versionOf(text: string, digest: string): PolicyVersion {
  return {
    policyId: "posture-2025",
    version: "1.1.0",
    digest,
    fileName: "posture-2025.yaml",
    text,
    description: "",
    effectiveFrom: "2025-01-20",
    effectiveTo: null,
    loadedBy: "admin",
    loadedAt: "2025-01-20T00:00:00Z",
    active: true,
  };
}

describe("the tier filter", () => {
  it("offers every tier of the policy in force, found by the digest the worklist names", () => {
    const versions = [
      versionOf("tiers:\n  - tier: 1\n    label: Old\n", "old"),
      versionOf(POSTURE, "in-force"),
    ];
    const tiers = tiersOfPolicy(versions, "in-force");
    expect(tiers.map(({ tier }) => tier)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tiers[5]?.label).toBe("Self-reported departure awaiting corroboration");
    const options = tierFilterOptions(tiers, "");
    expect(options[0]).toEqual({ value: "", label: "All tiers" });
    expect(options.map(({ value }) => value)).toEqual(["", "1", "2", "3", "4", "5", "6"]);
    expect(options[6]?.label).toBe("Tier 6: Self-reported departure awaiting corroboration");
  });

  it("offers no tier it cannot read, and keeps the one selected", () => {
    expect(tiersOfPolicy([versionOf(POSTURE, "other")], "in-force")).toEqual([]);
    expect(tiersOfPolicy([versionOf("tiers: [", "in-force")], "in-force")).toEqual([]);
    expect(tierFilterOptions([], "7")).toEqual([
      { value: "", label: "All tiers" },
      { value: "7", label: "Tier 7" },
    ]);
  });
});
