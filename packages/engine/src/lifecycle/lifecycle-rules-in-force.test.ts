import { hash } from "node:crypto";
import { createLifecycleRules } from "@passage/core";
import type { SqlExecutor } from "@passage/store";
import { describe, expect, it } from "vitest";
import { createLifecycleRulesInForce, lifecycleRulesDigestOf } from "./lifecycle-rules-in-force.ts";

const started = createLifecycleRules();
const edited = createLifecycleRules({ thirdCountryDestinationBlocks: false });

/**
 * A database whose recorded rules are `digest`, and `rules` as JSON when given (answers every
 * query with that row).
 */
function recording(digest: string, rules?: object): SqlExecutor {
  const row = {
    rules_digest: digest,
    rules: rules === undefined ? undefined : JSON.parse(JSON.stringify(rules)),
    recorded_by: "rebuild",
    recorded_at: "2026-01-02T03:04:05.000Z",
  };
  return { query: async () => ({ rows: [row] }) } as unknown as SqlExecutor;
}

describe("createLifecycleRulesInForce", () => {
  it("derives with its rules while they are the recorded ones, without reading the file", async () => {
    const rulesInForce = createLifecycleRulesInForce({
      rules: started,
      reread: () => {
        throw new Error("the file is read only when the rules differ");
      },
    });
    expect(await rulesInForce.rulesForWritingOrThrow(recording(lifecycleRulesDigestOf(started)))).toBe(
      started,
    );
  });

  it("switches to the recorded rules when its file now holds them, and says so", async () => {
    const warnings: string[] = [];
    const rulesInForce = createLifecycleRulesInForce({
      rules: started,
      reread: () => edited,
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    const database = recording(lifecycleRulesDigestOf(edited));
    expect(await rulesInForce.rulesForWritingOrThrow(database)).toBe(edited);
    expect(rulesInForce.digest).toBe(lifecycleRulesDigestOf(edited));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("passage rebuild at 2026-01-02T03:04:05.000Z");
  });

  it("refuses to write or read under other rules, naming the digests and what to do", async () => {
    const rulesInForce = createLifecycleRulesInForce({
      rules: started,
      reread: () => started,
      source: "/data/lifecycle-rules.json",
    });
    const database = recording(lifecycleRulesDigestOf(edited));
    const refused = await rulesInForce.rulesForWritingOrThrow(database).catch((error: Error) => error);
    expect(refused).toMatchObject({ code: "PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE" });
    const message = (refused as Error).message;
    expect(message).toContain(`lifecycle rules ${lifecycleRulesDigestOf(edited)}`);
    expect(message).toContain(`this process has rules ${lifecycleRulesDigestOf(started)}`);
    expect(message).toContain("/data/lifecycle-rules.json gives");
    expect(message).toContain("run `passage rebuild`");
    await expect(rulesInForce.rulesForReadingOrThrow(database)).rejects.toMatchObject({
      code: "PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE",
    });
    expect(rulesInForce.rules).toBe(started);
  });

  it("tells statuses derived by an earlier version under the same rules (an upgrade) from edited rules", async () => {
    // Recorded by a Passage whose digest covered the rules alone, as before the derivation had a version.
    const upgraded = recording(hash("sha256", JSON.stringify(started), "base64url"), started);
    const rulesInForce = createLifecycleRulesInForce({ rules: started, reread: () => started });
    expect(await rulesInForce.derivationOutdated(upgraded)).toBe(true);
    const refused = await rulesInForce.rulesForWritingOrThrow(upgraded).catch((error: Error) => error);
    expect(refused).toMatchObject({ code: "PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE" });
    expect((refused as Error).message).toContain("another version of Passage's lifecycle derivation");
    expect((refused as Error).message).toContain("`passage serve` and `passage start` do so when they start");

    // Rules edited since: not an upgrade a rebuild may settle alone, whatever the version.
    const editedSince = recording(hash("sha256", JSON.stringify(edited), "base64url"), edited);
    expect(await rulesInForce.derivationOutdated(editedSince)).toBe(false);
    const refusedEdit = await rulesInForce.rulesForWritingOrThrow(editedSince).catch((error: Error) => error);
    expect((refusedEdit as Error).message).toContain("after editing lifecycle-rules.json");

    // In force: nothing outdated.
    expect(await rulesInForce.derivationOutdated(recording(lifecycleRulesDigestOf(started), started))).toBe(
      false,
    );
  });
});
