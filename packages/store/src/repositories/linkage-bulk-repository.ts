import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { KEEP_OUTDATED_REASON_SQL } from "./linkage-review-repository.ts";

/**
 * The batch side of linkage: whole-population reads and writes with COPY on one pg client.
 * Reads run inside the caller's snapshot (REPEATABLE READ); writes inside the caller's
 * transaction. Rows travel as COPY text, never as millions of parameter arrays.
 */

const SAFE_NAME = /^[a-z][a-z0-9_]*$/;

function checkedNames(names: readonly string[], what: string): string[] {
  for (const name of names) if (!SAFE_NAME.test(name)) throw new Error(`unsafe ${what} name "${name}"`);
  return [...names];
}

/** Decodes one COPY text field (`\N` is null; backslash escapes per the COPY text format). */
export function decodeCopyField(field: string): string | null {
  if (field === "\\N") return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(.)/g, (_, character: string) => {
    switch (character) {
      case "t":
        return "\t";
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "v":
        return "\v";
      default:
        return character;
    }
  });
}

/** Escapes a value for a COPY text field (null as `\N`). */
export function encodeCopyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : text;
}

/** Streams the rows of a `COPY (...) TO STDOUT` as arrays of decoded fields. */
export async function* copyRowsOut(client: pg.ClientBase, query: string): AsyncGenerator<(string | null)[]> {
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  let rest = "";
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString("utf8");
    const lines = text.split("\n");
    rest = lines.pop()!;
    for (const line of lines) yield line.split("\t").map(decodeCopyField);
  }
  if (rest.length > 0) yield rest.split("\t").map(decodeCopyField);
}

