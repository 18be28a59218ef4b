import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../database-schema.ts";
import type { LinkageDocumentKind } from "./linkage-tables.ts";
import {
  FLAGGABLE_FEEDS_SQL,
  personConfidentialitySql,
  RECORD_CONFIDENTIALITY_SQL,
} from "./redress-case-attributes.ts";

/**
 * Person search over the linkage projection: names by trigram similarity over folded,
 * transliterated and variant-canonical tokens (pg_trgm compares word trigrams, so token order
 * does not matter), and document numbers exactly. Results are persons, filtered by the access
 * layer's person filter, each with the record that matched best. A hit on a flagged record (an
 * I-589, an asylum-type court case, an I-914, I-918 or I-360: RECORD_CONFIDENTIALITY_SQL) counts
 * only where `confidential` lets the person through (the reader's need to know the case's
 * confidential matters): a reader without it neither finds a person by such a record's receipt
 * number or names nor is shown the record.
 */

/** The columns a person list filter reads. */
export type PersonFilterColumns = {
  readonly office: RawBuilder<string>;
  readonly assignees: RawBuilder<string[]>;
  readonly confidentiality: RawBuilder<string[]>;
  readonly nationality: RawBuilder<string>;
};

/** One person found, with the record that matched best. */
export interface PersonSearchHit {
  readonly personId: string;
  readonly record: string;
  /** Trigram similarity for names (0..1); 1 for a document number. */
  readonly score: number;
  readonly matchedOn: "name" | LinkageDocumentKind;
  /** The matching record's names as indexed (folded tokens), for a name match. */
  readonly matchedText: string | null;
}

interface HitRow {
  person_id: string;
  record: string;
  score: number;
  matched_on: PersonSearchHit["matchedOn"];
  matched_text: string | null;
}

const columns = (): PersonFilterColumns => ({
  office: sql<string>`coalesce(a.office, '')`,
  assignees: sql<string[]>`coalesce(a.assignees, '{}'::text[])`,
  confidentiality: sql<string[]>`${sql.raw(personConfidentialitySql("m.person_id"))}`,
  nationality: sql<string>`''`,
});

/** Whether the entity aliased `e` is a flagged record (any version of it). */
const ENTITY_FLAGGED_SQL = `EXISTS (
  SELECT 1 FROM source_record r
  WHERE r.feed = e.feed AND r.key_value = e.key_value AND r.feed IN ${FLAGGABLE_FEEDS_SQL}
    AND cardinality(${RECORD_CONFIDENTIALITY_SQL}) > 0)`;

/** The hit's record is not flagged, or the reader may see the person's confidential matters. */
const shownRecord = (confidential: (columns: PersonFilterColumns) => RawBuilder<SqlBool>) =>
  sql<SqlBool>`(NOT ${sql.raw(ENTITY_FLAGGED_SQL)} OR ${confidential(columns())})`;

const toHit = (row: HitRow): PersonSearchHit => ({
  personId: row.person_id,
  record: row.record,
  score: Number(row.score),
  matchedOn: row.matched_on,
  matchedText: row.matched_text,
});

/**
 * Persons whose records' names are similar to `names` (already folded the same way as the
 * index), best first. `minimumSimilarity` is pg_trgm similarity over the token sets.
 */
export async function searchPersonsByName(
  db: Kysely<Database>,
  query: { readonly names: string; readonly limit: number; readonly minimumSimilarity: number },
  filter: (columns: PersonFilterColumns) => RawBuilder<SqlBool>,
  confidential: (columns: PersonFilterColumns) => RawBuilder<SqlBool>,
): Promise<PersonSearchHit[]> {
  // The % operator (index-assisted) uses pg_trgm.similarity_threshold; set it for this statement's
  // transaction only, then rank by similarity.
  return db.transaction().execute(async (transaction) => {
    await sql`SELECT set_config('pg_trgm.similarity_threshold', ${String(query.minimumSimilarity)}, true)`.execute(
      transaction,
    );
    const result = await sql<HitRow>`
      WITH matched AS (
        SELECT s.entity_id, s.names, similarity(s.names, ${query.names}) AS score
        FROM linkage_search_name s WHERE s.names % ${query.names}
        ORDER BY score DESC LIMIT ${query.limit * 20}
      ), ranked AS (
        SELECT m.person_id, e.feed || ':' || e.key_value AS record, matched.score, matched.names,
               row_number() OVER (PARTITION BY m.person_id ORDER BY matched.score DESC, e.entity_id) AS rank
        FROM matched
        JOIN linkage_entity e ON e.entity_id = matched.entity_id
        JOIN person_member m ON m.feed = e.feed AND m.key_value = e.key_value
        LEFT JOIN case_assignment a ON a.person_id = m.person_id
        WHERE ${filter(columns())} AND ${shownRecord(confidential)}
      )
      SELECT person_id, record, score, 'name' AS matched_on, names AS matched_text FROM ranked WHERE rank = 1
      ORDER BY score DESC, person_id LIMIT ${query.limit}`.execute(transaction);
    return result.rows.map(toHit);
  });
}

/** Persons holding any of these document numbers (each already standardised). */
export async function searchPersonsByDocument(
  db: Kysely<Database>,
  query: { readonly documents: readonly string[]; readonly limit: number },
  filter: (columns: PersonFilterColumns) => RawBuilder<SqlBool>,
  confidential: (columns: PersonFilterColumns) => RawBuilder<SqlBool>,
): Promise<PersonSearchHit[]> {
  if (query.documents.length === 0) return [];
  const result = await sql<HitRow>`
    SELECT DISTINCT ON (m.person_id) m.person_id, e.feed || ':' || e.key_value AS record, 1::float8 AS score,
           d.kind AS matched_on, NULL::text AS matched_text
    FROM linkage_search_document d
    JOIN linkage_entity e ON e.entity_id = d.entity_id
    JOIN person_member m ON m.feed = e.feed AND m.key_value = e.key_value
    LEFT JOIN case_assignment a ON a.person_id = m.person_id
    WHERE d.document = ANY(${[...query.documents]}::text[]) AND ${filter(columns())}
      AND ${shownRecord(confidential)}
    ORDER BY m.person_id, d.kind, e.entity_id
    LIMIT ${query.limit}`.execute(db);
  return result.rows.map(toHit);
}
