import { describe, expect, it } from "vitest";
import { assignStableIds } from "./assign-stable-ids.ts";

function minter() {
  let next = 0;
  return () => `N${++next}`;
}

describe("stable person ids", () => {
  it("carries ids by maximum overlap and mints the rest", () => {
    const previous = new Map([
      ["P1", ["a", "b", "c"]],
      ["P2", ["d", "e"]],
      ["P3", ["f"]],
    ]);
    const result = assignStableIds(
      previous,
      [["a", "b", "c", "x"], ["d"], ["e"], ["f", "d2"], ["y"]],
      minter(),
    );
    expect(result.ids[0]).toBe("P1");
    expect([result.ids[1], result.ids[2]].filter((id) => id === "P2")).toHaveLength(1);
    expect(result.ids[3]).toBe("P3");
    expect(result.minted).toBe(2);
    expect(result.retired).toEqual([]);
  });

  it("retires the id of a person absorbed into a larger one, and never reuses ids", () => {
    const previous = new Map([
      ["P1", ["a", "b", "c"]],
      ["P2", ["d"]],
    ]);
    const ids = ["P2", "P1", "N1"];
    const result = assignStableIds(previous, [["a", "b", "c", "d"], ["z"]], () => ids.shift()!);
    expect(result.ids[0]).toBe("P1");
    expect(result.retired).toEqual(["P2"]);
    expect(result.ids[1]).not.toBe("P2");
  });
});
