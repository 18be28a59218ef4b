import { type Kysely, sql } from "kysely";

/**
 * Redress (issue 6): a person wrongly recorded asks for a correction, a data steward reviews it,
 * and the resolution writes correction records (never edits), closes citizenship claims, and
 * re-derives every dependent status, worklist entry and plan.
 *
 * - `citizenship_claim`: claims opened through redress (never by a feed). While a claim is open
 *   the person carries the USC_CLAIM_OPEN overlay and the USC blocker (DOMAIN.md §1.9): no civil
 *   immigration action until the claim is resolved. Closed with an outcome and reason.
 * - `redress_request`: one row per request, its current state; documents are references (type,
 *   number, issuer), never scans. `redress_event` is the append-only history of every step.
 * - `case_assignment`: the office and assigned users of a person's case, which the access
 *   policies read on Person, Record, Status and RedressRequest resources (absent: no office).
 * - `source_kind` gains `redress`: correction records name the request in `source_name`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE citizenship_claim (
      claim_id text PRIMARY KEY,
      person_id text NOT NULL,
      opened_on date NOT NULL,
      closed_on date,
      opened_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      closed_at timestamptz,
      request_id text,
      outcome text CHECK (outcome IN ('verified', 'rejected', 'withdrawn')),
      close_reason text,
      CHECK (closed_on IS NULL OR closed_on >= opened_on),
      CHECK ((closed_on IS NULL) = (outcome IS NULL))
    );
    CREATE INDEX citizenship_claim_person ON citizenship_claim (person_id);

    CREATE TABLE redress_request (
      request_id text PRIMARY KEY,
      person_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('citizenship', 'not_my_record', 'departed', 'other')),
      statement text NOT NULL,
      departure_date date,
      disputed_records text[] NOT NULL DEFAULT '{}',
      documents jsonb NOT NULL DEFAULT '[]'::jsonb,
      status text NOT NULL CHECK (status IN ('filed', 'under_review', 'resolved')),
      filed_by text NOT NULL,
      filed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      reviewer text,
      review_started_at timestamptz,
      outcome text CHECK (outcome IN ('granted', 'denied', 'withdrawn')),
      outcome_reason text,
      resolved_by text,
      resolved_at timestamptz,
      claim_id text REFERENCES citizenship_claim (claim_id),
      corrections jsonb NOT NULL DEFAULT '[]'::jsonb,
      CHECK ((status = 'resolved') = (outcome IS NOT NULL AND resolved_at IS NOT NULL))
    );
    CREATE INDEX redress_request_person ON redress_request (person_id);
    CREATE INDEX redress_request_status ON redress_request (status, filed_at);

    CREATE TABLE redress_event (
      sequence bigserial PRIMARY KEY,
      request_id text NOT NULL REFERENCES redress_request (request_id),
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor text NOT NULL,
      step text NOT NULL CHECK (step IN ('filed', 'review_started', 'resolved')),
      details jsonb NOT NULL DEFAULT '{}'::jsonb
    );
    CREATE INDEX redress_event_request ON redress_event (request_id, sequence);
    CREATE TRIGGER redress_event_append_only BEFORE UPDATE OR DELETE ON redress_event
      FOR EACH ROW EXECUTE FUNCTION passage_refuse_change();
    CREATE TRIGGER redress_event_no_truncate BEFORE TRUNCATE ON redress_event
      FOR EACH STATEMENT EXECUTE FUNCTION passage_refuse_change();

    CREATE TABLE case_assignment (
      person_id text PRIMARY KEY,
      office text NOT NULL DEFAULT '',
      assignees text[] NOT NULL DEFAULT '{}',
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX case_assignment_office ON case_assignment (office);

    ALTER TABLE source_record DROP CONSTRAINT source_record_source_kind_check;
    ALTER TABLE source_record ADD CONSTRAINT source_record_source_kind_check
      CHECK (source_kind IN ('file', 'stream', 'redress'));
    ALTER TABLE ingest_batch DROP CONSTRAINT ingest_batch_source_kind_check;
    ALTER TABLE ingest_batch ADD CONSTRAINT ingest_batch_source_kind_check
      CHECK (source_kind IN ('file', 'stream', 'redress'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE ingest_batch DROP CONSTRAINT ingest_batch_source_kind_check;
    ALTER TABLE ingest_batch ADD CONSTRAINT ingest_batch_source_kind_check CHECK (source_kind IN ('file', 'stream'));
    ALTER TABLE source_record DROP CONSTRAINT source_record_source_kind_check;
    ALTER TABLE source_record ADD CONSTRAINT source_record_source_kind_check CHECK (source_kind IN ('file', 'stream'));
    DROP TABLE case_assignment;
    DROP TABLE redress_event;
    DROP TABLE redress_request;
    DROP TABLE citizenship_claim;
  `.execute(db);
}
