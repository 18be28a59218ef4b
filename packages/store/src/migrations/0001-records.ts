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

    -- One row per committed ingest transaction, written in that transaction (so a batch either
    -- exists whole with its records or not at all). For files, chain_hash digests every accepted
    -- row of the source up to last_row: a re-run that reaches the same digest knows that prefix
    -- is already stored and skips it (see packages/engine/src/ingest/README.md).
    CREATE TABLE ingest_batch (
      id uuid PRIMARY KEY,
      feed text NOT NULL,
      source_kind text NOT NULL CHECK (source_kind IN ('file', 'stream')),
      source_name text NOT NULL,
      first_row integer,
      last_row integer,
      chain_hash bytea,
      rows_received integer NOT NULL DEFAULT 0,
      started_at timestamptz NOT NULL DEFAULT now(),
      committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX ingest_batch_chain ON ingest_batch (feed, chain_hash) WHERE chain_hash IS NOT NULL;
    CREATE TRIGGER ingest_batch_append_only BEFORE UPDATE OR DELETE ON ingest_batch
      FOR EACH ROW EXECUTE FUNCTION passage_refuse_change();

    CREATE TABLE source_record (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      feed text NOT NULL,
      record_key text NOT NULL,
      key_value text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      content_hash bytea NOT NULL,
      fields jsonb NOT NULL,
      -- json, not jsonb: the raw row exactly as received (key order, spelling), and cheaper to
      -- store since it is kept for provenance and never queried by content.
      raw json NOT NULL,
      warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
      -- No foreign key to ingest_batch: its per-row check cost a quarter of the bulk insert, and
      -- the batch row is written by the same transaction that writes the records (one function,
      -- writeRecordBatch), so the reference cannot dangle.
      batch_id uuid NOT NULL,
      source_kind text NOT NULL CHECK (source_kind IN ('file', 'stream')),
      source_name text NOT NULL,
      source_row integer,
      received_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      -- One index serves both the latest-version lookup of ingest (feed, key_value, record_key)
      -- and the FEED:KEY lookup (feed, key_value); record_key determines key_value, so this is
      -- the same uniqueness as (feed, record_key, version) with one index fewer to maintain.
      UNIQUE (feed, key_value, record_key, version)
    );

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
