import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { LIFECYCLE_DERIVATION_VERSION } from "./derivation-version.ts";

const SEMANTICS = new URL("../../../../docs/lifecycle-semantics.md", import.meta.url);

/** The numbers of the entries of "Changes since the first version", in order. */
function changeEntryNumbers(markdown: string): number[] {
  const start = markdown.indexOf("\n## Changes since the first version");
  if (start < 0)
    throw new Error('docs/lifecycle-semantics.md has no "Changes since the first version" section');
  const end = markdown.indexOf("\n## ", start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^(\d+)\. /gm)].map((match) => Number(match[1]));
}

describe("the lifecycle derivation version", () => {
  it("is the number of the last documented change to the derivation, so a documented change raises it", () => {
    const numbers = changeEntryNumbers(fs.readFileSync(SEMANTICS, "utf8"));
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers).toEqual(numbers.map((_, index) => index + 1));
    expect(LIFECYCLE_DERIVATION_VERSION).toBe(numbers.at(-1));
  });
});
