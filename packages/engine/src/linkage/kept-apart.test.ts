import { describe, expect, it } from "vitest";
import { keptApartOf } from "./kept-apart.ts";

const aNumber = (value: string) => [{ scheme: "a_number", value, toleratesTypos: true }];

describe("keptApartOf", () => {
  it("names each record left outside the merged person with the reason its person stands apart", () => {
    // Records 0-2 were one person, 3 another; the must-link joined 1 and 3. Record 0 holds another
    // A-number than 3, record 2 is cannot-linked to 3, record 4 (a neighbour) was never merged.
    const kept = keptApartOf({
      keys: ["a:0", "a:1", "a:2", "b:3", "c:4"],
      clusters: [[0], [1, 3], [2], [4]],
      clusterOf: Int32Array.from([0, 1, 2, 1, 3]),
      personIds: ["P-0", "P-13", "P-2", "P-4"],
      identifiers: [aNumber("111111111"), [], [], aNumber("222222222"), []],
      cannotLinks: [[2, 3]],
      merged: 1,
      former: [0, 1, 2, 3],
    });
    expect(kept).toEqual([
      {
        record: "a:0",
        personId: "P-0",
        reason: "conflicting_identifiers",
        conflictingIdentifiers: ["a_number"],
        conflictsWith: ["b:3"],
      },
      {
        record: "a:2",
        personId: "P-2",
        reason: "cannot_link",
        conflictingIdentifiers: [],
        conflictsWith: ["b:3"],
      },
    ]);
  });

  it("says when no automatic link joins a record to the merged person", () => {
    const kept = keptApartOf({
      keys: ["a:0", "a:1", "b:2"],
      clusters: [[0], [1, 2]],
      clusterOf: Int32Array.from([0, 1, 1]),
      personIds: ["P-0", "P-12"],
      identifiers: [[], [], []],
      cannotLinks: [],
      merged: 1,
      former: [0, 1, 2],
    });
    expect(kept).toEqual([
      { record: "a:0", personId: "P-0", reason: "not_linked", conflictingIdentifiers: [], conflictsWith: [] },
    ]);
  });
});
