import { describe, expect, it } from "vitest";
import { countOf } from "./count-of.ts";

describe("countOf", () => {
  it("says one in the singular, any other count in the plural, with thousands separated", () => {
    expect(countOf(1, "link")).toBe("1 link");
    expect(countOf(0, "link")).toBe("0 links");
    expect(countOf(2500, "case")).toBe("2,500 cases");
    expect(countOf(1, "entry", "entries")).toBe("1 entry");
    expect(countOf(3, "entry", "entries")).toBe("3 entries");
  });
});
