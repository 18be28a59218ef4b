import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

const bed = useCliTestBed("redress");
const { run } = bed;

describe("passage redress resolve", () => {
  it("names a corrections file it cannot read or parse, as a usage error, before opening anything", async () => {
    const resolve = (file: string) =>
      run([
        "redress",
        "resolve",
        "RR-NONE",
        "--outcome",
        "granted",
        "--reason",
        "checked",
        "--corrections",
        file,
      ]);
    const missing = path.join(bed.directory, "missing.json");
    const absent = await resolve(missing);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toBe(
      `error PASSAGE_ERR_CLI_USAGE: --corrections ${missing} cannot be read: no such file\n`,
    );

    const truncated = path.join(bed.directory, "truncated.json");
    fs.writeFileSync(truncated, '[{"feed": "court", "row": {');
    const broken = await resolve(truncated);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      new RegExp(`^error PASSAGE_ERR_CLI_USAGE: --corrections ${truncated} is not JSON: .+\\n$`),
    );

    const object = path.join(bed.directory, "object.json");
    fs.writeFileSync(object, '{"feed": "court"}');
    const notArray = await resolve(object);
    expect(notArray.code).toBe(2);
    expect(notArray.stderr).toContain(`--corrections ${object} must hold a JSON array of {feed, row}`);
  });
});

describe("passage redress list", () => {
  it("refuses an unknown --status as a usage error naming the statuses", async () => {
    const listed = await run(["redress", "list", "--status", "bogus"]);
    expect(listed.code).toBe(2);
    expect(listed.stdout).toBe("");
    expect(listed.stderr).toBe(
      'error PASSAGE_ERR_CLI_USAGE: --status must be one of filed, under_review, resolved, got "bogus"\n',
    );
  });

  it("refuses a role that may read no redress request, as the API and redress show do, not with []", async () => {
    const added = await run([
      "users",
      "add",
      "removal.officer",
      "--role",
      "removal_officer",
      "--office",
      "ATL",
    ]);
    expect(added.code, added.stderr).toBe(0);
    const listed = await run(["redress", "list", "--as", "removal.officer", "--json"]);
    expect(listed.stdout).toBe("");
    expect(listed.stderr).toMatch(/^error PASSAGE_ERR_ACCESS_DENIED: /m);
    expect(listed.code).toBe(5);
    const shown = await run(["redress", "show", "RR-NONE", "--as", "removal.officer", "--json"]);
    expect(shown.code).toBe(5);
    const entries = await bed.auditEntries("RedressRequest");
    expect(
      entries.filter(
        (entry) => entry.actor === "user:removal.officer" && (entry.details as { list?: boolean }).list,
      ),
    ).toEqual([
      expect.objectContaining({
        action: "redress.read",
        decision: "deny",
        errorCode: "PASSAGE_ERR_ACCESS_DENIED",
      }),
    ]);
  });
});
