import type { Readable } from "node:stream";
import { type RefusedColumn, refusedColumnCategory } from "@passage/core";
import { IngestErrors } from "./ingest-errors.ts";
import { decodeUtf8OrThrow } from "./source-format.ts";
import { describeCharacterLimit, MAX_ROW_CHARACTERS, ROW_CHUNK_SIZE, type SourceRow } from "./source-row.ts";

/**
 * One non-blank line of an NDJSON source, by its physical line number: its text, or why it could
 * not be read (a line longer than the limit).
 */
export type SourceLine =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly error: string };

/**
 * Non-blank lines of a UTF-8 stream with their physical line numbers, in chunks. A source in
 * UTF-16 or UTF-32 is refused (PASSAGE_ERR_INGEST_NOT_UTF8): by its byte-order mark, or, without
 * one, by a first line that is a quarter or more NUL characters (as ASCII in those encodings is).
 * A line longer than `maxLineCharacters` (`MAX_ROW_CHARACTERS`, 1 MiB, as a CSV record; a test may
 * give a smaller limit) is yielded as an error on its line, as CSV's is, and reading goes on with
 * the next line: at most the limit (plus one read chunk) is held, the rest of the line is dropped
 * as it arrives.
 */
export async function* readLines(
  input: Readable,
  source: string,
  maxLineCharacters: number = MAX_ROW_CHARACTERS,
): AsyncGenerator<SourceLine[]> {
  const max = maxLineCharacters;
  const tooLongReason = `the line is longer than ${describeCharacterLimit(max)}`;
  // The start of a line whose line break has not arrived yet: at most `max` characters.
  let carry = "";
  let lineNumber = 0;
  let chunk: SourceLine[] = [];
  let firstLineChecked = false;
  const checkFirstLine = (text: string) => {
    firstLineChecked = true;
    if (isNulRiddled(text)) {
      throw IngestErrors.notUtf8.create(
        source,
        `line ${lineNumber} is largely NUL characters, as UTF-16 or UTF-32 text read as UTF-8 is`,
      );
    }
  };
  const take = (text: string) => {
    lineNumber++;
    const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (trimmed.trim() === "") return;
    if (!firstLineChecked) checkFirstLine(trimmed);
    chunk.push({ line: lineNumber, text: trimmed });
  };
  // `held`: the first `max` characters of the over-long line.
  const tooLong = (held: string) => {
    lineNumber++;
    if (!firstLineChecked) checkFirstLine(held);
    chunk.push({ line: lineNumber, error: tooLongReason });
  };
  /** The rest of an over-long line (already reported) is being dropped up to its line break. */
  let skipping = false;
  let first = true;
  for await (const decoded of decodeUtf8OrThrow(input, source)) {
    let text = decoded;
    if (first && text.length > 0) {
      // A UTF-8 byte-order mark is not part of the first object.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (skipping) {
      const newline = text.indexOf("\n");
      if (newline === -1) continue;
      skipping = false;
      text = text.slice(newline + 1);
    }
    // `carry` holds no line break: the search starts after it.
    const from = carry.length;
    text = carry + text;
    let start = 0;
    for (let end = text.indexOf("\n", from); end !== -1; end = text.indexOf("\n", start)) {
      if (end - start > max) tooLong(text.slice(start, start + max));
      else take(text.slice(start, end));
      start = end + 1;
    }
    if (text.length - start > max) {
      tooLong(text.slice(start, start + max));
      skipping = true;
      carry = "";
    } else {
      carry = text.slice(start);
    }
    if (chunk.length >= ROW_CHUNK_SIZE) {
      yield chunk;
      chunk = [];
    }
  }
  if (carry !== "") take(carry);
  if (chunk.length > 0) yield chunk;
}

/** Whether a line is a quarter or more NUL characters. */
function isNulRiddled(line: string): boolean {
  let nuls = 0;
  for (let index = line.indexOf("\0"); index !== -1; index = line.indexOf("\0", index + 1)) nuls++;
  return nuls > 0 && nuls * 4 >= line.length;
}

/**
 * Reads NDJSON: one JSON object a line; a line that is not a JSON object, or is longer than 1 MiB
 * (`readLines`), is a malformed row.
 */
export async function* readNdjsonRows(input: Readable, source: string): AsyncGenerator<SourceRow[]> {
  for await (const lines of readLines(input, source)) {
    yield lines.map((entry): SourceRow => {
      const { line } = entry;
      if ("error" in entry) return { kind: "malformed", line, reason: entry.error };
      const parsed = parseObject(entry.text);
      return typeof parsed === "string"
        ? { kind: "malformed", line, reason: parsed }
        : { kind: "row", line, raw: parsed };
    });
  }
}

function parseObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return `expected a JSON object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`;
  }
  return value as Record<string, unknown>;
}

/**
 * The first refused key anywhere in an NDJSON source, nested objects included (an address
 * tucked inside an unknown column is still an address). NDJSON has no header, so ingest runs
 * this over the whole file before writing anything: a refused file is refused whole, with
 * nothing half-written. Each distinct key is checked once.
 */
export async function findRefusedNdjsonKey(
  input: Readable,
  source: string,
): Promise<(RefusedColumn & { readonly line: number }) | undefined> {
  const checked = new Set<string>();
  for await (const lines of readLines(input, source)) {
    for (const entry of lines) {
      if ("error" in entry) continue; // an over-long line is rejected in the main pass, unread
      const { line, text } = entry;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue; // a malformed line is rejected in the main pass
      }
      const refused = findRefusedKey(value, checked);
      if (refused) {
        input.destroy();
        return { ...refused, line };
      }
    }
  }
  return undefined;
}

/**
 * The first refused key of a JSON value, at any depth (walked without recursion, so no nesting
 * exhausts the stack). `checked` remembers keys already found innocent, so each distinct key is
 * judged once.
 */
export function findRefusedKey(value: unknown, checked: Set<string>): RefusedColumn | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === null || typeof next !== "object") continue;
    if (Array.isArray(next)) {
      for (let index = next.length - 1; index >= 0; index--) stack.push(next[index]);
      continue;
    }
    const entries = Object.entries(next);
    for (const [key] of entries) {
      if (checked.has(key)) continue;
      const category = refusedColumnCategory(key);
      if (category !== undefined) return { column: key, category };
      checked.add(key);
    }
    for (let index = entries.length - 1; index >= 0; index--) stack.push(entries[index]![1]);
  }
  return undefined;
}
