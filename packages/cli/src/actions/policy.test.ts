import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPassage } from "../testing/run-passage.ts";

const directory = mkdtempSync(path.join(tmpdir(), "passage-policy-diff-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("passage policy diff", () => {
  it("lists the problems of both files when both are invalid, not only the first's", async () => {
    const a = path.join(directory, "a.yaml");
    const b = path.join(directory, "b.yaml");
    writeFileSync(a, 'id: a\nversion: "1"\ncolour: red\n');
    writeFileSync(b, 'id: b\nversion: "1"\nflavour: sweet\n');
    const run = await runPassage(["policy", "diff", a, b]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/PASSAGE_ERR_POLICY_INVALID/);
    expect(run.stderr).toContain(`${a}:3: colour: unknown field`);
    expect(run.stderr).toContain(`${b}:3: flavour: unknown field`);
  }, 120_000);
});
