import { executeSql, type SqlExecutor } from "@passage/store";
import { type DepartureRules, departureHistorySql, departureRuleParameters } from "./departure-history.ts";

/** Departures confirmed in one hour (UTC), by evidence tier. */
export interface HourlyConfirmations {
  /** The hour's start, ISO 8601 UTC (`2026-11-22T20:00:00.000Z`). */
  readonly hour: string;
  /** `verified` (a government record) or `claimed` (a self-report not yet corroborated). */
  readonly tier: string;
  readonly count: number;
}

/**
 * Departures per hour in which the record they rest on was reported (its `reported_at`; for a
 * corroborated claim, the corroborating government record), by evidence tier, for hours starting
 * in `since`..`until`: every departure on record (`departureHistorySql`), not only each person's
 * current one. Counts only: no person, no port.
 */
export async function departureConfirmationsPerHour(
  executor: SqlExecutor,
  range: { since: Date; until: Date },
  rules: DepartureRules,
): Promise<HourlyConfirmations[]> {
  const rows = await executeSql<{ hour: Date | string; tier: string; count: number }>(
    executor,
    `${departureHistorySql({ verifiedEvidence: "$3", windowDays: "$4" })}
     SELECT date_trunc('hour', reported_at::timestamptz) AS hour, tier, count(*)::int AS count
     FROM departure
     WHERE reported_at::timestamptz >= date_trunc('hour', $1::timestamptz) AND reported_at::timestamptz < $2::timestamptz
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [range.since.toISOString(), range.until.toISOString(), ...departureRuleParameters(rules)],
  );
  return rows.map((row) => ({
    hour: new Date(row.hour).toISOString(),
    tier: row.tier,
    count: row.count,
  }));
}
