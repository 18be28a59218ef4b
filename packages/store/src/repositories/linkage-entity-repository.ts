import type { Feed, NormalisedFields } from "@passage/core";
import { numberArrayLiteral, textArrayLiteral } from "./array-literals.ts";
import { jsonLines, jsonLinesOf } from "./json-lines.ts";
import type { LinkageCitation, LinkageDocumentKind, LinkagePairBand } from "./linkage-tables.ts";
import { executeSql, type SqlExecutor } from "./outbox-repository.ts";

/**
 * The incremental side of linkage's index, a few entities at a time inside the caller's
 * transaction: entities with their compared values, the blocking index, scored pairs and the
 * search projection. The batch writes the same tables in bulk (linkage-bulk-repository.ts).
 */

/** A feed key: the linkage unit `feed:keyValue`. */
export interface EntityKey {
  readonly feed: string;
  readonly keyValue: string;
}

/** The latest version of one row (record key) of an entity, as linkage reads it. */
export interface LatestEntityRow {
  readonly feed: Feed;
  readonly keyValue: string;
  readonly recordKey: string;
  readonly version: number;
  readonly fields: NormalisedFields;
  /** Microseconds since the epoch, as a decimal string: both linkage paths order rows by it. */
  readonly recordedMicros: string;
  /**
   * Where the version came from (`source_record.source_kind`): `redress` for a correction a redress
   * resolution wrote (it decides where the record belongs), else its source. Absent where not read.
   */
  readonly sourceKind?: string | undefined;
}

/** The latest version of every row of these entities, grouped by `feed:keyValue`. */
export async function findLatestRowsOfEntities(
  executor: SqlExecutor,
  keys: readonly EntityKey[],
): Promise<Map<string, LatestEntityRow[]>> {
  const grouped = new Map<string, LatestEntityRow[]>();
  if (keys.length === 0) return grouped;
  const rows = await executeSql<EntityRowColumns>(
    executor,
    `SELECT DISTINCT ON (r.feed, r.key_value, r.record_key)
            r.feed, r.key_value, r.record_key, r.version, r.fields, r.source_kind,
            (extract(epoch FROM r.recorded_at) * 1000000)::bigint::text AS recorded_micros
     FROM unnest($1::text[], $2::text[]) AS k(feed, key_value)
     JOIN source_record r ON r.feed = k.feed AND r.key_value = k.key_value
     ORDER BY r.feed, r.key_value, r.record_key, r.version DESC`,
    [textArrayLiteral(keys.map((key) => key.feed)), textArrayLiteral(keys.map((key) => key.keyValue))],
  );
  for (const row of rows) addEntityRow(grouped, `${row.feed}:${row.key_value}`, row);
  return grouped;
}

/** The columns a source row of an entity is read with. */
interface EntityRowColumns {
  feed: Feed;
  key_value: string;
  record_key: string;
  version: number;
  fields: NormalisedFields;
  recorded_micros: string;
  source_kind: string;
}

/** A source row as a `LatestEntityRow`, added to its group. */
function addEntityRow(grouped: Map<string, LatestEntityRow[]>, id: string, row: EntityRowColumns): void {
  const entry: LatestEntityRow = {
    feed: row.feed,
    keyValue: row.key_value,
    recordKey: row.record_key,
    version: row.version,
    fields: row.fields,
    recordedMicros: String(row.recorded_micros),
    sourceKind: row.source_kind,
  };
  const list = grouped.get(id);
  if (list) list.push(entry);
  else grouped.set(id, [entry]);
}

/**
 * For each (decision, record) asked: when a version of the record was recorded after the decision
 * was taken by its source (`source_kind` not `redress`: a redress correction is a steward's own
 * judgement of where the record belongs), the latest version of each of its rows as the decision
 * found them (recorded at or before `decided_at`), grouped by `decisionId\u0000record`; absent
 * otherwise. What a must-link judged, to compare with the record now: it does not rest on
 * `linkage_entity.person_values`, which a handler may have overwritten before anything marked the
 * change (a must-link made stale before migration 0071 is found too).
 */
