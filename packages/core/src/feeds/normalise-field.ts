import { COUNTRY_CODES } from "./countries.ts";
import type { FieldType } from "./feed-schemas.ts";

/** A normalised field value: text, a canonical code or date string, or a number. */
export type FieldValue = string | number;

export type FieldParse = { ok: true; value: FieldValue } | { ok: false; reason: string };

const ok = (value: FieldValue): FieldParse => ({ ok: true, value });
const fail = (reason: string): FieldParse => ({ ok: false, reason });

/**
 * What is wrong with a value's characters, if anything, in one pass over its character codes (for
 * the short values of a row it costs a fraction of a regular expression call, and it runs on every
 * field of every row):
 * - a control character other than tab or line feed: never legitimate inside a field;
 * - a lone UTF-16 surrogate (an NDJSON `"\ud800"` escape): not well-formed Unicode, so no UTF-8
 *   text, and PostgreSQL's json refuses it, which would fail the whole batch the row is written in;
 * - U+FFFD, the replacement character: what a byte that is not UTF-8 becomes when decoded, so the
 *   source is not the UTF-8 SOURCES.md asks for (a Latin-1 "M\xfcller" reads as "M\ufffdller"),
 *   or was mis-decoded before it reached Passage; stored, the name would be lost for good.
 * Raw provenance may keep control characters (`allowControlCharacters`), never the other two.
 */
export function characterProblem(text: string, allowControlCharacters = false): string | undefined {
  let problem: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 ? code !== 0x09 && code !== 0x0a : code === 0x7f) {
      if (!allowControlCharacters) return "contains control characters";
      continue;
    }
    if (code < 0xd800 || problem !== undefined) continue;
    if (code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
      else problem = loneSurrogate(code, index);
    } else if (code <= 0xdfff) {
      problem = loneSurrogate(code, index);
    } else if (code === 0xfffd) {
      problem =
        "contains U+FFFD, the replacement character: the source is not valid UTF-8 or was mis-decoded upstream";
    }
  }
  return problem;
}

const loneSurrogate = (code: number, index: number): string =>
  `is not well-formed Unicode: a lone UTF-16 surrogate \\u${code.toString(16)} at character ${index + 1}`;

/** Text with each lone surrogate replaced by U+FFFD, fit to quote in a reason (a reason is stored). */
export function wellFormedForDisplay(text: string): string {
  return text.replace(/[\uD800-\uDFFF]/gu, "\uFFFD");
}

const MAX_TEXT_LENGTH = 500;
const MAX_KEY_LENGTH = 128;

/** Collapses runs of whitespace and trims, after Unicode NFC normalisation. */
export function normaliseText(text: string): string {
  // Most values are already normal: printable ASCII (which NFC leaves alone) with single inner
  // spaces. Checking that costs a fraction of normalising, collapsing and trimming.
  if (isNormalAscii(text)) return text;
  return text.normalize("NFC").replace(/\s+/gu, " ").trim();
}

/** Printable ASCII, no leading, trailing or doubled space: what `normaliseText` returns unchanged. */
function isNormalAscii(text: string): boolean {
  let afterSpace = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x20) {
      if (afterSpace) return false;
      afterSpace = true;
    } else if (code > 0x20 && code < 0x7f) {
      afterSpace = false;
    } else {
      return false;
    }
  }
  return !afterSpace || text.length === 0;
}

/** A name as recorded: NFC-normalised, whitespace collapsed; case and spelling kept. */
export function normaliseName(text: string): FieldParse {
  const name = normaliseText(text);
  if (name.length === 0) return fail("empty name");
  if (name.length > 200) return fail(`name longer than 200 characters (${name.length})`);
  if (!startsWithAsciiLetter(name) && !/\p{L}/u.test(name)) return fail(`name "${name}" contains no letter`);
  return ok(name);
}

