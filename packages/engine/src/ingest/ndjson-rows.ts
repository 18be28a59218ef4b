import type { Readable } from "node:stream";
import { type RefusedColumn, refusedColumnCategory } from "@passage/core";
import { IngestErrors } from "./ingest-errors.ts";
import { decodeUtf8OrThrow } from "./source-format.ts";
import { ROW_CHUNK_SIZE, type SourceRow } from "./source-row.ts";

/**
 * Non-blank lines of a UTF-8 stream with their physical line numbers, in chunks. A source in
 * UTF-16 or UTF-32 is refused (PASSAGE_ERR_INGEST_NOT_UTF8): by its byte-order mark, or, without
 * one, by a first line that is a quarter or more NUL characters (as ASCII in those encodings is).
 */
export async function* readLines(
  input: Readable,
  source: string,
): AsyncGenerator<Array<{ line: number; text: string }>> {
  let carry = "";
  let lineNumber = 0;
  let chunk: Array<{ line: number; text: string }> = [];
  const take = (text: string) => {
    lineNumber++;
    const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (trimmed.trim() === "") return;
    if (!firstLineChecked) {
      firstLineChecked = true;
      if (isNulRiddled(trimmed)) {
        throw IngestErrors.notUtf8.create(
          source,
          `line ${lineNumber} is largely NUL characters, as UTF-16 or UTF-32 text read as UTF-8 is`,
        );
      }
    }
    chunk.push({ line: lineNumber, text: trimmed });
  };
  let firstLineChecked = false;
  let first = true;
  for await (const decoded of decodeUtf8OrThrow(input, source)) {
    let text = carry + decoded;
    if (first && text.length > 0) {
      // A UTF-8 byte-order mark is not part of the first object.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      take(text.slice(start, end));
      start = end + 1;
    }
    carry = text.slice(start);
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

/** Reads NDJSON: one JSON object a line; a line that is not a JSON object is a malformed row. */
export async function* readNdjsonRows(input: Readable, source: string): AsyncGenerator<SourceRow[]> {
  for await (const lines of readLines(input, source)) {
    yield lines.map(({ line, text }): SourceRow => {
      const parsed = parseObject(text);
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
    for (const { line, text } of lines) {
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