export async function findRowsDecidedOn(
  executor: SqlExecutor,
  items: readonly { readonly decisionId: string; readonly record: string }[],
): Promise<Map<string, LatestEntityRow[]>> {
  const grouped = new Map<string, LatestEntityRow[]>();
  if (items.length === 0) return grouped;
  const rows = await executeSql<EntityRowColumns & { decision_id: string; record: string }>(
    executor,
    `WITH asked AS (
       SELECT a.decision_id, a.record, d.decided_at,
              split_part(a.record, ':', 1) AS feed, substr(a.record, strpos(a.record, ':') + 1) AS key_value
       FROM unnest($1::bigint[], $2::text[]) AS a(decision_id, record)
       JOIN linkage_decision d ON d.decision_id = a.decision_id
     ), changed AS (
       SELECT * FROM asked a WHERE EXISTS (
         SELECT 1 FROM source_record r
         WHERE r.feed = a.feed AND r.key_value = a.key_value
           AND r.recorded_at > a.decided_at AND r.source_kind <> 'redress')
     )
     SELECT DISTINCT ON (c.decision_id, c.record, r.record_key)
            c.decision_id::text, c.record, r.feed, r.key_value, r.record_key, r.version, r.fields, r.source_kind,
            (extract(epoch FROM r.recorded_at) * 1000000)::bigint::text AS recorded_micros
     FROM changed c
     JOIN source_record r ON r.feed = c.feed AND r.key_value = c.key_value AND r.recorded_at <= c.decided_at
     ORDER BY c.decision_id, c.record, r.record_key, r.version DESC`,
    [items.map((item) => item.decisionId), items.map((item) => item.record)],
  );
  for (const row of rows) addEntityRow(grouped, `${row.decision_id}\u0000${row.record}`, row);
  return grouped;
}

/** What linkage holds about an entity, and the person it belongs to (either may be absent). */
export interface IndexedEntity {
  readonly feed: string;
  readonly keyValue: string;
  readonly entityId: number | undefined;
  readonly personValues: Readonly<Record<string, string>> | undefined;
  readonly citations: readonly LinkageCitation[] | undefined;
  readonly personId: string | undefined;
}

/** Linkage's state of these entities, in the order given. */
export async function findIndexedEntities(
  executor: SqlExecutor,
  keys: readonly EntityKey[],
): Promise<IndexedEntity[]> {
  if (keys.length === 0) return [];
  const rows = await executeSql<{
    feed: string;
    key_value: string;
    entity_id: number | null;
    person_values: Record<string, string> | null;
    citations: LinkageCitation[] | null;
    person_id: string | null;
  }>(
    executor,
    // Each key probes both tables by index (`OFFSET 0` keeps the lateral probes apart): joined
    // plainly, the planner (which counts the elements of the array parameter) hashed all of
    // person_member for a batch of 1,500 keys, 76 ms at 100k records and growing with them,
    // where the probes take 8.5 ms.
    `SELECT k.feed, k.key_value, e.entity_id, e.person_values, e.citations, m.person_id
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(feed, key_value, ordinal)
     LEFT JOIN LATERAL (
       SELECT e.entity_id, e.person_values, e.citations FROM linkage_entity e
       WHERE e.feed = k.feed AND e.key_value = k.key_value OFFSET 0) e ON true
     LEFT JOIN LATERAL (
       SELECT m.person_id FROM person_member m
       WHERE m.feed = k.feed AND m.key_value = k.key_value OFFSET 0) m ON true
     ORDER BY k.ordinal`,
    [textArrayLiteral(keys.map((key) => key.feed)), textArrayLiteral(keys.map((key) => key.keyValue))],
  );
  return rows.map((row) => ({
    feed: row.feed,
    keyValue: row.key_value,
    entityId: row.entity_id ?? undefined,
    personValues: row.person_values ?? undefined,
    citations: row.citations ?? undefined,
    personId: row.person_id ?? undefined,
  }));
}

/**
 * Members of each blocking key in entity order, at most its `limit` (a block past its rule's size
 * cap is looked up through its refinement instead, so more than cap + 1 members are never
 * needed). All of them as one text, `ordinal:id,id;ordinal:id,...`, read in one pass: a row per
 * member cost the incremental handler more to read than the probes cost PostgreSQL (about 50
 * members per departure), and a row per block (14,000 of them in a batch of 1,900 departures)
 * still cost 20 ms of Node against 8 for the one text.
 */
