import type pg from "pg";
import { FLAGGABLE_FEEDS_SQL, RECORD_CONFIDENTIALITY_SQL } from "./redress-case-attributes.ts";

/**
 * The confidentiality flags stored under each of these key values of a feed, over every version
 * of every record under the key (RECORD_CONFIDENTIALITY_SQL): a key whose record was ever an asylum
 * or 1367 matter keeps its flag after a later version that is not. One statement for a batch; a key
 * with no flagged version (or none stored) is absent.
 */
export async function findKeyValueConfidentiality(
  executor: pg.Pool | pg.ClientBase,
  feed: string,
  keyValues: readonly string[],
): Promise<Map<string, string[]>> {
  const flagged = new Map<string, string[]>();
  if (keyValues.length === 0) return flagged;
  const { rows } = await executor.query<{ key_value: string; flags: string[] }>(
    `SELECT r.key_value, array_agg(DISTINCT flag ORDER BY flag) AS flags
     FROM source_record r CROSS JOIN LATERAL unnest(${RECORD_CONFIDENTIALITY_SQL}) AS flag
     WHERE r.feed = $1 AND r.key_value = ANY($2::text[]) AND r.feed IN ${FLAGGABLE_FEEDS_SQL}
     GROUP BY r.key_value`,
    [feed, [...new Set(keyValues)]],
  );
  for (const row of rows) flagged.set(row.key_value, row.flags);
  return flagged;
}
