import { describe, expect, it } from "vitest";
import { MAX_PURPOSE_LENGTH, purposeProblem } from "./purpose-of-use.ts";

describe("purposeProblem", () => {
  it("refuses a purpose longer than the server accepts, naming the limit", () => {
    expect(purposeProblem("Case review")).toBeUndefined();
    expect(purposeProblem("x".repeat(MAX_PURPOSE_LENGTH))).toBeUndefined();
    expect(purposeProblem("x".repeat(600))).toMatch(/at most 200 characters; this one has 600/);
  });
});
