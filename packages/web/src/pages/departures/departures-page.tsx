import type { DepartureMetrics, DurationSummary } from "../../api/departure-api.ts";
import { useSession } from "../../auth/session-context.tsx";
import { Alert, Badge, Chart, type ChartOption, Loading, PageHeader, TableWrap } from "../../design/index.ts";
import { dailySeries, hourLabel, hourlySeries, type TierSeries, totalOf } from "./departure-figures.ts";
import { type StreamConnection, useDepartureStream } from "./use-departure-stream.ts";

const number = (count: number) => count.toLocaleString("en-US");
const days = (value: number | null) => (value === null ? "—" : `${Math.round(value * 10) / 10}`);
/** Patterns as well as colours tell the series apart (ECharts decals), for colour-blind readers and print. */
const ARIA = { aria: { enabled: true, decal: { show: true } } };
const TIER_LABELS = { verified: "Verified (government record)", claimed: "Claimed (self-report)" } as const;

function tierChart(series: TierSeries, labels: readonly string[]): ChartOption {
  return {
    ...ARIA,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: 40 },
    xAxis: { type: "category", data: labels },
    yAxis: { type: "value", minInterval: 1 },
    series: (["verified", "claimed"] as const).map((tier) => ({
      name: TIER_LABELS[tier],
      type: "bar",
      stack: "tier",
      data: series.counts[tier],
    })),
  };
}

function barChart(categories: readonly string[], values: readonly number[]): ChartOption {
  return {
    ...ARIA,
    tooltip: {},
    grid: { left: 160, right: 40, top: 8, bottom: 24 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: categories, inverse: true },
    series: [{ type: "bar", data: values, label: { show: true, position: "right" } }],
  };
}

