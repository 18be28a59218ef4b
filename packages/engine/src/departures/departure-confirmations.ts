import { executeSql, type SqlExecutor } from "@passage/store";

/** Departures confirmed in one hour (UTC), by evidence tier. */
export interface HourlyConfirmations {
  /** The hour's start, ISO 8601 UTC (`2026-11-22T20:00:00.000Z`). */
  readonly hour: string;
  /** `verified` (a government record) or `claimed` (a self-report not yet corroborated). */
  readonly tier: string;
  readonly count: number;
}

/**
 * Current departures per hour in which the record they rest on was reported (its `reported_at`;
 * for a corroborated claim, the corroborating government record), by evidence tier, for hours
 * starting in `since`..`until`. Counts only: no person, no port.
 */
export async function departureConfirmationsPerHour(
  executor: SqlExecutor,
  range: { since: Date; until: Date },
): Promise<HourlyConfirmations[]> {
  const rows = await executeSql<{ hour: Date | string; tier: string; count: number }>(
    executor,
    `SELECT date_trunc('hour', reported.at) AS hour, departed.tier, count(*)::int AS count
     FROM (
       SELECT status #>> '{facts,departure,tier}' AS tier,
              status #>> '{facts,departure,record,recordKey}' AS record_key,
              (status #>> '{facts,departure,record,version}')::int AS version
       FROM person_status
       WHERE primary_state = 'DEPARTED' AND status #>> '{facts,departure,record,feed}' = 'departure'
     ) AS departed
     CROSS JOIN LATERAL (
       SELECT (record.fields ->> 'reported_at')::timestamptz AS at
       FROM source_record AS record
       WHERE record.feed = 'departure' AND record.key_value = departed.record_key
         AND record.record_key = departed.record_key AND record.version = departed.version
     ) AS reported
     WHERE reported.at >= date_trunc('hour', $1::timestamptz) AND reported.at < $2::timestamptz
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [range.since.toISOString(), range.until.toISOString()],
  );
  return rows.map((row) => ({
    hour: new Date(row.hour).toISOString(),
    tier: row.tier,
    count: row.count,
  }));
}
