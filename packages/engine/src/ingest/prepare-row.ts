import { FEED_SCHEMAS, type Feed, type FieldIssue, normaliseRow } from "@passage/core";
import { type StagedRecord, stageRecord } from "@passage/store";

/** An accepted row ready for the bulk path, or the reasons it was rejected. */
export type PreparedRow =
  | { readonly ok: true; readonly staged: StagedRecord; readonly warnings: readonly FieldIssue[] }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

const sortedFieldNamesByFeed = new Map<Feed, readonly string[]>();

/** A feed's field names in code-point order: the order of the canonical fields JSON. */
function sortedFieldNamesOf(feed: Feed): readonly string[] {
  let names = sortedFieldNamesByFeed.get(feed);
  if (names === undefined) {
    names = FEED_SCHEMAS[feed].fields.map((field) => field.name).sort();
    sortedFieldNamesByFeed.set(feed, names);
  }
  return names;
}

/**
 * Validates and normalises one raw row (`normaliseRow`), then stages it: canonical fields,
 * content hash, and the raw row kept whole (original spelling, unknown columns) as provenance.
 * The same function serves files and streamed rows, so both are judged alike.
 */
export function prepareRow(
  feed: Feed,
  raw: Readonly<Record<string, unknown>>,
  sourceRow: number | null,
  receivedAt: string,
): PreparedRow {
  const result = normaliseRow(feed, raw);
  if (!result.ok) return { ok: false, issues: result.issues };
  const staged = stageRecord(
    {
      recordKey: result.recordKey,
      keyValue: result.keyValue,
      fields: result.fields,
      raw,
      warnings: result.warnings,
      sourceRow,
      receivedAt,
    },
    sortedFieldNamesOf(feed),
  );
  return { ok: true, staged, warnings: result.warnings };
}
