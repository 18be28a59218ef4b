import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BatchLinkResult } from "@passage/linkage";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateBatch, readLinkageTruthFileOrThrow } from "./batch-evaluation.ts";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-truth-"));
const truthFile = (name: string, text: string) => {
  const file = path.join(directory, name);
  fs.writeFileSync(file, text);
  return file;
};

afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

describe("the truth file of passage link --evaluate", () => {
  it("refuses a record named as two different persons, naming the record and both lines", async () => {
    const file = truthFile(
      "dup.csv",
      "feed,key,person_id\nvisa,V33108738155,X\nadmission,001512174O3,X\nvisa,V33108738155,Y\n",
    );
    await expect(readLinkageTruthFileOrThrow(file)).rejects.toMatchObject({
      code: "PASSAGE_ERR_LINK_TRUTH_INVALID",
      message: expect.stringMatching(/visa:V33108738155 is person X on line 2 and person Y on line 4/),
    });
  });

  it("accepts a record named twice as the same person", async () => {
    const file = truthFile("same.csv", "feed,key,person_id\nvisa,V1,X\nvisa,V1,X\n");
    expect(await readLinkageTruthFileOrThrow(file)).toEqual(new Map([["visa:V1", "X"]]));
  });
});

describe("evaluating against a truth without a true pair", () => {
  it("reports recall and F1 as undefined with a note, not as 1", () => {
    const keys = ["visa:V1", "visa:V2"];
    const result = {
      clustering: { clusterOf: Int32Array.from([0, 1]) },
      pairs: {
        count: 0,
        left: new Int32Array(0),
        right: new Int32Array(0),
        weight: new Float64Array(0),
        band: new Uint8Array(0),
      },
    } as unknown as BatchLinkResult;
    const truth = new Map([
      ["visa:V1", "X"],
      ["visa:V2", "Y"],
    ]);
    const evaluation = evaluateBatch(keys, [undefined, undefined], result, [], truth);
    expect(evaluation.truePairs).toBe(0);
    expect([evaluation.pairwise.recall, evaluation.pairwise.f1]).toEqual([null, null]);
    expect(evaluation.thresholds.every((row) => row.recall === null && row.f1 === null)).toBe(true);
    expect(evaluation.notes.join(" ")).toMatch(/recall and F1 are undefined/);
  });

  /** Two visa records clustered as given and scored as no pair, evaluated against `truth`. */
  const evaluateTwo = (clusterOf: readonly number[], truth: readonly (readonly [string, string])[]) =>
    evaluateBatch(
      ["visa:V1", "visa:V2"],
      [undefined, undefined],
      {
        clustering: { clusterOf: Int32Array.from(clusterOf) },
        pairs: { count: 0, left: [], right: [], weight: [], band: [] },
      } as unknown as BatchLinkResult,
      [],
      new Map(truth),
    );

  it("says so when no record of the truth file is in the records table", () => {
    const evaluation = evaluateTwo(
      [0, 1],
      [
        ["visa:OTHER1", "X"],
        ["visa:OTHER2", "X"],
      ],
    );
    expect(evaluation.evaluatedRecords).toBe(0);
    expect(evaluation.notes[0]).toBe(
      "none of the truth file's 2 records is in the records table: nothing was evaluated (a truth file for other data, or another data directory?)",
    );
  });

  it("keeps recall where the truth holds a true pair", () => {
    const evaluation = evaluateTwo(
      [0, 0],
      [
        ["visa:V1", "X"],
        ["visa:V2", "X"],
      ],
    );
    expect(evaluation.pairwise.recall).toBe(1);
    expect(evaluation.notes).toEqual([]);
  });
});
