import { type Kysely, sql } from "kysely";

/**
 * Published priority policies, the worklist projection, supervisor overrides and transport plans
 * (issue 5).
 *
 * - `policy_version`: every policy file ever loaded, verbatim, named by id + version and content
 *   digest; a version is immutable (the same id and version with other content is refused). At
 *   most one row is active (unique partial index); `policy_activation` is the append-only history
 *   of which version was active from when, so any past ranking names a policy that still exists.
 * - `worklist_entry`: a projection (rebuilt from `person_status` and records): one row per
 *   actionable person with its tier and the full explanation (gates, fired rules with evidence,
 *   policy id/version/digest and the inputs) that replays the ranking.
 * - `worklist_override`: append-only supervisor overrides of a policy outcome, with the reason.
 * - `transport_plan` / `transport_manifest` / `transport_manifest_entry` / `transport_left_out`:
 *   stored plans (draft, then frozen), their manifests, strikes (reason code and check time) and
 *   the cases the planner left out with the reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE policy_version (
      policy_id text NOT NULL,
      version text NOT NULL,
      digest text NOT NULL UNIQUE,
      file_name text NOT NULL,
      text text NOT NULL,
      description text NOT NULL,
      effective_from date NOT NULL,
      effective_to date,
      loaded_by text NOT NULL,
      loaded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      active boolean NOT NULL DEFAULT false,
      PRIMARY KEY (policy_id, version)
    );
    CREATE UNIQUE INDEX policy_version_one_active ON policy_version ((true)) WHERE active;

    CREATE TABLE policy_activation (
      sequence bigserial PRIMARY KEY,
      policy_id text NOT NULL,
      version text NOT NULL,
      digest text NOT NULL REFERENCES policy_version (digest),
      activated_by text NOT NULL,
      reason text NOT NULL,
      activated_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE TRIGGER policy_activation_append_only BEFORE UPDATE OR DELETE ON policy_activation
      FOR EACH ROW EXECUTE FUNCTION passage_refuse_change();
    CREATE TRIGGER policy_activation_no_truncate BEFORE TRUNCATE ON policy_activation
      FOR EACH STATEMENT EXECUTE FUNCTION passage_refuse_change();

    CREATE TABLE worklist_entry (
      person_id text PRIMARY KEY,
      tier integer NOT NULL,
      tier_label text NOT NULL,
      tier_kind text NOT NULL,
      score double precision NOT NULL,
      order_final_date date,
      as_of date NOT NULL,
      policy_id text NOT NULL,
      policy_version text NOT NULL,
      policy_digest text NOT NULL,
      explanation jsonb NOT NULL,
      evaluated_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX worklist_entry_order ON worklist_entry (tier, order_final_date, person_id);

    CREATE TABLE worklist_override (
      sequence bigserial PRIMARY KEY,
      person_id text NOT NULL,
      policy_digest text NOT NULL,
      original_tier integer NOT NULL,
      tier integer NOT NULL,
      reason text NOT NULL CHECK (length(btrim(reason)) > 0),
      overridden_by text NOT NULL,
      overridden_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX worklist_override_person ON worklist_override (person_id, policy_digest, sequence DESC);
    CREATE TRIGGER worklist_override_append_only BEFORE UPDATE OR DELETE ON worklist_override
      FOR EACH ROW EXECUTE FUNCTION passage_refuse_change();
    CREATE TRIGGER worklist_override_no_truncate BEFORE TRUNCATE ON worklist_override
      FOR EACH STATEMENT EXECUTE FUNCTION passage_refuse_change();

    CREATE TABLE transport_plan (
      plan_id text PRIMARY KEY,
      status text NOT NULL CHECK (status IN ('draft', 'frozen')),
      office text NOT NULL,
      horizon_from date NOT NULL,
      horizon_to date NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      frozen_by text,
      frozen_at timestamptz,
      checked_at timestamptz,
      facility_hubs_version text NOT NULL,
      options jsonb NOT NULL,
      cost jsonb NOT NULL,
      solver jsonb NOT NULL
    );

    CREATE TABLE transport_manifest (
      plan_id text NOT NULL REFERENCES transport_plan (plan_id),
      flight_id text NOT NULL,
      flight_date date NOT NULL,
      origin_hub text NOT NULL,
      destination_country text NOT NULL,
      destination_port text,
      seats integer NOT NULL,
      capacity integer NOT NULL,
      cost double precision NOT NULL,
      PRIMARY KEY (plan_id, flight_id)
    );

    CREATE TABLE transport_manifest_entry (
      plan_id text NOT NULL,
      flight_id text NOT NULL,
      person_id text NOT NULL,
      ready_date date NOT NULL,
      detention_days integer NOT NULL,
      struck_at timestamptz,
      strike_reason text,
      strike_gates text[] NOT NULL DEFAULT '{}',
      strike_source text CHECK (strike_source IN ('freeze', 'status_change')),
      PRIMARY KEY (plan_id, person_id),
      FOREIGN KEY (plan_id, flight_id) REFERENCES transport_manifest (plan_id, flight_id)
    );
    CREATE INDEX transport_manifest_entry_person ON transport_manifest_entry (person_id) WHERE struck_at IS NULL;

    CREATE TABLE transport_left_out (
      plan_id text NOT NULL REFERENCES transport_plan (plan_id),
      person_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('unplaced', 'excluded')),
      reason text NOT NULL,
      gates text[] NOT NULL DEFAULT '{}',
      PRIMARY KEY (plan_id, person_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE transport_left_out, transport_manifest_entry, transport_manifest, transport_plan;
    DROP TABLE worklist_override, worklist_entry, policy_activation, policy_version;
  `.execute(db);
}
