import { describe, expect, it } from "vitest";
import { decidedByAnotherSteward } from "./own-request.ts";

const user = (needs: string[]) => ({ username: "data.steward", confidentialityNeeds: new Set(needs) });

describe("decidedByAnotherSteward", () => {
  it("is true for the filer lacking either need, whatever the person", () => {
    expect(decidedByAnotherSteward(user([]), "user:data.steward")).toBe(true);
    expect(decidedByAnotherSteward(user(["asylum"]), "user:data.steward")).toBe(true);
  });

  it("is false for a filer holding both needs, for another's request, and signed out", () => {
    expect(decidedByAnotherSteward(user(["asylum", "vawa1367"]), "user:data.steward")).toBe(false);
    expect(decidedByAnotherSteward(user([]), "user:supervisor")).toBe(false);
    expect(decidedByAnotherSteward(undefined, "user:data.steward")).toBe(false);
  });
});
