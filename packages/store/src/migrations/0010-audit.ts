import { type Kysely, sql } from "kysely";

/**
 * The tamper-evident audit log (issue 6): entries numbered without gaps, append-only; a head
 * counter that hands out positions under a row lock and never goes down; signed checkpoints.
 * Entries keep their canonical content verbatim (the Merkle leaf) and the leaf hash recorded when
 * written; the few columns beside them exist only to index look-ups and are never shown instead
 * of the content.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_log_head (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      size bigint NOT NULL CHECK (size >= 0)
    );
    INSERT INTO audit_log_head (size) VALUES (0);

    CREATE FUNCTION passage_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' OR NEW.size < OLD.size THEN
        RAISE EXCEPTION 'the audit log head only moves forward'
          USING ERRCODE = 'P0001', HINT = 'PASSAGE_ERR_STORE_APPEND_ONLY';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER audit_log_head_forward BEFORE UPDATE OR DELETE ON audit_log_head
      FOR EACH ROW EXECUTE FUNCTION passage_audit_head_forward();
    CREATE TRIGGER audit_log_head_no_truncate BEFORE TRUNCATE ON audit_log_head
      FOR EACH STATEMENT EXECUTE FUNCTION passage_refuse_change();

    CREATE TABLE audit_entry (
      sequence bigint PRIMARY KEY CHECK (sequence >= 0),
      content text NOT NULL,
      leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
      actor text NOT NULL,
      resource_type text NOT NULL,
      resource_id text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX audit_entry_resource ON audit_entry (resource_type, resource_id, sequence);
    CREATE INDEX audit_entry_actor ON audit_entry (actor, sequence);
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
      FOR EACH ROW EXECUTE FUNCTION passage_refuse_change();
    CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
      FOR EACH STATEMENT EXECUTE FUNCTION passage_refuse_change();

    CREATE TABLE audit_checkpoint (
      tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
      root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
      signed_at text NOT NULL,
      key_id text NOT NULL,
      signature bytea NOT NULL,
      document jsonb NOT NULL,
      frontier bytea NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
      FOR EACH ROW EXECUTE FUNCTION passage_refuse_change();
    CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
      FOR EACH STATEMENT EXECUTE FUNCTION passage_refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE audit_checkpoint;
    DROP TABLE audit_entry;
    DROP TABLE audit_log_head;
    DROP FUNCTION passage_audit_head_forward();
  `.execute(db);
}
