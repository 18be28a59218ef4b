import type { LifecycleRules } from "@passage/core";

/** The lifecycle rules that decide a departure's tier and whether a claim is corroborated. */
export type DepartureRules = Pick<LifecycleRules, "verifiedDepartureEvidence" | "corroborationWindowDays">;

/**
 * A `WITH` clause defining `departure`: every departure on record, not only each person's
 * current one, for the persons with a status (the persons the metrics cover). Departures are
 * grouped as the lifecycle groups them (docs/lifecycle-semantics.md §1): the departure records
 * (latest version of each key) dated after the same entries — an admission or an entry without
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
      WHERE member.feed IN ('departure', 'admission', 'encounter')
        AND EXISTS (SELECT 1 FROM person_status AS status WHERE status.person_id = member.person_id)
      ORDER BY record.feed, record.key_value, record.record_key, record.version DESC
    ),
    entry AS (
      SELECT person_id, (fields ->> 'admission_date')::date AS day FROM person_record WHERE feed = 'admission'
      UNION ALL
      SELECT person_id, coalesce(fields ->> 'entry_date', fields ->> 'event_date')::date AS day
      FROM person_record WHERE feed = 'encounter' AND fields ->> 'entry_without_inspection' = 'Y'
    ),
    departure_record AS (
      SELECT record.person_id, record.record_key, record.fields ->> 'reported_at' AS reported_at,
             (record.fields ->> 'departure_date')::date AS day, record.fields ->> 'evidence' AS evidence_kind,
             record.fields ->> 'evidence' = ANY(${parameters.verifiedEvidence}::text[]) AS verified,
             -- A departure on an entry's date is read as leaving before re-entering (§1).
             (SELECT count(*) FROM entry
              WHERE entry.person_id = record.person_id
                AND entry.day < (record.fields ->> 'departure_date')::date) AS stay
      FROM person_record AS record
      WHERE record.feed = 'departure'
    ),
    departure AS (
      SELECT DISTINCT ON (fixing.person_id, fixing.stay)
             fixing.person_id, fixing.day AS date,
             CASE WHEN fixing.verified THEN 'verified' ELSE 'claimed' END AS tier,
             fixing.evidence_kind, fixing.reported_at,
             EXISTS (
               SELECT 1 FROM departure_record AS claim
               JOIN departure_record AS confirming
                 ON confirming.person_id = claim.person_id AND confirming.stay = claim.stay
               WHERE claim.person_id = fixing.person_id AND claim.stay = fixing.stay
                 AND NOT claim.verified AND confirming.verified
                 AND abs(confirming.day - claim.day) <= ${parameters.windowDays}::int
             ) AS corroborated
      FROM departure_record AS fixing
      ORDER BY fixing.person_id, fixing.stay, fixing.verified DESC, fixing.day, fixing.record_key COLLATE "C"
    )`;
}

/** The rules' values in the order `departureHistorySql`'s parameters expect them. */
export function departureRuleParameters(rules: DepartureRules): [readonly string[], number] {
  return [rules.verifiedDepartureEvidence, rules.corroborationWindowDays];
}
