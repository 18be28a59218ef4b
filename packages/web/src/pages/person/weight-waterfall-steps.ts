import type { PairExplanation } from "../../api/linkage-api.ts";

export interface Step {
  readonly label: string;
  readonly change: number;
  readonly after: number;
}

/** The steps of a pair's score: the prior, each field (with its frequency adjustment), the safeguards. */
export function waterfallSteps(explanation: PairExplanation): Step[] {
  const steps: Step[] = [
    { label: "Prior (base rate)", change: explanation.priorWeight, after: explanation.priorWeight },
  ];
  let running = explanation.priorWeight;
  for (const field of explanation.fields) {
    const change = field.weight + field.termFrequencyAdjustment;
    running += change;
    steps.push({ label: `${field.comparison}: ${field.label}`, change, after: running });
  }
  for (const [label, change] of [
    ["Full-name frequency correction", explanation.fullNameAdjustment],
    ["Namesake cap", explanation.namesakeAdjustment],
  ] as const) {
    if (change !== 0) {
      running += change;
      steps.push({ label, change, after: running });
    }
  }
  return steps;
}

/** Two decimals, as the chart and its table show bits. */
export const round = (value: number) => Math.round(value * 100) / 100;

/** One floating bar of the waterfall: from the running total before the step to the one after. */
export interface WaterfallBar {
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly change: number;
}

/**
 * Where each step's bar lies on the bits axis: from the match weight before it to the weight after
 * it, whatever their signs (the prior starts at 0). Drawn as explicit intervals because ECharts'
 * transparent-base stacking puts a negative base on the other side of zero, so a prior of −10.83
 * was drawn from 0 to +10.83 and every later bar began at 0.
 */
export function waterfallBars(steps: readonly Step[]): WaterfallBar[] {
  return steps.map((step, index) => ({
    index,
    start: round(step.after - step.change),
    end: round(step.after),
    change: round(step.change),
  }));
}
