import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { type RefusedColumn, refusedColumnCategory } from "@passage/core";
import { ROW_CHUNK_SIZE, type SourceRow } from "./source-row.ts";

/** Non-blank lines of a UTF-8 stream with their physical line numbers, in chunks. */
export async function* readLines(input: Readable): AsyncGenerator<Array<{ line: number; text: string }>> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let lineNumber = 0;
  let chunk: Array<{ line: number; text: string }> = [];
  const take = (text: string) => {
    lineNumber++;
    const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (trimmed.trim() !== "") chunk.push({ line: lineNumber, text: trimmed });
  };
  let first = true;
  for await (const bytes of input as AsyncIterable<Buffer>) {
    let text = carry + decoder.write(bytes);
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
  carry += decoder.end();
  if (carry !== "") take(carry);
  if (chunk.length > 0) yield chunk;
}

/** Reads NDJSON: one JSON object a line; a line that is not a JSON object is a malformed row. */
export async function* readNdjsonRows(input: Readable): AsyncGenerator<SourceRow[]> {
  for await (const lines of readLines(input)) {
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
): Promise<(RefusedColumn & { readonly line: number }) | undefined> {
  const checked = new Set<string>();
  for await (const lines of readLines(input)) {
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
