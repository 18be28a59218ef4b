import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../seeded-random.ts";
import { expectationMaximisation, PatternCounter } from "./expectation-maximisation.ts";

/** Draws a level from probabilities over levels 1..n (level 0 is missing). */
function draw(row: readonly number[], random: () => number): number {
  let remaining = random();
  for (let level = 1; level < row.length; level += 1) {
    remaining -= row[level]!;
    if (remaining < 0) return level;
  }
  return row.length - 1;
}

describe("expectation-maximisation", () => {
  it("recovers known m, u and lambda from simulated comparison vectors", () => {
    const truthM = [
      [0, 0.9, 0.07, 0.03],
      [0, 0.85, 0.1, 0.05],
      [0, 0.95, 0.05],
      [0, 0.8, 0.15, 0.05],
    ];
    const truthU = [
      [0, 0.02, 0.08, 0.9],
      [0, 0.05, 0.15, 0.8],
      [0, 0.3, 0.7],
      [0, 0.01, 0.09, 0.9],
    ];
    const lambda = 0.2;
    const random = createSeededRandom(5);
    const counter = new PatternCounter(4);
    const vector = new Uint8Array(4);
    for (let pair = 0; pair < 60_000; pair += 1) {
      const match = random() < lambda;
      for (let k = 0; k < 4; k += 1) {
        // One field in ten is missing, as in real records.
        vector[k] = random() < 0.1 ? 0 : draw(match ? truthM[k]! : truthU[k]!, random);
      }
      counter.add(vector);
    }
    const flat = (row: number[]) => row.map((_, level) => (level === 0 ? 0 : 1 / (row.length - 1)));
    const result = expectationMaximisation(
      counter.result(),
      {
        // Sensible but wrong starting values: agreement likelier among matches.
        m: truthM.map((row) =>
          row.map((_, level) => (level === 0 ? 0 : level === 1 ? 0.6 : 0.4 / (row.length - 2))),
        ),
        u: truthU.map(flat),
        lambda: 0.5,
      },
      { estimateU: true, maximumIterations: 500, tolerance: 1e-7 },
    );
    expect(result.converged).toBe(true);
    expect(result.lambda).toBeCloseTo(lambda, 2);
    for (let k = 0; k < 4; k += 1) {
      for (let level = 1; level < truthM[k]!.length; level += 1) {
        expect(Math.abs(result.m[k]![level]! - truthM[k]![level]!)).toBeLessThan(0.02);
        expect(Math.abs(result.u[k]![level]! - truthU[k]![level]!)).toBeLessThan(0.02);
      }
    }
  });

  it("leaves held-out comparisons untouched", () => {
    const counter = new PatternCounter(2);
    counter.add(Uint8Array.from([1, 1]), 50);
    counter.add(Uint8Array.from([2, 2]), 50);
    const start = {
      m: [
        [0, 0.7, 0.3],
        [0, 0.7, 0.3],
      ],
      u: [
        [0, 0.3, 0.7],
        [0, 0.3, 0.7],
      ],
      lambda: 0.5,
    };
    const result = expectationMaximisation(counter.result(), start, {
      heldOut: new Set([0]),
      estimateU: true,
      maximumIterations: 50,
      tolerance: 1e-9,
    });
    expect(result.m[0]).toEqual([0, 0.7, 0.3]);
    expect(result.u[0]).toEqual([0, 0.3, 0.7]);
  });
});
