import { type Kysely, sql } from "kysely";
import {
  personConfidentialitySql,
  RECORD_CONFIDENTIALITY_SQL,
} from "../repositories/redress-case-attributes.ts";

/**
 * Redress requests keep what they touched (8 CFR 208.6, 8 U.S.C. 1367), and resolutions claim
 * their request without holding a database connection.
 *
 * - `confidentiality`: the flags of every confidential matter the request has touched (the
 *   person's at filing and at each step, and those of every disputed, corrected or unlinked
 *   record). Sticky: a trigger keeps every flag an update would drop, so a resolution that unlinks
 *   an I-589 (or a later merge or retirement of the person) never makes the request readable by
 *   readers without the need. Reads take the union with the person's current flags.
 * - `filed_office`: the office the person's case was under at filing (reads fall back to it when
 *   the person has no case assignment any more, e.g. after a merge). Never changed.
 * - `resolving_token`, `resolving_by`, `resolving_since`: a resolution in progress (taken in a
 *   short transaction, cleared when it ends); a second resolution is refused while it holds.
 *
 * Existing requests take the flags of their person and disputed records as they stand now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE redress_request
      ADD COLUMN confidentiality text[] NOT NULL DEFAULT '{}',
      ADD COLUMN filed_office text NOT NULL DEFAULT '',
      ADD COLUMN resolving_token text,
      ADD COLUMN resolving_by text,
      ADD COLUMN resolving_since timestamptz,
      ADD CONSTRAINT redress_request_resolving_check
        CHECK ((resolving_token IS NULL) = (resolving_since IS NULL));

    UPDATE redress_request q SET
      filed_office = coalesce((SELECT a.office FROM case_assignment a WHERE a.person_id = q.person_id), ''),
      confidentiality = ARRAY(
        SELECT DISTINCT flag FROM (
          SELECT unnest(${sql.raw(personConfidentialitySql("q.person_id"))}) AS flag
          UNION
          SELECT unnest(${sql.raw(RECORD_CONFIDENTIALITY_SQL)}) FROM source_record r
          WHERE r.feed || ':' || r.key_value = ANY(q.disputed_records)
        ) flags ORDER BY flag);

    CREATE FUNCTION redress_request_keep_sticky() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.confidentiality := ARRAY(
        SELECT DISTINCT flag FROM unnest(OLD.confidentiality || NEW.confidentiality) AS flag ORDER BY flag);
      NEW.filed_office := OLD.filed_office;
      RETURN NEW;
    END $$;
    CREATE TRIGGER redress_request_sticky BEFORE UPDATE ON redress_request
      FOR EACH ROW EXECUTE FUNCTION redress_request_keep_sticky();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER redress_request_sticky ON redress_request;
    DROP FUNCTION redress_request_keep_sticky();
    ALTER TABLE redress_request
      DROP CONSTRAINT redress_request_resolving_check,
      DROP COLUMN resolving_since,
      DROP COLUMN resolving_by,
      DROP COLUMN resolving_token,
      DROP COLUMN filed_office,
      DROP COLUMN confidentiality;
  `.execute(db);
}
