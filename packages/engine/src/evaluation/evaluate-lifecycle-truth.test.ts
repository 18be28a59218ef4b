import { describe, expect, it } from "vitest";
import { enginePersonsOfTruth } from "./evaluate-lifecycle-truth.ts";

describe("the engine persons that stand for a true person", () => {
  const records = ["visa:V1", "admission:A1", "departure:D1", "court:C1"];

  it("is the one holding most of the true person's records", () => {
    const membership = new Map([
      ["visa:V1", "P-b"],
      ["admission:A1", "P-a"],
      ["departure:D1", "P-a"],
    ]);
    expect(enginePersonsOfTruth(records, membership)).toEqual({
      candidates: ["P-a"],
      counts: new Map([
        ["P-b", 1],
        ["P-a", 2],
      ]),
      unlinked: 1,
    });
  });

  it("on an even split, is every part, in the truth's order of records, whatever the person ids", () => {
    for (const [first, second] of [
      ["P-z", "P-a"],
      ["P-a", "P-z"],
    ] as const) {
      const membership = new Map([
        ["visa:V1", first],
        ["admission:A1", second],
        ["departure:D1", second],
        ["court:C1", first],
      ]);
      expect(enginePersonsOfTruth(records, membership).candidates).toEqual([first, second]);
    }
  });

  it("is none when no record of the true person is linked", () => {
    expect(enginePersonsOfTruth(records, new Map()).candidates).toEqual([]);
  });
});
