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

describe("passage policy check", () => {
  it("reports every problem of an invalid file on one coded line, each with its file:line (CLI.md)", async () => {
    const bad = path.join(directory, "three-problems.yaml");
    writeFileSync(bad, 'id: bad\nversion: "1"\ncolour: red\nflavour: sweet\nshape: round\n');
    const run = await runPassage(["policy", "check", bad]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error PASSAGE_ERR_POLICY_INVALID: /);
    for (const problem of [`${bad}:3: colour`, `${bad}:4: flavour`, `${bad}:5: shape`])
      expect(lines[0]).toContain(problem);
  }, 120_000);

  it("says a directory is a directory, not that there is no such file", async () => {
    const run = await runPassage(["policy", "check", directory]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `PASSAGE_ERR_POLICY_FILE_UNREADABLE: cannot read policy file ${directory}: it is a directory, not a file`,
    );
    expect(run.stderr).not.toContain("no policy file");
    const missing = await runPassage(["policy", "check", path.join(directory, "missing.yaml")]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`no policy file ${path.join(directory, "missing.yaml")}`);
  }, 120_000);
});
