import { FEED_SCHEMAS, type Feed, type FeedSchema, type FieldType } from "./feed-schemas.ts";
import {
  characterProblem,
  type FieldValue,
  LENIENT_IDENTIFIER_KINDS,
  normaliseField,
  wellFormedForDisplay,
} from "./normalise-field.ts";

/** A field-level problem: which field and why. */
export interface FieldIssue {
  readonly field: string;
  readonly reason: string;
}

export type NormalisedFields = Readonly<Record<string, FieldValue>>;

export interface AcceptedRow {
  readonly ok: true;
  /** The key field's value (what `FEED:KEY` names). */
  readonly keyValue: string;
  /** The full stable key: the key value, plus `|second` for feeds with one row per event. */
  readonly recordKey: string;
  /** Contract fields, normalised; missing optional fields are absent. */
  readonly fields: NormalisedFields;
  /**
   * Malformed optional identifiers that were dropped; the ingest's `validateRow` adds the row's
   * impossible dates (kept as received).
   */
  readonly warnings: readonly FieldIssue[];
}

export interface RejectedRow {
  readonly ok: false;
  readonly issues: readonly FieldIssue[];
}

export type RowResult = AcceptedRow | RejectedRow;

/**
 * Whether a field is a boolean (SOURCES.md: `Y`/`N`, `U` = unknown where allowed): the only fields
 * an NDJSON `true`/`false` may fill. Anywhere else a JSON boolean is a mistake upstream, not a value
 * (`"family_name": true` would otherwise be stored as the name "Y").
 */
function isBooleanField(type: FieldType): boolean {
  return (
    type.kind === "enum" &&
    type.values.includes("Y") &&
    type.values.includes("N") &&
    type.values.every((value) => value === "Y" || value === "N" || value === "U")
  );
}

/** Text of a raw cell: CSV gives strings, NDJSON may give numbers or booleans; null means missing. */
function cellText(value: unknown, type: FieldType): string | { invalid: string } {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") {
    if (isBooleanField(type)) return value ? "Y" : "N";
    return { invalid: `expected text, got the boolean ${value}: only a Y/N field takes a JSON boolean` };
  }
  return { invalid: `expected text, got ${Array.isArray(value) ? "an array" : typeof value}` };
}

/**
 * Problems in the row's unknown columns, which are kept whole as raw provenance (stored as json):
 * a lone UTF-16 surrogate there is no Unicode text (json keeps the escape, but jsonb, and so any copy
 * of the provenance into it, refuses it), and U+FFFD means the source was not valid UTF-8. Keys and values are
 * checked at any depth (an NDJSON column may nest), without recursion. The issue names the column,
 * with any lone surrogate of its name shown as U+FFFD so the reason itself is well-formed.
 */
function unknownColumnIssues(schema: FeedSchema, raw: Readonly<Record<string, unknown>>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const column of Object.keys(raw)) {
    if (schema.fieldsByName.has(column)) continue;
    const problem = characterProblemWithin(column, raw[column]);
    if (problem !== undefined) {
      issues.push({ field: wellFormedForDisplay(column), reason: problem });
    }
  }
  return issues;
}

/** The first character problem of an unknown column's name, nested keys or string values. */
function characterProblemWithin(column: string, value: unknown): string | undefined {
  const nameProblem = characterProblem(column, true);
  if (nameProblem !== undefined) return `the column name ${nameProblem}`;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === "string") {
      const problem = characterProblem(next, true);
      if (problem !== undefined) return problem;
    } else if (next !== null && typeof next === "object") {
      for (const [key, inner] of Object.entries(next)) {
        const problem = characterProblem(key, true);
        if (problem !== undefined) return `the key "${wellFormedForDisplay(key)}" ${problem}`;
        stack.push(inner);
      }
    }
  }
  return undefined;
}

const DAY_MS = 86_400_000;

/**
 * Checks across a row's fields, per feed, once each field has parsed. A departure is recorded after
 * it happens: one dated after the day it was reported (a day's grace for the time zone of a local
 * date) is no exit record, and would become a verified departure by itself once its date came.
 */
const ROW_CHECKS: Partial<Record<Feed, (fields: Readonly<Record<string, FieldValue>>) => FieldIssue[]>> = {
  departure(fields) {
    const departed = Date.parse(`${String(fields.departure_date)}T00:00:00Z`);
    const reportedDay = Date.parse(`${String(fields.reported_at).slice(0, 10)}T00:00:00Z`);
    if (departed <= reportedDay + DAY_MS) return [];
    return [
      {
        field: "departure_date",
        reason: `${String(fields.departure_date)} is after reported_at ${String(fields.reported_at)}: a departure is reported once it has happened`,
      },
    ];
  },
};

/**
 * Validates and normalises one source row against its feed's contract. A row missing a
 * required field or holding an unparseable value is rejected with every reason found; a
 * malformed optional identifier is dropped with a warning. Unknown columns are not mapped (the
 * caller keeps them in the raw row), but one that is not well-formed Unicode or holds U+FFFD
 * rejects the row, naming the column, as a contract field's would (not the write of its batch).
 */
export function normaliseRow(feed: Feed, raw: Readonly<Record<string, unknown>>): RowResult {
  const schema = FEED_SCHEMAS[feed];
  const fields: Record<string, FieldValue> = {};
  const issues: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  for (const definition of schema.fields) {
    const text = cellText(raw[definition.name], definition.type);
    if (typeof text !== "string") {
      issues.push({ field: definition.name, reason: text.invalid });
      continue;
    }
    if (text.trim() === "") {
      if (definition.required) issues.push({ field: definition.name, reason: "required field is missing" });
      continue;
    }
    const parsed = normaliseField(definition.type, text);
    if (parsed.ok) {
      fields[definition.name] = parsed.value;
    } else if (!definition.required && LENIENT_IDENTIFIER_KINDS.has(definition.type.kind)) {
      warnings.push({ field: definition.name, reason: `${parsed.reason}; dropped` });
    } else {
      issues.push({ field: definition.name, reason: parsed.reason });
    }
  }
  issues.push(...unknownColumnIssues(schema, raw));
  if (issues.length === 0) issues.push(...(ROW_CHECKS[feed]?.(fields) ?? []));
  if (issues.length > 0) return { ok: false, issues };
  const keyValue = String(fields[schema.keyField]);
  const recordKey =
    schema.keySecondField === undefined ? keyValue : `${keyValue}|${String(fields[schema.keySecondField])}`;
  return { ok: true, keyValue, recordKey, fields, warnings };
}
