import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { digits, IdentifierPermutation } from "./identifier-permutation.ts";
import { SeededRandom, seedWords, streamRandom } from "./seeded-random.ts";

describe("IdentifierPermutation", () => {
  it("is a bijection on a small space (checked exhaustively)", () => {
    for (const limit of [16, 1000, 4096, 12_345]) {
      const permutation = new IdentifierPermutation(7, limit);
      const seen = new Set<number>();
      for (let value = 0; value < limit; value++) {
        const image = permutation.apply(value);
        expect(image).toBeGreaterThanOrEqual(0);
        expect(image).toBeLessThan(limit);
        seen.add(image);
      }
      expect(seen.size).toBe(limit);
    }
  });

  it("maps distinct values to distinct values in large spaces (property)", () => {
    const permutation = new IdentifierPermutation(99, 2 ** 36);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 36 - 1 }),
        fc.integer({ min: 0, max: 2 ** 36 - 1 }),
        (a, b) => {
          fc.pre(a !== b);
          expect(permutation.apply(a)).not.toBe(permutation.apply(b));
        },
      ),
    );
  });

  it("refuses values outside its space", () => {
    expect(() => new IdentifierPermutation(1, 100).apply(100)).toThrow(RangeError);
  });

  it("pads to a fixed width", () => {
    expect(digits(42, 5)).toBe("00042");
    expect(digits(123456, 3)).toBe("123456");
    expect(digits(7, 11)).toBe("00000000007");
    expect(digits(99_999_999_999, 11)).toBe("99999999999");
    expect(digits(100_000_000_000, 11)).toBe("100000000000");
  });

  it("writes every value as its decimal digits, zero-padded to the width (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 14 }), (value, width) => {
        expect(digits(value, width)).toBe(String(value).padStart(width, "0"));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("SeededRandom", () => {
  it("gives the same sequence for the same seed and different ones for different seeds", () => {
    const sequence = (seed: string, index: number) => {
      const random = streamRandom(seedWords(seed), 1, index);
      return Array.from({ length: 8 }, () => random.nextUint32());
    };
    expect(sequence("a", 3)).toEqual(sequence("a", 3));
    expect(sequence("a", 3)).not.toEqual(sequence("b", 3));
    expect(sequence("a", 3)).not.toEqual(sequence("a", 4));
  });

  it("draws floats in [0, 1) and integers in range (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), (seed, count) => {
        const random = new SeededRandom(seed, seed ^ 0x5bd1e995, 7, 11);
        const value = random.next();
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(1);
        const below = random.below(count);
        expect(Number.isInteger(below) && below >= 0 && below < count).toBe(true);
      }),
    );
  });
});
