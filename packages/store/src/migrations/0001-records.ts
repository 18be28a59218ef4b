import { type Kysely, sql } from "kysely";

/**
 * Source records (append-only, versioned by key), ingest batches, the transactional outbox and
 * consumer offsets. See ARCHITECTURE.md "Storage and streams".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION passage_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: rows are never updated or deleted', TG_TABLE_NAME
        USING ERRCODE = 'P0001', HINT = 'PASSAGE_ERR_STORE_APPEND_ONLY';
    END $$;

    CREATE TABLE ingest_batch (
      id uuid PRIMARY KEY,
      feed text NOT NULL,
      source_kind text NOT NULL CHECK (source_kind IN ('file', 'stream')),
      source_name text NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      committed_at timestamptz
    );

    CREATE TABLE source_record (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      feed text NOT NULL,
      record_key text NOT NULL,
      key_value text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      content_hash bytea NOT NULL,
      fields jsonb NOT NULL,
      raw jsonb NOT NULL,
      warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
      batch_id uuid NOT NULL REFERENCES ingest_batch (id),
      source_kind text NOT NULL CHECK (source_kind IN ('file', 'stream')),
      source_name text NOT NULL,
      source_row integer,
      received_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      UNIQUE (feed, record_key, version)
    );
    CREATE INDEX source_record_feed_key_value ON source_record (feed, key_value);
    CREATE INDEX source_record_batch ON source_record (batch_id);

    CREATE TRIGGER source_record_append_only BEFORE UPDATE OR DELETE ON source_record
      FOR EACH ROW EXECUTE FUNCTION passage_refuse_change();
    CREATE TRIGGER source_record_no_truncate BEFORE TRUNCATE ON source_record
      FOR EACH STATEMENT EXECUTE FUNCTION passage_refuse_change();

    CREATE TABLE outbox_event (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_type text NOT NULL,
      partition_key text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE TRIGGER outbox_event_append_only BEFORE UPDATE OR DELETE ON outbox_event
      FOR EACH ROW EXECUTE FUNCTION passage_refuse_change();

    CREATE TABLE consumer_offset (
      consumer text PRIMARY KEY,
      position bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE consumer_offset;
    DROP TABLE outbox_event;
    DROP TABLE source_record;
    DROP TABLE ingest_batch;
    DROP FUNCTION passage_refuse_change();
  `.execute(db);
}