function TierTable({ caption, series, labels }: { caption: string; series: TierSeries; labels: string[] }) {
  return (
    <TableWrap label={caption}>
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Verified</th>
            <th scope="col">Claimed</th>
          </tr>
        </thead>
        <tbody>
          {series.slots.map((slot, index) => (
            <tr key={slot}>
              <th scope="row">{labels[index]}</th>
              <td>{series.counts.verified[index]}</td>
              <td>{series.counts.claimed[index]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function PairTable({ caption, rows }: { caption: string; rows: readonly [string, number][] }) {
  return (
    <TableWrap label={caption}>
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <tbody>
          {rows.map(([label, count]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{number(count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

const CONNECTION_BADGES: Record<
  StreamConnection,
  [tone: "success" | "warning" | "danger" | "info", text: string]
> = {
  connecting: ["info", "Connecting"],
  live: ["success", "Live"],
  reconnecting: ["warning", "Reconnecting"],
  closed: ["danger", "Stopped"],
};

function KeyFigures({
  metrics,
  hourly,
  daily,
}: {
  metrics: DepartureMetrics;
  hourly: TierSeries;
  daily: TierSeries;
}) {
  const figures: [string, string, number][] = [
    [
      "confirmed-recent",
      `Departures confirmed in the last ${hourly.slots.length - 1} hours`,
      totalOf(hourly),
    ],
    ["dated-total", `Departures dated ${metrics.from} to ${metrics.to}`, totalOf(daily)],
    ["dated-verified", "of which verified by a government record", totalOf(daily, "verified")],
    ["dated-claimed", "of which claimed, not yet corroborated", totalOf(daily, "claimed")],
    ["claims-corroborated", "Claims a government record later corroborated", metrics.claimedCorroborated],
    ["claims-never", "Claims never corroborated", metrics.claimedNeverCorroborated],
    ["overstays-in", "Suspected overstays still in the country", metrics.overstays.inCountry],
    ["overstays-out", "Suspected overstays who left late (verified)", metrics.overstays.outOfCountry],
    [
      "overstays-claimed",
      "Suspected overstays with a claimed departure, not corroborated",
      metrics.overstays.departureClaimed,
    ],
  ];
  return (
    <section className="card" aria-labelledby="departure-key-figures">
      <h2 id="departure-key-figures">Key figures</h2>
      <dl className="facts">
        {figures.map(([id, label, count]) => (
          <div key={id} style={{ display: "contents" }}>
            <dt>{label}</dt>
            <dd data-testid={`departures-${id}`}>{number(count)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function DurationTable({ rows }: { rows: readonly [string, DurationSummary][] }) {
  return (
    <TableWrap label="Days from order or grant to a verified departure">
      <table className="table">
        <caption className="visually-hidden">Days from order or grant to a verified departure</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Departures</th>
            <th scope="col">Median (days)</th>
            <th scope="col">90th percentile (days)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, summary]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{number(summary.count)}</td>
              <td>{days(summary.median)}</td>
              <td>{days(summary.p90)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The departures dashboard: live aggregate figures (no person, no place), every chart also as a table. */
export function DeparturesPage() {
  const { purpose } = useSession();
  const { metrics, connection, received } = useDepartureStream(purpose);
  const [tone, text] = CONNECTION_BADGES[connection];
  const hourly = metrics ? hourlySeries(metrics) : null;
  const daily = metrics ? dailySeries(metrics) : null;
  const hourLabels = hourly ? hourly.slots.map(hourLabel) : [];
  const dayLabels = daily ? daily.slots.map((slot) => slot.slice(5)) : [];
  const claims: [string, number][] = metrics
    ? [
        ["Corroborated later", metrics.claimedCorroborated],
        ["Never corroborated", metrics.claimedNeverCorroborated],
      ]
    : [];
  const overstays: [string, number][] = metrics
    ? [
        ["Still in the country", metrics.overstays.inCountry],
        ["Left the country late (verified)", metrics.overstays.outOfCountry],
        ["Claimed departure, not corroborated", metrics.overstays.departureClaimed],
      ]
    : [];
  const durations: [string, DurationSummary][] = metrics
    ? [
        ["Final order", metrics.daysToDeparture.fromFinalOrder],
        ["Voluntary-departure grant", metrics.daysToDeparture.fromVoluntaryDepartureGrant],
      ]
    : [];
  return (
    <>
      <PageHeader title="Departures">
        <p>
          Confirmed departures as they arrive: counts and durations only, never a person or a place. A
          self-reported departure stays "claimed" until a government record corroborates it; overstays are an
          analytic flag, not a legal finding.
        </p>
      </PageHeader>
      <p role="status" data-testid="departures-connection">
        <Badge tone={tone}>{text}</Badge>
        {metrics
          ? ` Updated ${metrics.generatedAt.slice(11, 19)} UTC · ${received} ${received === 1 ? "update" : "updates"} received.`
          : null}
      </p>
      {connection === "closed" ? (
        <Alert tone="error" title="The live figures stopped">
          The server closed the stream. Sign in again or reload the page.
        </Alert>
      ) : null}
      {metrics && hourly && daily ? (
        <div className="stack">
          <div className="grid-2">
            <KeyFigures metrics={metrics} hourly={hourly} daily={daily} />
            <Chart
              label="Departures confirmed per hour, by evidence tier"
              height={240}
              option={tierChart(hourly, hourLabels)}
              summary={
                <TierTable caption="Departures confirmed per hour" series={hourly} labels={hourLabels} />
              }
            />
          </div>
          <div className="grid-2">
            <Chart
              label={`Departures per day, ${metrics.from} to ${metrics.to}, by evidence tier`}
              height={240}
              option={tierChart(daily, dayLabels)}
              summary={<TierTable caption="Departures per day" series={daily} labels={daily.slots.slice()} />}
            />
            <section className="card" aria-labelledby="departure-durations">
              <h2 id="departure-durations">Days to a verified departure</h2>
              <DurationTable rows={durations} />
            </section>
          </div>
          <div className="grid-2">
            <Chart
              label="Claimed departures: corroborated or not"
              height={140}
              option={barChart(
                claims.map(([label]) => label),
                claims.map(([, count]) => count),
              )}
              summary={<PairTable caption="Claimed departures" rows={claims} />}
            />
            <Chart
              label="Suspected overstays: in the country, left late, or a claimed departure"
              height={140}
              option={barChart(
                overstays.map(([label]) => label),
                overstays.map(([, count]) => count),
              )}
              summary={<PairTable caption="Suspected overstays" rows={overstays} />}
            />
          </div>
        </div>
      ) : connection !== "closed" ? (
        <Loading what="the departure figures" />
      ) : null}
    </>
  );
}