export async function findBlockMembers(
  executor: SqlExecutor,
  blocks: readonly { readonly block: number; readonly limit: number }[],
): Promise<Map<number, number[]>> {
  const members = new Map<number, number[]>();
  if (blocks.length === 0) return members;
  const [row] = await executeSql<{ members: string | null }>(
    executor,
    `SELECT string_agg(q.ordinal::text || ':' || b.members, ';') AS members
     FROM unnest($1::bigint[], $2::int[]) WITH ORDINALITY AS q(block, member_limit, ordinal)
     CROSS JOIN LATERAL (
       SELECT string_agg(entity_id::text, ',' ORDER BY entity_id) AS members
       FROM (SELECT entity_id FROM linkage_block WHERE block = q.block ORDER BY entity_id LIMIT q.member_limit) m
     ) b
     WHERE b.members IS NOT NULL`,
    [
      numberArrayLiteral(blocks.map((entry) => entry.block)),
      numberArrayLiteral(blocks.map((entry) => entry.limit)),
    ],
  );
  const text = row?.members ?? "";
  if (text === "") return members;
  let ids: number[] = [];
  let value = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === COLON) {
      // The number before a colon is the block's ordinal.
      ids = [];
      members.set(blocks[value - 1]!.block, ids);
      value = 0;
    } else if (code === COMMA || code === SEMICOLON) {
      ids.push(value);
      value = 0;
    } else value = value * 10 + (code - ZERO);
  }
  ids.push(value);
  return members;
}
const COLON = 58;
const COMMA = 44;
const SEMICOLON = 59;
const ZERO = 48;

/** An indexed entity with its person. */
export interface MemberEntity {
  readonly entityId: number;
  readonly feed: string;
  readonly keyValue: string;
  readonly personValues: Readonly<Record<string, string>>;
  readonly citations: readonly LinkageCitation[];
  readonly personId: string;
}

interface MemberEntityRow {
  entity_id: number;
  feed: string;
  key_value: string;
  person_values: Record<string, string>;
  citations: LinkageCitation[];
  person_id: string;
}

const toMemberEntity = (row: MemberEntityRow): MemberEntity => ({
  entityId: row.entity_id,
  feed: row.feed,
  keyValue: row.key_value,
  personValues: row.person_values,
  citations: row.citations,
  personId: row.person_id,
});

/** An indexed entity's compared values and its person: what scoring a candidate needs. */
export type MemberValues = Omit<MemberEntity, "citations">;

/**
 * Every indexed entity of the persons that these entities belong to: the candidates themselves
 * and the other records of their persons (whose strong identifiers a merge must not conflict with).
 * Without citations: the incremental handler reads these for every candidate person, and scoring
 * never looks at them. Each candidate and each person is probed by index (`OFFSET 0` keeps the
 * planner from flattening the probes into hash joins, which scanned all of person_member twice
 * per handler batch whatever its size: about 107 ms a batch of 100 departures at 57k persons).
 * The candidates come with their values and persons from their own probes, and only their
 * persons' other records are looked up by key (a departure's 7.4 candidates were 7.4 of its 9
 * rows, each read twice: 90-100 against 120-170 ms of PostgreSQL CPU for 8,500 candidates).
 */
export async function findEntitiesOfPersonsHolding(
  executor: SqlExecutor,
  entityIds: readonly number[],
): Promise<MemberValues[]> {
  const rows = await findEntityTextsOfPersonsHolding(executor, entityIds);
  return rows.map((row) => ({
    entityId: row.entityId,
    feed: row.feed,
    keyValue: row.keyValue,
    personValues: JSON.parse(row.personValuesText) as Record<string, string>,
    personId: row.personId,
  }));
}

/** An indexed entity's compared values as their stored JSON text (jsonb's own, so equal values give equal text). */
export type MemberValuesText = Omit<MemberValues, "personValues"> & { readonly personValuesText: string };

/**
 * `findEntitiesOfPersonsHolding` with each entity's values as text, unparsed: the incremental
 * handler keeps what it prepared from a text and parses only a text it has not met (the same
 * stored records are candidates batch after batch).
 */
