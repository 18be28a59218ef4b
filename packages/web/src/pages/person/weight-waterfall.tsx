import type { PairExplanation } from "../../api/linkage-api.ts";
import { Chart } from "../../design/index.ts";

interface Step {
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

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * The weight waterfall of a link (Splink's chart): each bar moves the match weight up (agreement)
 * or down (disagreement), in bits; the sign is written on each bar, not only coloured.
 */
export function WeightWaterfall({ explanation, title }: { explanation: PairExplanation; title: string }) {
  const steps = waterfallSteps(explanation);
  const base = steps.map((step) => round(Math.min(step.after, step.after - step.change)));
  const rise = steps.map((step) => (step.change >= 0 ? round(step.change) : 0));
  const fall = steps.map((step) => (step.change < 0 ? round(-step.change) : 0));
  return (
    <Chart
      label={title}
      height={Math.max(260, steps.length * 28)}
      option={{
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 260, right: 40, top: 8, bottom: 30 },
        xAxis: { type: "value", name: "bits" },
        yAxis: { type: "category", inverse: true, data: steps.map((step) => step.label) },
        series: [
          { type: "bar", stack: "w", data: base, itemStyle: { color: "transparent" }, silent: true },
          {
            name: "agrees (+)",
            type: "bar",
            stack: "w",
            data: rise,
            itemStyle: { color: "#1d6b35" },
            label: {
              show: true,
              position: "right",
              formatter: (p: { value: number }) => (p.value ? `+${p.value}` : ""),
            },
          },
          {
            name: "disagrees (−)",
            type: "bar",
            stack: "w",
            data: fall,
            itemStyle: { color: "#a32020", decal: { symbol: "rect" } },
            label: {
              show: true,
              position: "right",
              formatter: (p: { value: number }) => (p.value ? `−${p.value}` : ""),
            },
          },
        ],
      }}
      summary={
        <table className="table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Change (bits)</th>
              <th scope="col">Match weight after</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((step) => (
              <tr key={step.label}>
                <th scope="row">{step.label}</th>
                <td>{`${step.change >= 0 ? "+" : "−"}${Math.abs(round(step.change))}`}</td>
                <td>{round(step.after)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Match weight, probability</th>
              <td />
              <td>
                {round(explanation.matchWeight)} bits, {(explanation.matchProbability * 100).toFixed(1)}% (
                {explanation.band})
              </td>
            </tr>
          </tbody>
        </table>
      }
    />
  );
}
