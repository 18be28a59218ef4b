import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { damerauLevenshteinDistance } from "./damerau-levenshtein.ts";
import {
  characterMask,
  jaroSimilarity,
  jaroWinklerSimilarity,
  jaroWinklerUpperBound,
} from "./jaro-winkler.ts";

/** Textbook optimal-string-alignment distance, the reference the fast version must equal. */
function referenceDistance(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(table[i - 1]![j]! + 1, table[i]![j - 1]! + 1, table[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, table[i - 2]![j - 2]! + 1);
      table[i]![j] = value;
    }
  }
  return table[a.length]![b.length]!;
}

const shortText = fc.string({ unit: fc.constantFrom(..."abcdeo"), maxLength: 9 });
const name = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), maxLength: 14 });

describe("Jaro-Winkler", () => {
  it("matches published values", () => {
    expect(jaroSimilarity("martha", "marhta")).toBeCloseTo(0.9444, 4);
    expect(jaroWinklerSimilarity("martha", "marhta")).toBeCloseTo(0.9611, 4);
    expect(jaroWinklerSimilarity("dwayne", "duane")).toBeCloseTo(0.84, 2);
    expect(jaroWinklerSimilarity("dixon", "dicksonx")).toBeCloseTo(0.8133, 4);
    expect(jaroWinklerSimilarity("abc", "xyz")).toBe(0);
    expect(jaroWinklerSimilarity("", "abc")).toBe(0);
  });

  it("is symmetric, bounded, 1 exactly on identity, and never above its upper bound", () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const similarity = jaroWinklerSimilarity(a, b);
        expect(similarity).toBeCloseTo(jaroWinklerSimilarity(b, a), 12);
        expect(similarity).toBeGreaterThanOrEqual(0);
        expect(similarity).toBeLessThanOrEqual(1);
        expect(jaroWinklerSimilarity(a, a)).toBe(1);
        if (a !== b) expect(similarity).toBeLessThan(1);
        expect(jaroWinklerUpperBound(a, b, characterMask(a), characterMask(b))).toBeGreaterThanOrEqual(
          similarity - 1e-12,
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe("Damerau-Levenshtein (optimal string alignment)", () => {
  it("matches known values", () => {
    expect(damerauLevenshteinDistance("kitten", "sitting")).toBe(3);
    expect(damerauLevenshteinDistance("ca", "ac")).toBe(1);
    expect(damerauLevenshteinDistance("ca", "abc")).toBe(3);
    expect(damerauLevenshteinDistance("123456789", "123465789")).toBe(1);
    expect(damerauLevenshteinDistance("", "abc")).toBe(3);
  });

  it("equals the textbook table, is symmetric, 0 only on identity, and bounded by the lengths", () => {
    fc.assert(
      fc.property(shortText, shortText, (a, b) => {
        const distance = damerauLevenshteinDistance(a, b);
        expect(distance).toBe(referenceDistance(a, b));
        expect(distance).toBe(damerauLevenshteinDistance(b, a));
        expect(distance === 0).toBe(a === b);
        expect(distance).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(distance).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
      { numRuns: 3000 },
    );
  });

  it("with a maximum, answers the distance when within it and maximum + 1 otherwise", () => {
    fc.assert(
      fc.property(shortText, shortText, fc.integer({ min: 0, max: 4 }), (a, b, maximum) => {
        const full = referenceDistance(a, b);
        expect(damerauLevenshteinDistance(a, b, maximum)).toBe(full <= maximum ? full : maximum + 1);
      }),
      { numRuns: 2000 },
    );
  });
});
