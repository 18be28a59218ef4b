import crypto, { createHash } from "node:crypto";
import type { FieldIssue, NormalisedFields } from "@passage/core";

/**
 * One accepted row, ready for the bulk path: its keys, content hash and provenance, and its COPY
 * line. Batches keep only its record key and the line's bytes (`StagedRows`): the rest dies
 * young, which keeps the garbage collector's work small.
 */
export interface StagedRecord {
  readonly recordKey: string;
  readonly keyValue: string;
  /** sha256 (hex) of the canonical fields JSON: equal hashes mean the same content, whatever the raw row looked like. */
  readonly contentHash: string;
  /** Physical line of a file (first line of a multi-line record), or the stream's sequence number. */
  readonly sourceRow: number | null;
  /** ISO 8601 instant the row reached Passage. */
  readonly receivedAt: string;
  /** The staging table's columns but the last (the ordinal), in COPY text format, tab-ended. */
  readonly copyLine: string;
}

export interface RecordRowInput {
  readonly recordKey: string;
  readonly keyValue: string;
  readonly fields: NormalisedFields;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly warnings: readonly FieldIssue[];
  readonly sourceRow: number | null;
  readonly receivedAt: string;
}

const NO_WARNINGS = "[]";

/**
 * Builds the staged form of an accepted row (one JSON serialisation and one hash per row).
 * `sortedFieldNames`, when given, lists every field the row may carry in code-point order
 * (the feed's schema fields, sorted once): it spares a sort per row on the bulk path.
 */
export function stageRecord(input: RecordRowInput, sortedFieldNames?: readonly string[]): StagedRecord {
  const fieldsJson = canonicalFieldsJson(input.fields, sortedFieldNames);
  const contentHash = contentHashOf(fieldsJson);
  const warningsJson = input.warnings.length === 0 ? NO_WARNINGS : JSON.stringify(input.warnings);
  return {
    recordKey: input.recordKey,
    keyValue: input.keyValue,
    contentHash,
    sourceRow: input.sourceRow,
    receivedAt: input.receivedAt,
    copyLine:
      `${copyText(input.recordKey)}\t${copyText(input.keyValue)}\t\\\\x${contentHash}\t${copyJson(fieldsJson)}\t` +
      `${copyJson(JSON.stringify(input.raw))}\t${copyJson(warningsJson)}\t${input.sourceRow ?? "\\N"}\t${input.receivedAt}\t`,
  };
}

const quotedNamesCache = new WeakMap<readonly string[], string[]>();

/**
 * The canonical form of normalised fields: a JSON object with its keys in code-point order and
 * no whitespace. Field values are already canonical (normaliseField), so two rows meaning the
 * same thing serialise to the same bytes whatever their column order or raw spelling.
 */
export function canonicalFieldsJson(fields: NormalisedFields, sortedFieldNames?: readonly string[]): string {
  const names = sortedFieldNames ?? Object.keys(fields).sort();
  let quotedNames = quotedNamesCache.get(names);
  if (quotedNames === undefined) {
    quotedNames = names.map((name) => `${JSON.stringify(name)}:`);
    if (sortedFieldNames !== undefined) quotedNamesCache.set(sortedFieldNames, quotedNames);
  }
  let json = "{";
  let first = true;
  for (let index = 0; index < names.length; index++) {
    const value = fields[names[index]!];
    if (value === undefined) continue;
    if (!first) json += ",";
    first = false;
    json += quotedNames[index];
    // Most values need no escaping: quoting them directly skips a JSON.stringify call per field.
    json += typeof value === "string" && !needsJsonEscape(value) ? `"${value}"` : JSON.stringify(value);
  }
  return `${json}}`;
}

/**
 * Whether JSON.stringify would escape a character of `text`: a quote, a backslash, a control
 * character or a surrogate (it escapes lone ones; any surrogate sends the value the slow way).
 */
function needsJsonEscape(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
}

/** sha256 (hex) of the canonical fields JSON (one-shot `crypto.hash` where the runtime has it). */
export function contentHashOf(fieldsJson: string): string {
  return oneShotHash
    ? oneShotHash("sha256", fieldsJson, "hex")
    : createHash("sha256").update(fieldsJson).digest("hex");
}