export async function findEntityTextsOfPersonsHolding(
  executor: SqlExecutor,
  entityIds: readonly number[],
): Promise<MemberValuesText[]> {
  if (entityIds.length === 0) return [];
  // Named as MemberValuesText's fields, so the rows are returned as they come (no copy of each).
  return await executeSql<MemberValuesText>(
    executor,
    `WITH held AS (
       SELECT held.* FROM unnest($1::int[]) AS c(entity_id)
       CROSS JOIN LATERAL (
         SELECT ce.entity_id, ce.feed, ce.key_value, ce.person_values, m.person_id FROM linkage_entity ce
         JOIN person_member m ON m.feed = ce.feed AND m.key_value = ce.key_value
         WHERE ce.entity_id = c.entity_id OFFSET 0) held
     )
     SELECT entity_id AS "entityId", feed, key_value AS "keyValue",
       person_values::text AS "personValuesText", person_id AS "personId" FROM held
     UNION ALL
     SELECT member.* FROM (SELECT DISTINCT person_id FROM held) p
     CROSS JOIN LATERAL (
       SELECT e.entity_id, e.feed, e.key_value, e.person_values::text, m.person_id
       FROM person_member m JOIN linkage_entity e ON e.feed = m.feed AND e.key_value = m.key_value
       WHERE m.person_id = p.person_id AND (m.feed, m.key_value) NOT IN (SELECT feed, key_value FROM held)
       OFFSET 0) member`,
    // Each candidate once: a candidate given twice would come back twice.
    [numberArrayLiteral([...new Set(entityIds)])],
  );
}

/** Every indexed entity of these persons. */
export async function findEntitiesOfPersons(
  executor: SqlExecutor,
  personIds: readonly string[],
): Promise<MemberEntity[]> {
  if (personIds.length === 0) return [];
  const rows = await executeSql<MemberEntityRow>(
    executor,
    `SELECT e.entity_id, e.feed, e.key_value, e.person_values, e.citations, m.person_id
     FROM person_member m
     JOIN linkage_entity e ON e.feed = m.feed AND e.key_value = m.key_value
     WHERE m.person_id = ANY($1::text[])
     ORDER BY m.person_id, e.entity_id`,
    [[...personIds]],
  );
  return rows.map(toMemberEntity);
}

/** Indexed entities by id (with their person, when they have one). */
export async function findEntitiesByIds(
  executor: SqlExecutor,
  entityIds: readonly number[],
): Promise<(Omit<MemberEntity, "personId"> & { personId: string | undefined })[]> {
  if (entityIds.length === 0) return [];
  const rows = await executeSql<Omit<MemberEntityRow, "person_id"> & { person_id: string | null }>(
    executor,
    `SELECT e.entity_id, e.feed, e.key_value, e.person_values, e.citations, m.person_id
     FROM linkage_entity e
     LEFT JOIN person_member m ON m.feed = e.feed AND m.key_value = e.key_value
     WHERE e.entity_id = ANY($1::int[])`,
    [[...entityIds]],
  );
  return rows.map((row) => ({
    ...toMemberEntity({ ...row, person_id: "" }),
    personId: row.person_id ?? undefined,
  }));
}

/** Reserves ids for entities about to be indexed. */
export async function allocateEntityIds(executor: SqlExecutor, count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await executeSql<{ id: number }>(
    executor,
    `SELECT nextval(pg_get_serial_sequence('linkage_entity', 'entity_id'))::int AS id
     FROM generate_series(1, $1::int)`,
    [count],
  );
  return rows.map((row) => row.id);
}

/** An entity to index (or re-index: its values and citations replace what was stored). */
export interface EntityWrite {
  readonly entityId: number;
  readonly feed: string;
  readonly keyValue: string;
  readonly personValues: Readonly<Record<string, string>>;
  readonly citations: readonly LinkageCitation[];
}

