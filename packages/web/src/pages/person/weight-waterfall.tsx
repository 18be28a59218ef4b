import type { PairExplanation } from "../../api/linkage-api.ts";
import { Chart, TableWrap } from "../../design/index.ts";
import { round, type WaterfallBar, waterfallBars, waterfallSteps } from "./weight-waterfall-steps.ts";

interface CustomSeriesApi {
  value(dimension: number): number;
  coord(point: [number, number]): [number, number];
  size(extent: [number, number]): [number, number];
  style(): Record<string, unknown>;
}

/** Draws one bar of `waterfallBars` as a rectangle between its two totals. */
function renderInterval(_params: unknown, api: CustomSeriesApi) {
  const category = api.value(0);
  const [startX, centreY] = api.coord([api.value(1), category]);
  const [endX] = api.coord([api.value(2), category]);
  const height = api.size([0, 1])[1] * 0.6;
  return {
    type: "rect",
    shape: { x: Math.min(startX, endX), y: centreY - height / 2, width: Math.abs(endX - startX), height },
    style: api.style(),
  };
}

function intervalSeries(name: string, color: string, bars: readonly WaterfallBar[], sign: string) {
  return {
    name,
    type: "custom",
    renderItem: renderInterval,
    encode: { x: [1, 2], y: 0 },
    itemStyle: { color },
    label: {
      show: true,
      position: "right",
      formatter: (point: { value: number[] }) => `${sign}${Math.abs(point.value[3] ?? 0)}`,
    },
    data: bars.map((bar) => [bar.index, bar.start, bar.end, bar.change]),
  };
}

/**
 * The weight waterfall of a link (Splink's chart): each bar moves the match weight up (agreement)
 * or down (disagreement), in bits, from the total before it to the total after it; the sign is
 * written on each bar, not only coloured.
 */
export function WeightWaterfall({ explanation, title }: { explanation: PairExplanation; title: string }) {
  const steps = waterfallSteps(explanation);
  const bars = waterfallBars(steps);
  return (
    <Chart
      label={title}
      height={Math.max(260, steps.length * 28)}
      option={{
        tooltip: { trigger: "item" },
        grid: { left: 260, right: 40, top: 8, bottom: 30 },
        xAxis: { type: "value", name: "bits", scale: false },
        yAxis: { type: "category", inverse: true, data: steps.map((step) => step.label) },
        series: [
          intervalSeries(
            "agrees (+)",
            "#1d6b35",
            bars.filter((bar) => bar.change >= 0),
            "+",
          ),
          intervalSeries(
            "disagrees (−)",
            "#a32020",
            bars.filter((bar) => bar.change < 0),
            "−",
          ),
        ],
      }}
      summary={
        <TableWrap label={title}>
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
        </TableWrap>
      }
    />
  );
}