/** Sends COPY text (lines ending in newlines, in chunks) into `target` (`table (columns)`). */
export async function copyRowsIn(
  client: pg.ClientBase,
  target: string,
  chunks: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${target} FROM STDIN`)));
}

/** One row of the latest version of a person-feed record, with the fields linkage compares. */
export interface LatestPersonRow {
  readonly feed: string;
  readonly keyValue: string;
  readonly recordKey: string;
  readonly version: number;
  readonly recordedMicros: string;
  /** Values of the requested fields, in the order asked (null when absent). */
  readonly values: readonly (string | null)[];
}

/**
 * The latest version of every row of these feeds, ordered by feed and key value so that an
 * entity's rows come together; only the named person fields are read from `fields`.
 */
export async function* streamLatestPersonRows(
  client: pg.ClientBase,
  feeds: readonly string[],
  fieldNames: readonly string[],
): AsyncGenerator<LatestPersonRow> {
  const names = checkedNames(fieldNames, "field");
  const feedList = checkedNames(feeds, "feed")
    .map((feed) => `'${feed}'`)
    .join(", ");
  const extracted = names.map((name) => `fields->>'${name}'`).join(", ");
  const query = `SELECT DISTINCT ON (feed, key_value, record_key) feed, key_value, record_key, version,
      (extract(epoch FROM recorded_at) * 1000000)::bigint, ${extracted}
    FROM source_record WHERE feed IN (${feedList})
    ORDER BY feed, key_value, record_key, version DESC`;
  for await (const fields of copyRowsOut(client, query)) {
    yield {
      feed: fields[0]!,
      keyValue: fields[1]!,
      recordKey: fields[2]!,
      version: Number(fields[3]),
      recordedMicros: fields[4]!,
      values: fields.slice(5),
    };
  }
}

/** Every membership row (`feed`, `key_value`, `person_id`). */
export async function* streamMemberships(
  client: pg.ClientBase,
): AsyncGenerator<{ feed: string; keyValue: string; personId: string }> {
  for await (const fields of copyRowsOut(client, "SELECT feed, key_value, person_id FROM person_member")) {
    yield { feed: fields[0]!, keyValue: fields[1]!, personId: fields[2]! };
  }
}

/** Every indexed entity's id. */
export async function* streamEntityIds(
  client: pg.ClientBase,
): AsyncGenerator<{ feed: string; keyValue: string; entityId: number }> {
  for await (const fields of copyRowsOut(client, "SELECT feed, key_value, entity_id FROM linkage_entity")) {
    yield { feed: fields[0]!, keyValue: fields[1]!, entityId: Number(fields[2]) };
  }
}

/** Every identity issue, evidence as JSON text. */
export async function* streamIdentityIssues(client: pg.ClientBase): AsyncGenerator<{
  personId: string;
  kind: string;
  detail: string;
  matchProbability: number | null;
  evidence: string;
}> {
  for await (const fields of copyRowsOut(
    client,
    "SELECT person_id, kind, detail, match_probability, evidence::text FROM person_identity_issue",
  )) {
    yield {
      personId: fields[0]!,
      kind: fields[1]!,
      detail: fields[2]!,
      matchProbability: fields[3] === null ? null : Number(fields[3]),
      evidence: fields[4]!,
    };
  }
}

/** Every open review item's pair and id. */
export async function* streamOpenReviewPairs(
  client: pg.ClientBase,
): AsyncGenerator<{ reviewId: string; leftRecord: string; rightRecord: string }> {
  for await (const fields of copyRowsOut(
    client,
    "SELECT review_id, left_record, right_record FROM linkage_review WHERE status IN ('open', 'unsure')",
  )) {
    yield { reviewId: fields[0]!, leftRecord: fields[1]!, rightRecord: fields[2]! };
  }
}

/** The text chunks of a whole-table replacement, each a run of COPY lines. */
export interface LinkageIndexChunks {
  /** `entity_id, feed, key_value, person_values, citations` */
  readonly entities: Iterable<string>;
  /** `block, entity_id` */
  readonly blocks: Iterable<string>;
  /** `left_entity, right_entity, match_weight, match_probability, band, reason, model_version` */
  readonly pairs: Iterable<string>;
  /** `entity_id, names` */
  readonly names: Iterable<string>;
  /** `document, kind, entity_id` */
  readonly documents: Iterable<string>;
}

/**
 * Replaces linkage's index tables whole, inside the caller's transaction: the large indexes are
 * dropped and built again after the load (much faster than maintaining them row by row). Readers
 * of these tables wait for the commit; persons and memberships are not touched here.
 */
export async function replaceLinkageIndex(
  client: pg.ClientBase,
  chunks: LinkageIndexChunks,
  onStep: (step: string) => void = () => undefined,
): Promise<void> {
  await client.query("SET LOCAL maintenance_work_mem = '256MB'");
  await client.query(
    `DROP INDEX linkage_block_members; DROP INDEX linkage_search_name_trigram; DROP INDEX linkage_pair_right;
     DROP INDEX linkage_search_document_entity`,
  );
  await client.query(
    "TRUNCATE linkage_block, linkage_pair, linkage_search_name, linkage_search_document, linkage_entity",
  );
  onStep("truncate");
  await copyRowsIn(
    client,
    "linkage_entity (entity_id, feed, key_value, person_values, citations)",
    chunks.entities,
  );
  onStep("copy entities");
  await copyRowsIn(client, "linkage_block (block, entity_id)", chunks.blocks);
  onStep("copy blocking keys");
  await copyRowsIn(
    client,
    "linkage_pair (left_entity, right_entity, match_weight, match_probability, band, reason, model_version)",
    chunks.pairs,
  );
  onStep("copy pairs");
  await copyRowsIn(client, "linkage_search_name (entity_id, names)", chunks.names);
  await copyRowsIn(client, "linkage_search_document (document, kind, entity_id)", chunks.documents);
  onStep("copy search projection");
  await client.query("CREATE INDEX linkage_block_members ON linkage_block (block, entity_id)");
  onStep("index blocking keys");
  await client.query(
    "CREATE INDEX linkage_search_name_trigram ON linkage_search_name USING gin (names gin_trgm_ops)",
  );
  await client.query("CREATE INDEX linkage_search_document_entity ON linkage_search_document (entity_id)");
  onStep("index search projection");
  await client.query(`
    CREATE INDEX linkage_pair_right ON linkage_pair (right_entity);
    SELECT setval(pg_get_serial_sequence('linkage_entity', 'entity_id'),
                  greatest(coalesce((SELECT max(entity_id) FROM linkage_entity), 0), 1));`);
  onStep("index pairs");
}

/** Loads COPY lines into a fresh temporary table (dropped at commit) and returns its name. */
export async function loadTemporaryTable(
  client: pg.ClientBase,
  name: string,
  columns: string,
  chunks: Iterable<string>,
): Promise<string> {
  checkedNames([name], "table");
  await client.query(`CREATE TEMPORARY TABLE ${name} (${columns}) ON COMMIT DROP`);
  const names = columns
    .split(",")
    .map((column) => column.trim().split(/\s+/)[0]!)
    .join(", ");
  await copyRowsIn(client, `${name} (${names})`, chunks);
  return name;
}

/**
 * Applies a batch's membership changes: `assign` rows (`feed, key_value, person_id`) create the
 * persons they name and put (or move) records in them; `remove` rows (`feed, key_value`) leave
 * every person. Rows that do not change anything write nothing.
 */
export async function applyMembershipChanges(
  client: pg.ClientBase,
  changes: { readonly assign: Iterable<string>; readonly remove: Iterable<string> },
): Promise<void> {
  await loadTemporaryTable(
    client,
    "linkage_new_member",
    "feed text, key_value text, person_id text",
    changes.assign,
  );
  await loadTemporaryTable(client, "linkage_gone_member", "feed text, key_value text", changes.remove);
  await client.query(`
    INSERT INTO person (person_id) SELECT DISTINCT person_id FROM linkage_new_member ON CONFLICT DO NOTHING;
    DELETE FROM person_member m USING linkage_gone_member g WHERE m.feed = g.feed AND m.key_value = g.key_value;
    INSERT INTO person_member (feed, key_value, person_id) SELECT feed, key_value, person_id FROM linkage_new_member
      ON CONFLICT (feed, key_value) DO UPDATE SET person_id = EXCLUDED.person_id, linked_at = now()
      WHERE person_member.person_id <> EXCLUDED.person_id;
    UPDATE person SET updated_at = now() WHERE person_id IN (SELECT DISTINCT person_id FROM linkage_new_member);`);
}

/**
 * Replaces the identity issues of the listed persons (`person_id` lines) with the given rows
 * (`person_id, kind, detail, match_probability, evidence`); issues of persons that no longer exist
 * are skipped.
 */
export async function replaceIdentityIssuesInBulk(
  client: pg.ClientBase,
  persons: Iterable<string>,
  issues: Iterable<string>,
): Promise<void> {
  await loadTemporaryTable(client, "linkage_issue_person", "person_id text", persons);
  await loadTemporaryTable(
    client,
    "linkage_new_issue",
    "person_id text, kind text, detail text, match_probability float8, evidence jsonb",
    issues,
  );
  await client.query(`
    DELETE FROM person_identity_issue i USING linkage_issue_person p WHERE i.person_id = p.person_id;
    INSERT INTO person_identity_issue (person_id, kind, detail, match_probability, evidence)
      SELECT i.person_id, i.kind, i.detail, i.match_probability, i.evidence
      FROM linkage_new_issue i JOIN person p ON p.person_id = i.person_id
      ON CONFLICT DO NOTHING;`);
}

/**
 * Brings the review queue to a batch's result: `open` rows (`left_record, right_record, reason,
 * conflicting_identifiers (text[] literal), match_weight, match_probability, model_version`) are
 * opened or refreshed (an open pair keeps its id); `supersede` rows (`review_id`) are closed as
 * superseded — the batch no longer finds them uncertain.
 */
export async function applyReviewQueue(
  client: pg.ClientBase,
  changes: { readonly open: Iterable<string>; readonly supersede: Iterable<string> },
): Promise<void> {
  await loadTemporaryTable(
    client,
    "linkage_new_review",
    "left_record text, right_record text, reason text, conflicting_identifiers text[], match_weight float8, match_probability float8, model_version int",
    changes.open,
  );
  await loadTemporaryTable(client, "linkage_gone_review", "review_id bigint", changes.supersede);
  await client.query(`
    UPDATE linkage_review q SET status = 'superseded', closed_at = clock_timestamp(), updated_at = clock_timestamp(),
      note = 'no longer uncertain after a batch link'
    FROM linkage_gone_review g WHERE q.review_id = g.review_id AND q.status IN ('open', 'unsure');
    INSERT INTO linkage_review (left_record, right_record, reason, conflicting_identifiers, match_weight, match_probability, model_version)
      SELECT left_record, right_record, reason, conflicting_identifiers, match_weight, match_probability, model_version
      FROM linkage_new_review
      ON CONFLICT (left_record, right_record) WHERE status IN ('open', 'unsure') DO UPDATE SET
        reason = ${KEEP_OUTDATED_REASON_SQL}, conflicting_identifiers = EXCLUDED.conflicting_identifiers,
        match_weight = EXCLUDED.match_weight, match_probability = EXCLUDED.match_probability,
        model_version = EXCLUDED.model_version,
        updated_at = CASE WHEN linkage_review.match_weight = EXCLUDED.match_weight AND linkage_review.reason = EXCLUDED.reason
                          THEN linkage_review.updated_at ELSE clock_timestamp() END;`);
}
