import type { Command } from "commander";
import { UsageProblem } from "../usage-problem.ts";

/** A calendar date written `YYYY-MM-DD` that exists (no 2026-02-30, no month 13), as the HTTP route's `from` and `to`. */
const WRITTEN_AS_A_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Options of `passage departures metrics`. */
export interface DepartureMetricsOptions {
  readonly from?: string;
  readonly to?: string;
}

/**
 * `passage departures metrics [--from DATE] [--to DATE] [--json]` (issue 4 item 5): the departure
 * figures of `GET /api/v1/departures/metrics` — departures per day by evidence tier, claims never
 * corroborated, days from a final order or a voluntary-departure grant to departure, suspected
 * overstays in and out of the country — with the same defaults, range checks and audited
 * `departure_metrics.read`. `--json` prints the document the route answers.
 */
export function registerDeparturesCommand(program: Command): void {
  const departures = program.command("departures").description("departure figures (subcommand: metrics)");
  departures
    .command("metrics")
    .description(
      "departures per day by evidence tier, claims never corroborated, days from order or VD grant to departure, overstays",
    )
    .option("--from <date>", "first day of the range (YYYY-MM-DD; default: 30 days ending on --to)", (text) =>
      calendarDate("--from", text),
    )
    .option("--to <date>", "last day of the range (YYYY-MM-DD; default: today, UTC)", (text) =>
      calendarDate("--to", text),
    )
    .action(async (options: DepartureMetricsOptions, command: Command) => {
      const { printDepartureMetrics } = await import("../actions/departures.ts");
      await printDepartureMetrics(options, command);
    });
}

function calendarDate(flag: string, text: string): string {
  // Date rolls a day past the month's end over (2026-02-30 is 2026-03-02) and is NaN past 31.
  const time = WRITTEN_AS_A_DATE.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  const exists = Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === text;
  if (!exists) throw new UsageProblem(`${flag} must be a date YYYY-MM-DD that exists, got "${text}"`);
  return text;
}