export async function upsertLinkageEntities(
  executor: SqlExecutor,
  entities: readonly EntityWrite[],
): Promise<void> {
  if (entities.length === 0) return;
  // The values and citations travel as JSON lines (one `[values, citations]` a line): as jsonb[]
  // arrays, node-postgres escaped every quote of every document and PostgreSQL unescaped them.
  await executeSql(
    executor,
    `INSERT INTO linkage_entity (entity_id, feed, key_value, person_values, citations)
     SELECT u.entity_id, u.feed, u.key_value, j.line -> 0, j.line -> 1
     FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS u(entity_id, feed, key_value, ordinal)
     JOIN ${jsonLinesOf("$4")} AS j(line, ordinal) ON j.ordinal = u.ordinal
     ORDER BY u.ordinal
     ON CONFLICT (feed, key_value) DO UPDATE SET person_values = EXCLUDED.person_values,
       citations = EXCLUDED.citations, indexed_at = clock_timestamp()`,
    [
      numberArrayLiteral(entities.map((entity) => entity.entityId)),
      textArrayLiteral(entities.map((entity) => entity.feed)),
      textArrayLiteral(entities.map((entity) => entity.keyValue)),
      jsonLines(entities.map((entity) => [entity.personValues, entity.citations])),
    ],
  );
}

/** Only the citations of an entity changed (a correction of fields linkage does not compare). */
export async function updateEntityCitations(
  executor: SqlExecutor,
  updates: readonly { entityId: number; citations: readonly LinkageCitation[] }[],
): Promise<void> {
  if (updates.length === 0) return;
  await executeSql(
    executor,
    `UPDATE linkage_entity e SET citations = u.citations, indexed_at = clock_timestamp()
     FROM unnest($1::int[], $2::jsonb[]) AS u(entity_id, citations) WHERE e.entity_id = u.entity_id`,
    [updates.map((update) => update.entityId), updates.map((update) => JSON.stringify(update.citations))],
  );
}

/**
 * Adds (entity, block) rows to the blocking index, in the index's order: a batch's keys are hashes
 * spread over the whole index, and inserted in order each leaf page is found once and while it is
 * still in the processor's cache (20,000 rows: 50-60 against 70-80 ms of PostgreSQL CPU, the sort
 * included).
 */
export async function insertBlocks(
  executor: SqlExecutor,
  rows: { readonly entityIds: readonly number[]; readonly blocks: readonly number[] },
): Promise<void> {
  if (rows.blocks.length === 0) return;
  await executeSql(
    executor,
    `INSERT INTO linkage_block (block, entity_id)
     SELECT * FROM unnest($1::bigint[], $2::int[]) AS b(block, entity_id) ORDER BY block, entity_id`,
    [numberArrayLiteral(rows.blocks), numberArrayLiteral(rows.entityIds)],
  );
}

/** Removes (entity, block) rows from the blocking index. */
export async function deleteBlocks(
  executor: SqlExecutor,
  rows: { readonly entityIds: readonly number[]; readonly blocks: readonly number[] },
): Promise<void> {
  if (rows.blocks.length === 0) return;
  await executeSql(
    executor,
    `DELETE FROM linkage_block b USING unnest($1::bigint[], $2::int[]) AS d(block, entity_id)
     WHERE b.block = d.block AND b.entity_id = d.entity_id`,
    [numberArrayLiteral(rows.blocks), numberArrayLiteral(rows.entityIds)],
  );
}

/** A scored pair kept by linkage (left < right). */
export interface StoredPair {
  readonly leftEntity: number;
  readonly rightEntity: number;
  readonly matchWeight: number;
  readonly matchProbability: number;
  readonly band: LinkagePairBand;
  readonly reason: string | null;
  readonly modelVersion: number;
}

export async function upsertPairs(executor: SqlExecutor, pairs: readonly StoredPair[]): Promise<void> {
  if (pairs.length === 0) return;
  await executeSql(
    executor,
    `INSERT INTO linkage_pair (left_entity, right_entity, match_weight, match_probability, band, reason, model_version)
     SELECT * FROM unnest($1::int[], $2::int[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::int[])
     ON CONFLICT (left_entity, right_entity) DO UPDATE SET match_weight = EXCLUDED.match_weight,
       match_probability = EXCLUDED.match_probability, band = EXCLUDED.band, reason = EXCLUDED.reason,
       model_version = EXCLUDED.model_version`,
    [
      numberArrayLiteral(pairs.map((pair) => pair.leftEntity)),
      numberArrayLiteral(pairs.map((pair) => pair.rightEntity)),
      numberArrayLiteral(pairs.map((pair) => pair.matchWeight)),
      numberArrayLiteral(pairs.map((pair) => pair.matchProbability)),
      textArrayLiteral(pairs.map((pair) => pair.band)),
      textArrayLiteral(pairs.map((pair) => pair.reason)),
      numberArrayLiteral(pairs.map((pair) => pair.modelVersion)),
    ],
  );
}

