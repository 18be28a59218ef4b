import { executeSql, type SqlExecutor } from "@passage/store";
import { type DepartureRules, departureHistorySql, departureRuleParameters } from "./departure-history.ts";

/** Departure figures of issue 4 item 5, computed from the lifecycle projection. */
export interface DepartureMetrics {
  readonly from: string;
  readonly to: string;
  /**
   * Departures per day and evidence tier (`verified` or `claimed`) and record evidence kind: every
   * departure on record, a person who left twice counted twice.
   */
  readonly perDay: readonly { date: string; tier: string; evidenceKind: string; count: number }[];
  /** Departures that rest on a self-report no government record corroborates. */
  readonly claimedNeverCorroborated: number;
  /** Departures whose claim a government record later corroborated. */
  readonly claimedCorroborated: number;
  /**
   * Days from a final order, or a voluntary-departure grant, to the verified departure, each
   * departure in one figure at most. A departure dated before the order became final (an in
   * absentia order after the person left) or before the grant is no departure under it, and is
   * left out. A departure under a VD grant (from the decision through the VD deadline, before any
   * termination) counts from the grant only; one after the deadline was not made under the grant,
   * which converted to the alternate order, and counts from the final order.
   */
  readonly daysToDeparture: {
    readonly fromFinalOrder: DistributionSummary;
    readonly fromVoluntaryDepartureGrant: DistributionSummary;
  };
  /**
   * Suspected overstays (an analytic flag, never a legal finding): still here, left late by a
   * government record, or with only a claimed departure no government record corroborates (the
   * stay is taken to go on: DOMAIN.md §1.8), counted apart and never as out of the country.
   */
  readonly overstays: {
    readonly inCountry: number;
    readonly outOfCountry: number;
    readonly departureClaimed: number;
  };
}

export interface DistributionSummary {
  readonly count: number;
  readonly median: number | null;
  readonly p90: number | null;
}

/**
 * Departure metrics over departures dated `from`..`to` (inclusive). Counts per day and of claims
 * take every departure on record (`departureHistorySql`), under the lifecycle rules the statuses
 * were derived with; durations take each person's current departure from the stored statuses,
 * since only its order and grant are on the status. Overstay counts are current (as of each
 * person's derivation), not limited to the range.
 */
export async function departureMetrics(
  executor: SqlExecutor,
  range: { from: string; to: string },
  rules: DepartureRules,
): Promise<DepartureMetrics> {
  const parameters = [range.from, range.to];
  const history = `${departureHistorySql({ verifiedEvidence: "$3", windowDays: "$4" })}
    SELECT * FROM departure WHERE date BETWEEN $1::date AND $2::date`;
  const historyParameters = [...parameters, ...departureRuleParameters(rules)];
  // Each person's current verified departure in the range, with the order and grant it may end.
  // A departure on or before the VD deadline (and before any termination of VD) is made under the
  // grant and counted from the grant only; one after it is not (the grant converted to the
  // alternate order) and is counted from the final order, as is every departure under no grant.
  const spans = `
    WITH departed AS (
      SELECT (status #>> '{facts,departure,date}')::date AS departed_on,
             (status #>> '{facts,court,finality,finalOn}')::date AS final_on,
             (status #>> '{facts,court,decision,decidedOn}')::date AS decided_on,
             status #>> '{facts,court,decision,outcome}' = 'vd_with_alternate_order' AS vd_granted,
             (status #>> '{facts,court,voluntaryDeparture,deadline}')::date AS vd_deadline,
             (status #>> '{facts,court,voluntaryDeparture,terminatedOn}')::date AS vd_terminated_on
      FROM person_status
      WHERE primary_state = 'DEPARTED'
        AND status #>> '{facts,departure,tier}' = 'verified'
        AND (status #>> '{facts,departure,date}') BETWEEN $1 AND $2
    )
    SELECT *, coalesce(vd_granted AND departed_on >= decided_on AND departed_on <= vd_deadline
                         AND (vd_terminated_on IS NULL OR departed_on < vd_terminated_on), false) AS under_vd
    FROM departed`;
  const [perDay, claims, fromOrder, fromGrant, overstays] = await Promise.all([
    executeSql<{ date: string; tier: string; evidence_kind: string; count: number }>(
      executor,
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, tier, evidence_kind, count(*)::int AS count
       FROM (${history}) AS departure GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      historyParameters,
    ),
    executeSql<{ never: number; corroborated: number }>(
      executor,
      `SELECT count(*) FILTER (WHERE tier = 'claimed')::int AS never,
              count(*) FILTER (WHERE corroborated)::int AS corroborated
       FROM (${history}) AS departure`,
      historyParameters,
    ),
    executeSql<{ count: number; median: number | null; p90: number | null }>(
      executor,
      `SELECT count(*)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
       FROM (SELECT departed_on - final_on AS days FROM (${spans}) AS departed
             WHERE NOT under_vd AND final_on IS NOT NULL) AS spans
       WHERE days >= 0`,
      parameters,
    ),
    executeSql<{ count: number; median: number | null; p90: number | null }>(
      executor,
      `SELECT count(*)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
       FROM (SELECT departed_on - decided_on AS days FROM (${spans}) AS departed WHERE under_vd) AS spans`,
      parameters,
    ),
    executeSql<{ kind: string; count: number }>(
      executor,
      `SELECT status #>> '{facts,overstay,kind}' AS kind, count(*)::int AS count
       FROM person_status WHERE status #> '{facts,overstay}' <> 'null'::jsonb GROUP BY 1`,
    ),
  ]);
  const summary = (
    row: { count: number; median: number | null; p90: number | null } | undefined,
  ): DistributionSummary => ({
    count: row?.count ?? 0,
    median: row?.median ?? null,
    p90: row?.p90 ?? null,
  });
  return {
    from: range.from,
    to: range.to,
    perDay: perDay.map((row) => ({
      date: row.date,
      tier: row.tier,
      evidenceKind: row.evidence_kind,
      count: row.count,
    })),
    claimedNeverCorroborated: claims[0]?.never ?? 0,
    claimedCorroborated: claims[0]?.corroborated ?? 0,
    daysToDeparture: {
      fromFinalOrder: summary(fromOrder[0]),
      fromVoluntaryDepartureGrant: summary(fromGrant[0]),
    },
    overstays: {
      inCountry: overstays.find((row) => row.kind === "in_country")?.count ?? 0,
      outOfCountry: overstays.find((row) => row.kind === "out_of_country")?.count ?? 0,
      departureClaimed: overstays.find((row) => row.kind === "departure_claimed")?.count ?? 0,
    },
  };
}
