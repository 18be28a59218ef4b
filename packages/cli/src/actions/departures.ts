import {
  DEPARTURE_RANGE,
  type DepartureDashboard,
  type DepartureRange,
  type DistributionSummary,
  departureRangeDays,
  departureRangeOf,
  departureRangeProblem,
  readDepartureDashboard,
  todayUtc,
} from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { DepartureMetricsOptions } from "../commands/departures.ts";
import type { Output } from "../output.ts";

/**
 * `passage departures metrics [--from] [--to]`: the departures dashboard document of
 * `GET /api/v1/departures/metrics`, read through the same audited `departure_metrics.read`, with
 * the projections caught up first. The range is checked before the database is opened.
 */
export async function printDepartureMetrics(
  options: DepartureMetricsOptions,
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  const today = todayUtc();
  refuseRangeOrContinue(departureRangeOf(options, today), options, today);
  const dashboard = await context.withCurrentApp(async (app) =>
    readDepartureDashboard(await context.access(app), app.store.db, app.lifecycle.rules, options),
  );
  if (context.output.json) return context.output.document(dashboard);
  printDashboard(context.output, dashboard);
}

/** The engine's range checks, the route's, worded with the options of the command line. */
function refuseRangeOrContinue(range: DepartureRange, options: DepartureMetricsOptions, today: string): void {
  const to = options.to === undefined ? `--to (not given: today, ${today})` : `--to ${range.to}`;
  switch (departureRangeProblem(range)) {
    case null:
      return;
    case "from_after_to":
      throw CliErrors.usage.create(
        `--from ${range.from} is after ${to}: the range must not end before it begins`,
      );
    case "too_long":
      throw CliErrors.usage.create(
        `--from ${range.from} to ${to} is ${departureRangeDays(range) + 1} days: at most ${DEPARTURE_RANGE.maxDays}`,
      );
  }
}

function printDashboard(output: Output, dashboard: DepartureDashboard): void {
  output.line(`departures ${dashboard.from} to ${dashboard.to} (generated ${dashboard.generatedAt})`);
  const tiers = [...new Set(dashboard.perDay.map((row) => row.tier))].sort();
  if (dashboard.perDay.length === 0) output.line("  no departure on record in the range");
  else {
    output.line(`  ${["date".padEnd(10), ...tiers.map((tier) => tier.padStart(9))].join("  ")}`);
    for (const date of [...new Set(dashboard.perDay.map((row) => row.date))]) {
      const counts = tiers.map((tier) =>
        String(countOf(dashboard.perDay, (row) => row.date === date && row.tier === tier)).padStart(9),
      );
      output.line(`  ${[date, ...counts].join("  ")}`);
    }
    const kinds = [...new Set(dashboard.perDay.map((row) => `${row.tier} ${row.evidenceKind}`))].sort();
    const byKind = kinds.map(
      (kind) => `${kind} ${countOf(dashboard.perDay, (row) => `${row.tier} ${row.evidenceKind}` === kind)}`,
    );
    output.line(`  by evidence: ${byKind.join(", ")}`);
  }
  output.line(
    `claimed departures: ${dashboard.claimedNeverCorroborated} never corroborated, ${dashboard.claimedCorroborated} corroborated by a government record`,
  );
  const { fromFinalOrder, fromVoluntaryDepartureGrant } = dashboard.daysToDeparture;
  output.line(`days to a verified departure: from a final order ${distribution(fromFinalOrder)}`);
  output.line(`  from a voluntary-departure grant ${distribution(fromVoluntaryDepartureGrant)}`);
  const { inCountry, outOfCountry, departureClaimed } = dashboard.overstays;
  output.line(
    `suspected overstays now (an analytic flag, not a legal finding): ${inCountry} in the country, ${outOfCountry} out of the country, ${departureClaimed} with only a claimed departure`,
  );
  const confirmed = [...new Set(dashboard.confirmationsPerHour.map((row) => row.tier))]
    .sort()
    .map((tier) => `${tier} ${countOf(dashboard.confirmationsPerHour, (row) => row.tier === tier)}`);
  output.line(
    `confirmed ${dashboard.hours.since} to ${dashboard.hours.until}: ${confirmed.length > 0 ? confirmed.join(", ") : "none"}`,
  );
}

function countOf<Row extends { count: number }>(
  rows: readonly Row[],
  counted: (row: Row) => boolean,
): number {
  return rows.reduce((sum, row) => (counted(row) ? sum + row.count : sum), 0);
}

function distribution(summary: DistributionSummary): string {
  if (summary.count === 0) return "(no departure)";
  const departures = summary.count === 1 ? "1 departure" : `${summary.count} departures`;
  return `median ${summary.median} days, 90th percentile ${summary.p90} days (${departures})`;
}