// crypto.hash (Node >= 20.12) skips building a Hash object per row.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

// COPY text format: backslash, newline, carriage return and tab are escaped; \N is NULL.
const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIAL_GLOBAL = /[\\\n\r\t]/g;
const COPY_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/** Escapes one text value for PostgreSQL's COPY text format. */
export function copyText(value: string): string {
  return COPY_SPECIAL.test(value)
    ? value.replace(COPY_SPECIAL_GLOBAL, (special) => COPY_ESCAPES[special]!)
    : value;
}

/**
 * Escapes JSON text for COPY. JSON.stringify never emits a raw newline, carriage return or tab
 * (it escapes control characters), so only backslashes need doubling: a faster path than
 * `copyText` for the two largest columns.
 */
export function copyJson(json: string): string {
  return json.includes("\\") ? json.replaceAll("\\", "\\\\") : json;
}

/**
 * The rows of one batch: their record keys, and their COPY text already encoded as UTF-8 in one
 * growing buffer, in the column order of the staging table (record_key, key_value, content_hash,
 * fields, raw, warnings, source_row, received_at, ordinal). Thousands of rows a batch stay alive
 * until it commits; as bytes outside the JavaScript heap they cost the garbage collector nothing,
 * and one string a row is all the heap keeps (an object a row, promoted to the old generation
 * while its batch waited for the database, was a noticeable share of garbage collection).
 */
export class StagedRows {
  /** Each row's record key, in order (a batch whose keys are distinct is copied straight in). */
  readonly recordKeys: string[] = [];
  /** Each row's key value (the record key's first part), in order: a re-sent batch looks its keys up by it. */
  readonly keyValues: string[] = [];
  #bytes: Buffer;
  #length = 0;
  // Per row, where its ordinal starts and where its line ends (after the newline): `copyDataWithTail`
  // swaps the ordinal for other trailing columns without encoding the rows again.
  #ordinalStarts: number[] = [];
  #lineEnds: number[] = [];

  constructor(initialBytes = 4 * 1024 * 1024) {
    this.#bytes = Buffer.allocUnsafe(initialBytes);
  }

  add(staged: StagedRecord): void {
    const line = staged.copyLine;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8; the ordinal and newline at most 17 more.
    const needed = this.#length + line.length * 3 + 17;
    if (needed > this.#bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.#bytes.length * 2));
      this.#bytes.copy(grown, 0, 0, this.#length);
      this.#bytes = grown;
    }
    this.#length += this.#bytes.write(line, this.#length, "utf8");
    this.#ordinalStarts.push(this.#length);
    this.#length += this.#bytes.write(`${this.recordKeys.length}\n`, this.#length, "latin1");
    this.#lineEnds.push(this.#length);
    this.recordKeys.push(staged.recordKey);
    this.keyValues.push(staged.keyValue);
  }

  get size(): number {
    return this.recordKeys.length;
  }

  /** The COPY text of every row added, in order. */
  copyData(): Buffer {
    return this.#bytes.subarray(0, this.#length);
  }

  /**
   * The same rows with `tail` (COPY text of the trailing columns, without its leading tab or the
   * newline) in place of each ordinal: the form in which they are copied straight into a table.
   */
  copyDataWithTail(tail: string): Buffer {
    const tailBytes = Buffer.from(`${tail}\n`, "utf8");
    const count = this.recordKeys.length;
    let size = 0;
    let lineStart = 0;
    for (let index = 0; index < count; index++) {
      size += this.#ordinalStarts[index]! - lineStart + tailBytes.length;
      lineStart = this.#lineEnds[index]!;
    }
    const out = Buffer.allocUnsafe(size);
    let written = 0;
    lineStart = 0;
    for (let index = 0; index < count; index++) {
      written += this.#bytes.copy(out, written, lineStart, this.#ordinalStarts[index]!);
      written += tailBytes.copy(out, written);
      lineStart = this.#lineEnds[index]!;
    }
    return out;
  }

  /** Rows staged one by one elsewhere (a stream's queue), gathered into one batch. */
  static of(staged: readonly StagedRecord[]): StagedRows {
    const rows = new StagedRows(Math.max(1024, staged.length * 1024));
    for (const record of staged) rows.add(record);
    return rows;
  }
}
