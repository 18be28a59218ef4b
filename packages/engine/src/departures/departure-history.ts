import type { LifecycleRules } from "@passage/core";

/** The lifecycle rules that decide a departure's tier and whether a claim is corroborated. */
export type DepartureRules = Pick<LifecycleRules, "verifiedDepartureEvidence" | "corroborationWindowDays">;

/**
 * A `WITH` clause defining `departure`: every departure on record, not only each person's
 * current one, for the persons with a status (the persons the metrics cover). Departures are
 * grouped as the lifecycle groups them (docs/lifecycle-semantics.md §1): the departure records
 * and custody book-outs for removal (latest version of each key) dated after the same entries — an admission or an entry without
 * inspection dated before the departure — are one departure, ended stay by ended stay, so a
 * person who left, came back and left again has two, and a self-report with the manifest that
 * corroborates it is one. Each departure is dated and tiered by its earliest verified record,
 * else its earliest claim, and is `corroborated` when a verified record of it is dated within the
 * corroboration window of any of its claims.
 *
 * Columns: `person_id`, `date` (a date), `tier` (`verified` or `claimed`), `evidence_kind`,
 * `reported_at` (of the record that fixes the tier, text), `corroborated`. The parameters named
 * hold the rules' verified evidence (a text array) and the window in days.
 */
export function departureHistorySql(parameters: { verifiedEvidence: string; windowDays: string }): string {
  return `
    WITH person_record AS (
      SELECT DISTINCT ON (record.feed, record.key_value, record.record_key)
             member.person_id, record.feed, record.record_key, record.fields
      FROM person_member AS member
      JOIN source_record AS record ON record.feed = member.feed AND record.key_value = member.key_value
      WHERE member.feed IN ('departure', 'admission', 'encounter', 'custody')
        AND EXISTS (SELECT 1 FROM person_status AS status WHERE status.person_id = member.person_id)
      ORDER BY record.feed, record.key_value, record.record_key, record.version DESC
    ),
    -- Entries and departure records of each person in date order, a departure before an entry of
    -- the same date (read as leaving before re-entering, §1): a departure's stay is the number of
    -- entries before it. One sort per person instead of a count per departure (which made the
    -- metrics quadratic in the population).
    dated AS (
      SELECT person_id, (fields ->> 'admission_date')::date AS day, 1 AS is_entry,
             NULL::text AS record_key, NULL::text AS reported_at, NULL::text AS evidence_kind
      FROM person_record WHERE feed = 'admission'
      UNION ALL
      SELECT person_id, coalesce(fields ->> 'entry_date', fields ->> 'event_date')::date, 1, NULL, NULL, NULL
      FROM person_record WHERE feed = 'encounter' AND fields ->> 'entry_without_inspection' = 'Y'
      UNION ALL
      SELECT person_id, (fields ->> 'departure_date')::date, 0, record_key, fields ->> 'reported_at',
             fields ->> 'evidence'
      FROM person_record WHERE feed = 'departure'
      UNION ALL
      -- A custody book-out for removal is an executed removal (docs/lifecycle-semantics.md §1).
      SELECT person_id, (fields ->> 'event_date')::date, 0, record_key, NULL, 'removal_executed'
      FROM person_record
      WHERE feed = 'custody' AND fields ->> 'event' = 'book_out' AND lower(fields ->> 'reason') = 'removed'
    ),
    departure_record AS (
      SELECT person_id, record_key, reported_at, day, evidence_kind,
             evidence_kind = ANY(${parameters.verifiedEvidence}::text[]) AS verified, stay
      FROM (
        SELECT dated.*,
               sum(is_entry) OVER (PARTITION BY person_id ORDER BY day, is_entry
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS stay
        FROM dated
      ) AS ordered
      WHERE is_entry = 0
    ),
    corroborated_stay AS (
      SELECT DISTINCT claim.person_id, claim.stay
      FROM departure_record AS claim
      JOIN departure_record AS confirming
        ON confirming.person_id = claim.person_id AND confirming.stay = claim.stay
      WHERE NOT claim.verified AND confirming.verified
        AND abs(confirming.day - claim.day) <= ${parameters.windowDays}::int
    ),
    departure AS (
      SELECT DISTINCT ON (fixing.person_id, fixing.stay)
             fixing.person_id, fixing.day AS date,
             CASE WHEN fixing.verified THEN 'verified' ELSE 'claimed' END AS tier,
             fixing.evidence_kind, fixing.reported_at,
             corroborated_stay.person_id IS NOT NULL AS corroborated
      FROM departure_record AS fixing
      LEFT JOIN corroborated_stay
        ON corroborated_stay.person_id = fixing.person_id AND corroborated_stay.stay = fixing.stay
      ORDER BY fixing.person_id, fixing.stay, fixing.verified DESC, fixing.day, fixing.record_key COLLATE "C"
    )`;
}

/** The rules' values in the order `departureHistorySql`'s parameters expect them. */
export function departureRuleParameters(rules: DepartureRules): [readonly string[], number] {
  return [rules.verifiedDepartureEvidence, rules.corroborationWindowDays];
}
