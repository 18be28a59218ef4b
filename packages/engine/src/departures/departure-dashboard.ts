import type { AuditedAccess } from "@passage/access";
import type { SqlExecutor } from "@passage/store";
import { todayUtc } from "../lifecycle/lifecycle-service.ts";
import { departureConfirmationsPerHour, type HourlyConfirmations } from "./departure-confirmations.ts";
import type { DepartureRules } from "./departure-history.ts";
import { type DepartureMetrics, departureMetrics } from "./departure-metrics.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** What a departures dashboard read is authorized and audited on: the aggregates, never a person. */
export const DEPARTURES_REPORT = { type: "Report", id: "departures" } as const;

/** The departures dashboard's range: its defaults and limits, the same over HTTP and on the command line. */
export const DEPARTURE_RANGE = {
  /** A range with no `from` covers this many days ending on `to`. */
  defaultDays: 30,
  /** The longest range answered, in days, both ends included (a leap year): a longer one is refused. */
  maxDays: 366,
  /** Confirmations per hour cover this many hours ending now. */
  defaultHours: 24,
} as const;

/** The days a dashboard covers, both included (`YYYY-MM-DD`). */
export interface DepartureRange {
  readonly from: string;
  readonly to: string;
}

/** Why a range of existing dates is not answered: `from` after `to`, or too many days. */
export type DepartureRangeProblem = "from_after_to" | "too_long";

/**
 * The departures dashboard document (issue 4 item 5): counts and durations only, no person, no
 * place. Its lists are the caller's own (a response schema may take them as they are).
 */
export interface DepartureDashboard extends Omit<DepartureMetrics, "perDay"> {
  readonly generatedAt: string;
  readonly hours: { readonly since: string; readonly until: string };
  readonly confirmationsPerHour: HourlyConfirmations[];
  readonly perDay: DepartureMetrics["perDay"][number][];
}

/**
 * The days a query covers, its defaults filled in: `to` (default today, UTC) and `from` (default
 * the 30 days ending on `to`). The range checks apply to this range, so a `from` after today with
 * no `to` is refused too, not answered with a range that ends before it begins.
 */
export function departureRangeOf(
  query: { from?: string | undefined; to?: string | undefined },
  today: string = todayUtc(),
): DepartureRange {
  const to = query.to ?? today;
  return { from: query.from ?? dayBefore(to, DEPARTURE_RANGE.defaultDays - 1), to };
}

/** The problem of a range of two existing `YYYY-MM-DD` dates, or null when it can be answered. */
export function departureRangeProblem(range: DepartureRange): DepartureRangeProblem | null {
  if (range.from > range.to) return "from_after_to";
  if (departureRangeDays(range) >= DEPARTURE_RANGE.maxDays) return "too_long";
  return null;
}

/** The number of days from `from` to `to` (0 when they are the same day). */
export function departureRangeDays(range: DepartureRange): number {
  return daysBetween(range.from, range.to);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * The departures dashboard over `range` (checked by the caller with `departureRangeProblem`): the
 * departure metrics, and the confirmations per hour of the `hours` hours ending `now`. The one
 * document `GET /api/v1/departures/metrics`, its event stream and `passage departures metrics`
 * answer, under the lifecycle rules the statuses were derived with.
 */
export async function departureDashboard(
  executor: SqlExecutor,
  range: DepartureRange,
  rules: DepartureRules,
  options: { hours?: number; now?: Date } = {},
): Promise<DepartureDashboard> {
  const until = options.now ?? new Date();
  const since = new Date(until.getTime() - (options.hours ?? DEPARTURE_RANGE.defaultHours) * HOUR_MS);
  const [metrics, hourly] = await Promise.all([
    departureMetrics(executor, range, rules),
    departureConfirmationsPerHour(executor, { since, until }, rules),
  ]);
  // In the order of the document's schema, so that every surface writes the same JSON.
  return {
    generatedAt: until.toISOString(),
    from: metrics.from,
    to: metrics.to,
    hours: { since: since.toISOString(), until: until.toISOString() },
    confirmationsPerHour: hourly,
    perDay: [...metrics.perDay],
    claimedNeverCorroborated: metrics.claimedNeverCorroborated,
    claimedCorroborated: metrics.claimedCorroborated,
    daysToDeparture: metrics.daysToDeparture,
    overstays: metrics.overstays,
  };
}

/**
 * The departures dashboard read by `access` (`departure_metrics.read` on the departures report,
 * authorized and audited with the `from` and `to` asked for, null when left to their defaults):
 * over HTTP (`stream` for an event stream's opening) and on the command line alike. The range is
 * checked by the caller, which names its options as its surface does.
 */
export function readDepartureDashboard(
  access: AuditedAccess,
  executor: SqlExecutor,
  rules: DepartureRules,
  query: { from?: string | undefined; to?: string | undefined; hours?: number; stream?: boolean },
): Promise<DepartureDashboard> {
  const asked = { from: query.from ?? null, to: query.to ?? null };
  return access.run(
    "departure_metrics.read",
    DEPARTURES_REPORT,
    () => departureDashboard(executor, departureRangeOf(query), rules, { hours: query.hours }),
    query.stream ? { stream: true, ...asked } : asked,
  );
}

function dayBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}
