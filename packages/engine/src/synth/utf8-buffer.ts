/** The byte of a comma, the CSV field separator. */
export const COMMA = 44;
const QUOTE = 34;
/** The byte of a line feed, which ends every written line. */
export const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const BACKSLASH = 92;
const REPLACEMENT_CHARACTER = 0xfffd;
/**
 * Called as `charCodeAt.call(text, index)`: the values written are strings of many internal
 * representations (flat, joined, sliced, one- or two-byte), so `text.charCodeAt` is a
 * megamorphic property load on every character; through `call` the optimiser knows the method.
 */
const charCodeAt = String.prototype.charCodeAt;

/**
 * UTF-8 bytes written straight from strings, growing as needed. The synthetic population
 * writes every CSV field and truth value through it: building lines as strings, joining them
 * and encoding the result cost more than the generation of the rows (each step copies the
 * text again, and a name held as a two-byte string made the whole joined text two-byte).
 * The bytes are exactly what `TextEncoder` gives for the same text (a lone surrogate becomes
 * U+FFFD), CSV fields are quoted as `csvField` quotes them, and `json` writes what
 * `JSON.stringify` writes; the tests hold each to that.
 */
export class Utf8Buffer {
  private bytes: Uint8Array;
  private length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(capacity, 64));
  }

  /** Bytes written so far. */
  get byteLength(): number {
    return this.length;
  }

  /** The bytes written: a view of memory this buffer owns whole and no longer writes (to transfer). */
  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** One byte below 128: a separator or a line feed. */
  byte(value: number): void {
    if (this.length === this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** `value` (from index `from` to `end`) as UTF-8. */
  text(value: string, from = 0, end = value.length): void {
    this.reserve((end - from) * 3);
    this.length = this.encode(value, from, end, this.length);
  }

  /** One CSV field (RFC 4180): quoted, with quotes doubled, only when it holds a comma, quote or line break. */
  csvField(value: string, from = 0): void {
    const end = value.length;
    this.reserve((end - from) * 3);
    const bytes = this.bytes;
    let position = this.length;
    for (let index = from; index < end; index++) {
      const code = charCodeAt.call(value, index);
      if (code === COMMA || code === QUOTE || code === LINE_FEED || code === CARRIAGE_RETURN) {
        this.quotedCsvField(value, from);
        return;
      }
      if (code >= 0x80) {
        if (needsQuoting(value, index)) this.quotedCsvField(value, from);
        else this.length = this.encode(value, index, end, position);
        return;
      }
      bytes[position++] = code;
    }
    this.length = position;
  }

  /** A JSON value as `JSON.stringify` writes it; plain data only (objects, arrays, strings, numbers, booleans, null). */
  json(value: unknown): void {
    switch (typeof value) {
      case "string":
        this.jsonString(value);
        return;
      case "boolean":
        this.ascii(value ? "true" : "false");
        return;
      case "number":
        this.ascii(Number.isFinite(value) ? String(value) : "null");
        return;
      case "object":
        if (value === null) this.ascii("null");
        else if (Array.isArray(value)) this.jsonArray(value);
        else if (isPlainObject(value)) this.jsonObject(value);
        // Anything with a prototype or a toJSON of its own is JSON.stringify's to write.
        else this.text(JSON.stringify(value));
        return;
      default:
        throw new TypeError(`${typeof value} is not JSON data`);
    }
  }

  private jsonObject(value: Record<string, unknown>): void {
    this.byte(0x7b);
    let first = true;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const property = value[key];
      // JSON.stringify leaves out properties it cannot write.
      if (property === undefined || typeof property === "function" || typeof property === "symbol") continue;
      if (!first) this.byte(COMMA);
      first = false;
      this.jsonString(key);
      this.byte(0x3a);
      this.json(property);
    }
    this.byte(0x7d);
  }

  private jsonArray(value: readonly unknown[]): void {
    this.byte(0x5b);
    for (let index = 0; index < value.length; index++) {
      if (index > 0) this.byte(COMMA);
      const item = value[index];
      // JSON.stringify writes what it cannot write as null inside an array.
      if (item === undefined || typeof item === "function" || typeof item === "symbol") this.ascii("null");
      else this.json(item);
    }
    this.byte(0x5d);
  }

  private jsonString(value: string): void {
    this.reserve(value.length + 2);
    const bytes = this.bytes;
    const start = this.length;
    let position = start;
    bytes[position++] = QUOTE;
    for (let index = 0; index < value.length; index++) {
      const code = charCodeAt.call(value, index);
      // Escapes, and non-ASCII (lone surrogates are escaped): JSON.stringify's own text, encoded.
      if (code < 0x20 || code >= 0x80 || code === QUOTE || code === BACKSLASH) {
        this.length = start;
        this.text(JSON.stringify(value));
        return;
      }
      bytes[position++] = code;
    }
    bytes[position++] = QUOTE;
    this.length = position;
  }

  /** Text known to be ASCII (JSON literals and numbers). */
  private ascii(value: string): void {
    this.reserve(value.length);
    for (let index = 0; index < value.length; index++)
      this.bytes[this.length++] = charCodeAt.call(value, index);
  }

  private quotedCsvField(value: string, from: number): void {
    this.reserve((value.length - from) * 3 + 2);
    this.byte(QUOTE);
    let run = from;
    for (let index = from; index < value.length; index++) {
      if (charCodeAt.call(value, index) !== QUOTE) continue;
      this.length = this.encode(value, run, index + 1, this.length);
      this.byte(QUOTE);
      run = index + 1;
    }
    this.length = this.encode(value, run, value.length, this.length);
    this.byte(QUOTE);
  }

  /** Encodes `value[from..end)` at `position` (room reserved by the caller); returns the position after. */
  private encode(value: string, from: number, end: number, position: number): number {
    const bytes = this.bytes;
    for (let index = from; index < end; index++) {
      let code = charCodeAt.call(value, index);
      if (code < 0x80) {
        bytes[position++] = code;
      } else if (code < 0x800) {
        bytes[position++] = 0xc0 | (code >> 6);
        bytes[position++] = 0x80 | (code & 0x3f);
      } else {
        if (code >= 0xd800 && code <= 0xdfff) {
          const next = index + 1 < end ? charCodeAt.call(value, index + 1) : 0;
          if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
            bytes[position++] = 0xf0 | (point >> 18);
            bytes[position++] = 0x80 | ((point >> 12) & 0x3f);
            bytes[position++] = 0x80 | ((point >> 6) & 0x3f);
            bytes[position++] = 0x80 | (point & 0x3f);
            index++;
            continue;
          }
          code = REPLACEMENT_CHARACTER;
        }
        bytes[position++] = 0xe0 | (code >> 12);
        bytes[position++] = 0x80 | ((code >> 6) & 0x3f);
        bytes[position++] = 0x80 | (code & 0x3f);
      }
    }
    return position;
  }

  /** Makes room for `more` bytes, doubling the memory (copied once) when it is short. */
  private reserve(more: number): void {
    const needed = this.length + more;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

/** Whether `value` from `from` on holds a character a CSV field must be quoted for. */
function needsQuoting(value: string, from: number): boolean {
  for (let index = from; index < value.length; index++) {
    const code = charCodeAt.call(value, index);
    if (code === COMMA || code === QUOTE || code === LINE_FEED || code === CARRIAGE_RETURN) return true;
  }
  return false;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  return (
    Object.getPrototypeOf(value) === Object.prototype &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  );
}