/** Most names start with a letter of A-Z, which spares the Unicode letter search. */
function startsWithAsciiLetter(text: string): boolean {
  const lower = text.charCodeAt(0) | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/** A calendar date `YYYY-MM-DD` between 1850 and 2200, checked to exist (no 31 April). */
export function parseIsoDate(text: string): FieldParse {
  // Read by character codes rather than a regular expression and a Date: dates are the most
  // frequent typed field, and this is several times cheaper (same answers, tested).
  const trimmed = text.trim();
  if (
    trimmed.length !== 10 ||
    trimmed.charCodeAt(4) !== 0x2d ||
    trimmed.charCodeAt(7) !== 0x2d ||
    !isDigitRun(trimmed, 0, 4) ||
    !isDigitRun(trimmed, 5, 7) ||
    !isDigitRun(trimmed, 8, 10)
  ) {
    return fail(`"${text}" is not a date in YYYY-MM-DD form`);
  }
  const year = digitsValue(trimmed, 0, 4);
  const month = digitsValue(trimmed, 5, 7);
  const day = digitsValue(trimmed, 8, 10);
  if (year < 1850 || year > 2200) return fail(`year ${year} is out of range (1850-2200)`);
  if (month < 1 || month > 12) return fail(`month ${month} does not exist`);
  if (day < 1 || day > daysInMonth(year, month)) return fail(`${trimmed} does not exist`);
  return ok(trimmed);
}

function isDigitRun(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

function digitsValue(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) value = value * 10 + (text.charCodeAt(index) - 0x30);
  return value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in a month (1-12) of a proleptic Gregorian year. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12)
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** An ISO 8601 timestamp with an offset, normalised to UTC (`...Z`, millisecond precision). */
export function parseTimestamp(text: string): FieldParse {
  const trimmed = text.trim();
  const match = TIMESTAMP.exec(trimmed);
  if (!match) return fail(`"${text}" is not an ISO 8601 timestamp with an offset`);
  const date = parseIsoDate(match[1]!);
  if (!date.ok) return date;
  if (Number(match[2]) > 23 || Number(match[3]) > 59 || Number(match[4] ?? 0) > 59) {
    return fail(`"${text}" has an impossible time of day`);
  }
  const instant = new Date(trimmed.replace(" ", "T"));
  if (Number.isNaN(instant.getTime())) return fail(`"${text}" is not a valid timestamp`);
  return ok(instant.toISOString());
}

/**
 * An A-number: optional `A`, 7-9 digits, any punctuation (SOURCES.md: `A#123-456-789`,
 * `A 12,345,678`, `A(123)456789`); normalised to 9 digits. Every character that is neither a letter,
 * a digit nor a combining mark is punctuation here, so a letter other than the leading A, or a
 * digit of another script, still fails.
 */
export function normaliseANumber(text: string): FieldParse {
  const compact = text.toUpperCase().replace(/[^\p{L}\p{N}\p{M}]/gu, "");
  const match = /^A?(\d{7,9})$/.exec(compact);
  if (!match) return fail(`"${text}" is not an A-number (A + 7-9 digits)`);
  return ok(match[1]!.padStart(9, "0"));
}

/** An I-94 number: any 11 letters or digits, upper-cased. */
export function normaliseI94Number(text: string): FieldParse {
  const compact = text.toUpperCase().replace(/[\s-]/g, "");
  if (!/^[A-Z0-9]{11}$/.test(compact)) return fail(`"${text}" is not an I-94 number (11 letters or digits)`);
  return ok(compact);
}

/** A USCIS receipt number: 3 letters and 10 digits. */
export function normaliseReceiptNumber(text: string): FieldParse {
  const compact = text.toUpperCase().replace(/[\s-]/g, "");
  if (!/^[A-Z]{3}\d{10}$/.test(compact))
    return fail(`"${text}" is not a receipt number (3 letters + 10 digits)`);
  return ok(compact);
}

/** A passport number: 5-12 letters or digits, upper-cased, punctuation removed. */
export function normalisePassportNumber(text: string): FieldParse {
  const compact = text.toUpperCase().replace(/[\s\-./]/g, "");
  if (!/^[A-Z0-9]{5,12}$/.test(compact))
    return fail(`"${text}" is not a passport number (5-12 letters or digits)`);
  return ok(compact);
}

export function normaliseCountry(text: string): FieldParse {
  const code = text.trim().toUpperCase();
  if (!COUNTRY_CODES.has(code)) return fail(`"${text}" is not an ISO 3166-1 alpha-3 country code`);
  return ok(code);
}

/** Parses one field's text by its type. The empty string never reaches here (it means "missing"). */
export function normaliseField(type: FieldType, text: string): FieldParse {
  const problem = characterProblem(text);
  if (problem !== undefined) return fail(problem);
  switch (type.kind) {
    case "key": {
      const key = normaliseText(text);
      if (key.length === 0) return fail("empty key");
      if (key.length > MAX_KEY_LENGTH) return fail(`key longer than ${MAX_KEY_LENGTH} characters`);
      if (key.includes("|")) return fail('key contains "|"');
      return ok(key);
    }
    case "opaque_id": {
      const id = text.trim();
      if (id.length > MAX_KEY_LENGTH) return fail(`identifier longer than ${MAX_KEY_LENGTH} characters`);
      return ok(id);
    }
    case "text": {
      const value = normaliseText(text);
      if (value.length > MAX_TEXT_LENGTH) return fail(`longer than ${MAX_TEXT_LENGTH} characters`);
      return ok(value);
    }
    case "name":
      return normaliseName(text);
    case "date":
      return parseIsoDate(text);
    case "timestamp":
      return parseTimestamp(text);
    case "date_or_ds":
      return /^\s*D\/?S\s*$/i.test(text) ? ok("D/S") : parseIsoDate(text);
    case "enum": {
      const value = enumValuesOf(type.values).get(text.trim().toLowerCase());
      return value === undefined ? fail(`"${text}" is not one of ${type.values.join(", ")}`) : ok(value);
    }
    case "country":
      return normaliseCountry(text);
    case "a_number":
      return normaliseANumber(text);
    case "i94_number":
      return normaliseI94Number(text);
    case "receipt_number":
      return normaliseReceiptNumber(text);
    case "passport_number":
      return normalisePassportNumber(text);
    case "hub_code": {
      // "iwa" and "IWA" are one hub: flights match the facility-to-hub mapping's upper-case codes.
      const code = text.trim().toUpperCase();
      return /^[A-Z0-9]{2,12}$/.test(code)
        ? ok(code)
        : fail(`"${text}" is not a hub code (2-12 letters or digits)`);
    }
    case "offense_code": {
      const code = text
        .trim()
        .toUpperCase()
        .replace(/[\s-]+/g, "_");
      return /^[A-Z0-9_]{1,40}$/.test(code) ? ok(code) : fail(`"${text}" is not an offense code`);
    }
    case "integer": {
      const trimmed = text.trim();
      if (!/^-?\d{1,15}$/.test(trimmed)) return fail(`"${text}" is not a whole number`);
      const value = Number(trimmed);
      if (type.min !== undefined && value < type.min) return fail(`${value} is below ${type.min}`);
      return ok(value);
    }
    case "decimal": {
      const trimmed = text.trim();
      if (!/^-?\d{1,15}(\.\d{1,6})?$/.test(trimmed)) return fail(`"${text}" is not a number`);
      const value = Number(trimmed);
      if (type.min !== undefined && value < type.min) return fail(`${value} is below ${type.min}`);
      return ok(value);
    }
  }
}

const enumValuesByList = new WeakMap<readonly string[], ReadonlyMap<string, string>>();

/** An enum's values by their lower-case form (the first value wins, as a case-blind search would). */
function enumValuesOf(values: readonly string[]): ReadonlyMap<string, string> {
  let byLowerCase = enumValuesByList.get(values);
  if (byLowerCase === undefined) {
    const map = new Map<string, string>();
    for (const value of values) if (!map.has(value.toLowerCase())) map.set(value.toLowerCase(), value);
    byLowerCase = map;
    enumValuesByList.set(values, byLowerCase);
  }
  return byLowerCase;
}

/** Identifier types whose malformed optional values are dropped with a warning rather than rejected. */
export const LENIENT_IDENTIFIER_KINDS: ReadonlySet<FieldType["kind"]> = new Set([
  "a_number",
  "i94_number",
  "receipt_number",
  "passport_number",
]);
