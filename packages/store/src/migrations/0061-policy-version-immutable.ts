import { type Kysely, sql } from "kysely";

/**
 * `policy_version` rows are immutable, as `policy_activation` and `worklist_override` are: a
 * stored version is what past rankings and explanations name by digest, and replay compiles its
 * verbatim text. Only `active` may change (activation moves it from one row to another); any
 * other change, a DELETE or a TRUNCATE is refused with PASSAGE_ERR_STORE_APPEND_ONLY.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION passage_policy_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' OR (to_jsonb(NEW) - 'active') IS DISTINCT FROM (to_jsonb(OLD) - 'active') THEN
        RAISE EXCEPTION 'policy_version is append-only: a stored version is never changed or deleted (only which one is active changes)'
          USING ERRCODE = 'P0001', HINT = 'PASSAGE_ERR_STORE_APPEND_ONLY';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER policy_version_immutable BEFORE UPDATE OR DELETE ON policy_version
      FOR EACH ROW EXECUTE FUNCTION passage_policy_version_immutable();
    CREATE TRIGGER policy_version_no_truncate BEFORE TRUNCATE ON policy_version
      FOR EACH STATEMENT EXECUTE FUNCTION passage_refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER policy_version_no_truncate ON policy_version;
    DROP TRIGGER policy_version_immutable ON policy_version;
    DROP FUNCTION passage_policy_version_immutable();
  `.execute(db);
}
