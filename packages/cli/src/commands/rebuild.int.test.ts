import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

const bed = useCliTestBed("rebuild");
const { run } = bed;

const rebuildEntries = () => bed.auditEntries("Projection");

describe("passage rebuild", () => {
  it("denies a user without projection.rebuild, with one coded error line", async () => {
    expect((await run(["users", "demo"])).code).toBe(0);
    const denied = await run(["--as", "auditor", "rebuild"]);
    expect(denied.code).toBe(5);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toBe(
      "error PASSAGE_ERR_ACCESS_DENIED: user:auditor may not projection.rebuild Projection all\n",
    );
    expect(await rebuildEntries()).toMatchObject([
      { actor: "user:auditor", action: "projection.rebuild", decision: "deny", outcome: "failure" },
    ]);
  });

  it("audits the local operator's rebuild with its purpose and what was rebuilt", async () => {
    const rebuilt = await run(["--purpose", "after the model change", "rebuild"]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toMatch(/^rebuilt: 0 persons, 0 worklist entries in /);
    expect((await rebuildEntries()).at(-1)).toMatchObject({
      actor: "system:local-operator",
      purpose: "after the model change",
      action: "projection.rebuild",
      resourceId: "all",
      decision: "allow",
      outcome: "success",
      details: { persons: 0, worklistEntries: 0, phase: "finished" },
    });
    expect((await rebuildEntries()).at(-2)).toMatchObject({
      action: "projection.rebuild",
      purpose: "after the model change",
      details: { phase: "started" },
    });
    const admin = await run(["--as", "admin", "rebuild"]);
    expect(admin.code, admin.stderr).toBe(0);
    expect((await rebuildEntries()).at(-1)).toMatchObject({ actor: "user:admin", purpose: "cli" });
  });
});