/** Removes every stored pair of these entities (before they are scored again). */
export async function deletePairsOfEntities(
  executor: SqlExecutor,
  entityIds: readonly number[],
): Promise<void> {
  if (entityIds.length === 0) return;
  await executeSql(
    executor,
    "DELETE FROM linkage_pair WHERE left_entity = ANY($1::int[]) OR right_entity = ANY($1::int[])",
    [[...entityIds]],
  );
}

interface PairRow {
  left_entity: number;
  right_entity: number;
  match_weight: number;
  match_probability: number;
  band: LinkagePairBand;
  reason: string | null;
  model_version: number;
}

const toPair = (row: PairRow): StoredPair => ({
  leftEntity: row.left_entity,
  rightEntity: row.right_entity,
  matchWeight: row.match_weight,
  matchProbability: row.match_probability,
  band: row.band,
  reason: row.reason,
  modelVersion: row.model_version,
});

/** The entities an auto-link pair joins to any of these, outside them (the neighbours clustering may join). */
export async function findAutoLinkPartners(
  executor: SqlExecutor,
  entityIds: readonly number[],
): Promise<number[]> {
  if (entityIds.length === 0) return [];
  const rows = await executeSql<{ partner: number }>(
    executor,
    `SELECT partner FROM (
       SELECT right_entity AS partner FROM linkage_pair WHERE left_entity = ANY($1::int[]) AND band = 'auto_link'
       UNION SELECT left_entity FROM linkage_pair WHERE right_entity = ANY($1::int[]) AND band = 'auto_link'
     ) p WHERE partner <> ALL($1::int[])`,
    [[...entityIds]],
  );
  return rows.map((row) => row.partner);
}

/** The stored pairs with both entities among these (the links inside a set of persons). */
export async function findPairsAmong(
  executor: SqlExecutor,
  entityIds: readonly number[],
): Promise<StoredPair[]> {
  if (entityIds.length < 2) return [];
  const rows = await executeSql<PairRow>(
    executor,
    `SELECT left_entity, right_entity, match_weight, match_probability, band, reason, model_version
     FROM linkage_pair WHERE left_entity = ANY($1::int[]) AND right_entity = ANY($1::int[])`,
    [[...entityIds]],
  );
  return rows.map(toPair);
}

/** The search terms of one entity. */
export interface EntitySearchTerms {
  readonly entityId: number;
  readonly names: string | undefined;
  readonly documents: readonly { readonly document: string; readonly kind: LinkageDocumentKind }[];
}

/** Replaces the search projection of these entities. */
export async function replaceSearchTerms(
  executor: SqlExecutor,
  terms: readonly EntitySearchTerms[],
  /** The entities that may hold terms already (default all); an entity id allocated just now holds none. */
  indexedBefore: readonly number[] = terms.map((term) => term.entityId),
): Promise<void> {
  if (terms.length === 0) return;
  if (indexedBefore.length > 0) {
    await executeSql(executor, "DELETE FROM linkage_search_name WHERE entity_id = ANY($1::int[])", [
      indexedBefore,
    ]);
    await executeSql(executor, "DELETE FROM linkage_search_document WHERE entity_id = ANY($1::int[])", [
      indexedBefore,
    ]);
  }
  const named = terms.filter((term) => term.names !== undefined && term.names !== "");
  if (named.length > 0) {
    await executeSql(
      executor,
      "INSERT INTO linkage_search_name (entity_id, names) SELECT * FROM unnest($1::int[], $2::text[])",
      [named.map((term) => term.entityId), named.map((term) => term.names)],
    );
  }
  const documents = terms.flatMap((term) =>
    term.documents.map((document) => ({ ...document, entityId: term.entityId })),
  );
  if (documents.length > 0) {
    await executeSql(
      executor,
      `INSERT INTO linkage_search_document (document, kind, entity_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) ON CONFLICT DO NOTHING`,
      [
        documents.map((document) => document.document),
        documents.map((document) => document.kind),
        documents.map((document) => document.entityId),
      ],
    );
  }
}
