import {
  FEED_SCHEMAS,
  type Feed,
  type FieldIssue,
  type NormalisedFields,
  normaliseRow,
  type RowResult,
} from "@passage/core";
import { type StagedRecord, stageRecord } from "@passage/store";
import { CLOCK_SKEW_MS } from "./clock-skew.ts";
import { implausibleDates } from "./implausible-dates.ts";

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
 * A caller's own check of a valid row's normalised fields: an issue rejects the row (nothing of
 * it is stored), as a failed field check would.
 */
export type RowAdmission = (fields: NormalisedFields) => FieldIssue | undefined;

/**
 * How deep a raw row may nest (its unknown columns are kept whole as provenance, and written out
 * as JSON): a feed row is flat, so this only stops a pathological line, such as 100,000 nested
 * objects, from exhausting the stack.
 */
export const MAX_RAW_NESTING = 32;

/** Whether a JSON value nests objects or arrays deeper than `limit` (walked without recursion). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: next, depth } = stack.pop()!;
    if (next === null || typeof next !== "object") continue;
    if (depth >= limit) return true;
    for (const inner of Object.values(next)) {
      if (inner !== null && typeof inner === "object") stack.push({ value: inner, depth: depth + 1 });
    }
  }
  return false;
}

const timestampFieldsByFeed = new Map<Feed, readonly string[]>();

/**
 * The row's timestamps (a departure's `reported_at`) later than when the row was received: a
 * record cannot report what has not happened yet (a departure reported in 2126 would become a
 * verified departure by itself once its date came).
 */
function futureTimestamps(
  feed: Feed,
  fields: Readonly<Record<string, unknown>>,
  receivedAt: string,
): FieldIssue[] {
  let names = timestampFieldsByFeed.get(feed);
  if (names === undefined) {
    names = FEED_SCHEMAS[feed].fields
      .filter((field) => field.type.kind === "timestamp")
      .map((field) => field.name);
    timestampFieldsByFeed.set(feed, names);
  }
  const latest = Date.parse(receivedAt) + CLOCK_SKEW_MS;
  const issues: FieldIssue[] = [];
  for (const name of names) {
    const value = fields[name];
    if (typeof value === "string" && Date.parse(value) > latest) {
      issues.push({
        field: name,
        reason: `${value} is after the row was received (${receivedAt}): it is in the future`,
      });
    }
  }
  return issues;
}

/**
 * Every check one raw row of a feed must pass, in order: its nesting depth, the feed's field
 * validation and normalisation (`normaliseRow`), no timestamp after `receivedAt`, and the caller's
 * own `admit`; an accepted row also carries a warning for each impossible date
 * (`implausibleDates`: a date of birth or an event later than `receivedAt`, two dates the wrong
 * way round), stored with it. The one path by which any row becomes a record: files, streamed rows
 * and redress corrections alike, so none is judged more leniently than another.
 */
export function validateRow(
  feed: Feed,
  raw: Readonly<Record<string, unknown>>,
  receivedAt: string,
  admit?: RowAdmission,
): RowResult {
  if (nestedDeeperThan(raw, MAX_RAW_NESTING)) {
    const reason = `the row nests objects or arrays deeper than ${MAX_RAW_NESTING} levels`;
    return { ok: false, issues: [{ field: "(row)", reason }] };
  }
  const result = normaliseRow(feed, raw);
  if (!result.ok) return { ok: false, issues: result.issues };
  const future = futureTimestamps(feed, result.fields, receivedAt);
  if (future.length > 0) return { ok: false, issues: future };
  const refusal = admit?.(result.fields);
  if (refusal) return { ok: false, issues: [refusal] };
  const dateWarnings = implausibleDates(feed, result.fields, receivedAt);
  if (dateWarnings.length === 0) return result;
  return { ...result, warnings: [...result.warnings, ...dateWarnings] };
}

/**
 * Validates and normalises one raw row (`validateRow`), then stages it: canonical fields,
 * content hash, and the raw row kept whole (original spelling, unknown columns) as provenance.
 * The same function serves files and streamed rows, so both are judged alike.
 */
export function prepareRow(
  feed: Feed,
  raw: Readonly<Record<string, unknown>>,
  sourceRow: number | null,
  receivedAt: string,
  admit?: RowAdmission,
): PreparedRow {
  const result = validateRow(feed, raw, receivedAt, admit);
  if (!result.ok) return result;
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
