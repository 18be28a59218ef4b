import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

/** `passage link --evaluate` on a database with no records: evaluated all the same (CLI.md). */

const bed = useCliTestBed("link-empty");

function truthFile(name: string, text: string): string {
  const file = path.join(bed.directory, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("passage link --evaluate on an empty database", () => {
  it("prints precision, recall and F1 first, as n/a, with a note that nothing was evaluated", async () => {
    const truth = truthFile("truth.csv", "feed,key,person_id\nadmission,A1,P1\nvisa,V1,P1\n");
    const result = await bed.run(["link", "--evaluate", truth]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("precision=n/a recall=n/a f1=n/a");
    expect(lines).toContain(
      "note: none of the truth file's 2 records is in the records table: nothing was evaluated (a truth file for other data, or another data directory?)",
    );
    expect(lines).toContain("evaluated records=0 of 2 in the truth file");
    expect(lines.find((line) => line.startsWith("records="))).toMatch(/^records=0 persons=0 /);

    const json = await bed.run(["link", "--json", "--evaluate", truth]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).evaluation).toMatchObject({
      pairwise: { precision: null, recall: null, f1: null },
      truthRecords: 2,
      evaluatedRecords: 0,
    });
  });

  it("still refuses a truth file it cannot read", async () => {
    const bad = truthFile("bad.csv", "id,who\n1,2\n");
    const result = await bed.run(["link", "--evaluate", bad]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim()).toMatch(
      /^error PASSAGE_ERR_LINK_TRUTH_INVALID: truth file .*feed,key,person_id/,
    );
  });
});
