/**
 * An incremental RFC 4180 record parser that knows the physical line each record starts on.
 *
 * Why not csv-parse: measured on this machine it parsed 200,000 ordinary rows in 1.5 s with its
 * defaults and 3.9 s with line information and lenient options, i.e. 8-20 µs a row, which alone
 * spends the whole per-row budget of the 50,000 rows/s target. This parser takes the common case
 * (a line with no quote) in one `split`, and only walks quoted records character by character.
 * A property test checks that it reads what csv-parse reads (csv-record-parser.test.ts).
 *
 * Dialect: comma separator, `"` quote with `""` as an escaped quote, records ended by LF or CRLF,
 * a UTF-8 byte-order mark ignored, blank lines skipped. A quote inside an unquoted field is kept
 * as a character. A closing quote followed by anything but a separator, and a quote never closed,
 * make the record malformed; parsing resumes on the next line.
 */

export type CsvRecord =
  | { readonly line: number; readonly fields: string[] }
  | { readonly line: number; readonly error: string };

/** A record longer than this is taken for a runaway quote rather than buffered further. */
export const MAX_RECORD_CHARACTERS = 1024 * 1024;

type Parsed =
  | { readonly kind: "record"; readonly fields: string[]; readonly end: number; readonly newlines: number }
  | { readonly kind: "error"; readonly error: string; readonly end: number; readonly newlines: number }
  | { readonly kind: "incomplete" };

const INCOMPLETE: Parsed = { kind: "incomplete" };

export class CsvRecordParser {
  #buffer = "";
  #line = 1;
  #started = false;

  /** Parses the complete records in `text` (plus what was held back), appending them to `out`. */
  push(text: string, out: CsvRecord[]): void {
    if (!this.#started) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#buffer = this.#buffer.length === 0 ? text : this.#buffer + text;
    this.#parse(false, out);
    if (this.#buffer.length > MAX_RECORD_CHARACTERS) {
      throw new Error(
        `the record starting on line ${this.#line} runs on for more than ${MAX_RECORD_CHARACTERS} characters (a quote never closed?)`,
      );
    }
  }

  /** Parses whatever is left at the end of the input. */
  end(out: CsvRecord[]): void {
    this.#parse(true, out);
    this.#buffer = "";
  }

  #parse(final: boolean, out: CsvRecord[]): void {
    const buffer = this.#buffer;
    const length = buffer.length;
    let position = 0;
    let line = this.#line;
    // The next quote at or after `position`, searched again only once passed: the scan stays linear.
    let nextQuote = buffer.indexOf('"');
    while (position < length) {
      const newline = buffer.indexOf("\n", position);
      if (newline === -1 && !final) break;
      const lineEnd = newline === -1 ? length : newline;
      if (nextQuote !== -1 && nextQuote < position) nextQuote = buffer.indexOf('"', position);
      if (nextQuote === -1 || nextQuote >= lineEnd) {
        const contentEnd =
          lineEnd > position && buffer.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
        if (contentEnd > position) out.push({ line, fields: buffer.slice(position, contentEnd).split(",") });
        position = lineEnd + 1;
        line++;
        continue;
      }
      const parsed = parseQuotedRecord(buffer, position, final);
      if (parsed.kind === "incomplete") break;
      out.push(parsed.kind === "record" ? { line, fields: parsed.fields } : { line, error: parsed.error });
      position = parsed.end;
      line += parsed.newlines;
    }
    this.#buffer = position >= length ? "" : buffer.slice(position);
    this.#line = line;
  }
}

/** Parses one record that contains a quote, from `start`; `end` is just past its line break. */
function parseQuotedRecord(buffer: string, start: number, final: boolean): Parsed {
  const fields: string[] = [];
  const length = buffer.length;
  let position = start;
  let newlines = 0;
  for (;;) {
    if (buffer.charCodeAt(position) === 34) {
      // A quoted field: runs to the next quote that is not doubled.
      let value = "";
      let from = position + 1;
      for (;;) {
        const quote = buffer.indexOf('"', from);
        if (quote === -1) {
          if (!final) return INCOMPLETE;
          newlines += countNewlines(buffer, position, length);
          return { kind: "error", error: "a quoted field is never closed", end: length, newlines };
        }
        value += buffer.slice(from, quote);
        if (quote + 1 >= length && !final) return INCOMPLETE;
        if (buffer.charCodeAt(quote + 1) === 34) {
          value += '"';
          from = quote + 2;
          continue;
        }
        newlines += countNewlines(buffer, position, quote);
        position = quote + 1;
        break;
      }
      fields.push(value);
      const next = buffer.charCodeAt(position);
      if (next === 44) {
        position++;
        continue;
      }
      if (position >= length) return { kind: "record", fields, end: length, newlines: newlines + 1 };
      if (next === 10) return { kind: "record", fields, end: position + 1, newlines: newlines + 1 };
      if (next === 13 && buffer.charCodeAt(position + 1) === 10) {
        return { kind: "record", fields, end: position + 2, newlines: newlines + 1 };
      }
      if (next === 13 && position + 1 >= length && !final) return INCOMPLETE;
      // Text after a closing quote: the record is malformed; resume after this line.
      const lineEnd = buffer.indexOf("\n", position);
      if (lineEnd === -1 && !final) return INCOMPLETE;
      return {
        kind: "error",
        error: `unexpected character after a closing quote in field ${fields.length}`,
        end: lineEnd === -1 ? length : lineEnd + 1,
        newlines: newlines + 1,
      };
    }
    // An unquoted field: runs to the next comma or line break.
    const comma = buffer.indexOf(",", position);
    const newline = buffer.indexOf("\n", position);
    if (newline === -1 && !final) return INCOMPLETE;
    const lineEnd = newline === -1 ? length : newline;
    if (comma !== -1 && comma < lineEnd) {
      fields.push(buffer.slice(position, comma));
      position = comma + 1;
      continue;
    }
    const contentEnd = lineEnd > position && buffer.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    fields.push(buffer.slice(position, contentEnd));
    return { kind: "record", fields, end: lineEnd + 1, newlines: newlines + 1 };
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (
    let index = text.indexOf("\n", from);
    index !== -1 && index < to;
    index = text.indexOf("\n", index + 1)
  ) {
    count++;
  }
  return count;
}
