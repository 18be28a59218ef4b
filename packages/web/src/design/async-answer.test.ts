import { describe, expect, it } from "vitest";
import { answerFor, sameDependencies } from "./async-answer.ts";

describe("answerFor", () => {
  const answer = { dependencies: ["P-1", "Case review", ""], data: { name: "Chidi" }, error: undefined };

  it("shows an answer only for the dependencies it was loaded for", () => {
    expect(answerFor(answer, ["P-1", "Case review", ""]).data).toEqual({ name: "Chidi" });
    expect(answerFor(answer, ["P-2", "Case review", ""])).toEqual({
      data: undefined,
      error: undefined,
      current: false,
    });
    expect(answerFor(answer, ["P-1", "Case review", "2026-01-01"]).data).toBeUndefined();
  });

  it("shows no data beside an error", () => {
    const failed = { dependencies: ["P-2"], data: { name: "Chidi" }, error: new Error("not found") };
    expect(answerFor(failed, ["P-2"])).toMatchObject({ data: undefined, current: true });
    expect(answerFor(failed, ["P-2"]).error).toBeInstanceOf(Error);
  });

  it("compares dependencies as React does", () => {
    expect(sameDependencies([Number.NaN, 1], [Number.NaN, 1])).toBe(true);
    expect(sameDependencies([1], [1, 2])).toBe(false);
  });
});
