import { type Kysely, sql } from "kysely";

/**
 * `worklist_history`: the append-only history of each person's rankings. `worklist_entry` is a
 * projection (upserted on each evaluation, emptied of a person who leaves the worklist), so a past
 * ranking was lost on the next policy activation or status change, and could not be replayed.
 *
 * Written in the transaction that writes `worklist_entry`, only when what is stored changes:
 * - `ranked`: an entry written with other content than it had (new policy, tier, label, score,
 *   dates or explanation), or a person newly listed: the policy id/version/digest, the tier and its
 *   label, the effective tier (an override in force for that digest and tier, else the tier), and
 *   the stored `CaseExplanation` as it was (it replays with the policy it names).
 * - `removed`: the person left the worklist, with why (`gated`: a gate held, its explanation with
 *   the gates is kept; `not_actionable`: the status is not actionable; `no_status`: no status row,
 *   as after a merge) and the policy in force when it left.
 *
 * Rows are never changed or deleted (PASSAGE_ERR_STORE_APPEND_ONLY), as `worklist_override` and
 * `policy_activation`. The entries present when the migration runs are recorded as `ranked` rows
 * (at their `evaluated_at`), so the ranking in force before the first change is kept too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE worklist_history (
      sequence bigserial PRIMARY KEY,
      person_id text NOT NULL,
      change text NOT NULL CHECK (change IN ('ranked', 'removed')),
      reason text CHECK (reason IN ('gated', 'not_actionable', 'no_status')),
      policy_id text NOT NULL,
      policy_version text NOT NULL,
      policy_digest text NOT NULL,
      tier integer,
      tier_label text,
      effective_tier integer,
      score double precision,
      order_final_date date,
      as_of date,
      explanation jsonb,
      recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      CHECK (CASE change
        WHEN 'ranked' THEN reason IS NULL AND tier IS NOT NULL AND tier_label IS NOT NULL
          AND effective_tier IS NOT NULL AND score IS NOT NULL AND as_of IS NOT NULL AND explanation IS NOT NULL
        ELSE reason IS NOT NULL AND tier IS NULL AND effective_tier IS NULL
      END)
    );
    CREATE INDEX worklist_history_person ON worklist_history (person_id, sequence DESC);
    CREATE TRIGGER worklist_history_append_only BEFORE UPDATE OR DELETE ON worklist_history
      FOR EACH ROW EXECUTE FUNCTION passage_refuse_change();
    CREATE TRIGGER worklist_history_no_truncate BEFORE TRUNCATE ON worklist_history
      FOR EACH STATEMENT EXECUTE FUNCTION passage_refuse_change();

    INSERT INTO worklist_history (person_id, change, policy_id, policy_version, policy_digest, tier,
      tier_label, effective_tier, score, order_final_date, as_of, explanation, recorded_at)
    SELECT e.person_id, 'ranked', e.policy_id, e.policy_version, e.policy_digest, e.tier, e.tier_label,
           coalesce(o.tier, e.tier), e.score, e.order_final_date, e.as_of, e.explanation, e.evaluated_at
    FROM worklist_entry e
    LEFT JOIN LATERAL (
      SELECT w.tier FROM worklist_override w
      WHERE w.person_id = e.person_id AND w.policy_digest = e.policy_digest AND w.original_tier = e.tier
      ORDER BY w.sequence DESC LIMIT 1
    ) o ON true
    ORDER BY e.person_id;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE worklist_history`.execute(db);
}
