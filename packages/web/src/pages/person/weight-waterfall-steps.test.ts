import { describe, expect, it } from "vitest";
import type { PairExplanation } from "../../api/linkage-api.ts";
import { waterfallBars, waterfallSteps } from "./weight-waterfall-steps.ts";

function explanation(priorWeight: number, weights: number[]): PairExplanation {
  return {
    priorWeight,
    fields: weights.map((weight, index) => ({
      comparison: `field ${index}`,
      label: "exact",
      weight,
      termFrequencyAdjustment: 0,
    })) as unknown as PairExplanation["fields"],
    fullNameAdjustment: 0,
    namesakeAdjustment: 0,
    matchWeight: weights.reduce((sum, weight) => sum + weight, priorWeight),
    matchProbability: 0.5,
    band: "review",
  };
}

describe("the weight waterfall's bars", () => {
  it("run from the total before each step to the total after it, below zero as above", () => {
    const bars = waterfallBars(waterfallSteps(explanation(-10.83, [6.5, -2, 9])));
    expect(bars.map(({ start, end }) => [start, end])).toEqual([
      [0, -10.83],
      [-10.83, -4.33],
      [-4.33, -6.33],
      [-6.33, 2.67],
    ]);
  });

  it("agree with the table: each bar ends at the step's 'match weight after', the next starts there", () => {
    const steps = waterfallSteps(explanation(3.2, [-5.1, 1.4, -0.5]));
    const bars = waterfallBars(steps);
    for (const [index, bar] of bars.entries()) {
      expect(bar.end).toBeCloseTo(steps[index]!.after, 2);
      if (index > 0) expect(bar.start).toBeCloseTo(bars[index - 1]!.end, 2);
    }
  });
});
