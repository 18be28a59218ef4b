import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  findRefusedKey,
  findRefusedNdjsonKey,
  readLines,
  readNdjsonRows,
  type SourceLine,
} from "./ndjson-rows.ts";
import { MAX_ROW_CHARACTERS } from "./source-row.ts";

const options = { numRuns: process.env.PASSAGE_SOAK === "1" ? 5000 : 200 };

/** A byte stream delivering `text` in chunks of the given sizes (multi-byte characters may be split). */
function streamOf(text: string | Buffer, sizes: readonly number[]): Readable {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const chunks: Buffer[] = [];
  for (let position = 0, index = 0; position < bytes.length; index++) {
    const size = sizes.length === 0 ? bytes.length : sizes[index % sizes.length]!;
    chunks.push(bytes.subarray(position, position + size));
    position += size;
  }
  return Readable.from(chunks);
}

async function collect<T>(chunks: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const chunk of chunks) all.push(...chunk);
  return all;
}

describe("NDJSON reading (property)", () => {
  it("yields every non-blank line with its physical number, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({ unit: "grapheme" }).map((text) => text.replace(/[\r\n]/g, "")),
            fc.constant(""),
          ),
          { maxLength: 20 },
        ),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 4 }),
        async (lines, newline, sizes) => {
          const read = await collect(readLines(streamOf(lines.join(newline), sizes), "in.ndjson"));
          const expected = lines
            .map((text, index) => ({ line: index + 1, text }))
            .filter((entry) => entry.text.trim() !== "");
          expect(read).toEqual(expected);
        },
      ),
      options,
    );
  });

  it("turns objects into rows and anything else into a malformed row", async () => {
    const rows = await collect(
      readNdjsonRows(streamOf('\uFEFF{"a":1}\n"text"\n{bad\n\n{"b":[1]}', [4]), "in.ndjson"),
    );
    expect(rows).toEqual([
      { kind: "row", line: 1, raw: { a: 1 } },
      { kind: "malformed", line: 2, reason: "expected a JSON object, got string" },
      { kind: "malformed", line: 3, reason: expect.stringContaining("not valid JSON") },
      { kind: "row", line: 5, raw: { b: [1] } },
    ]);
  });

  it("finds a refused key at any depth, with its line", async () => {
    const text = '{"visa_id":"1"}\n{"notes":[{"ok":1},{"Email":"x"}]}\n';
    expect(await findRefusedNdjsonKey(streamOf(text, [5]), "in.ndjson")).toEqual({
      column: "Email",
      category: "email",
      line: 2,
    });
    expect(await findRefusedNdjsonKey(streamOf('{"port":"LAX"}\n', []), "in.ndjson")).toBeUndefined();
  });

  it("refuses UTF-16 and UTF-32 sources, by byte-order mark or by a NUL-riddled first line", async () => {
    const text = '{"visa_id":"V1","family_name":"Ó"}\n{"visa_id":"V2"}\n';
    const utf16be = Buffer.from(text, "utf16le").swap16();
    const utf32le = Buffer.alloc(text.length * 4);
    for (let index = 0; index < text.length; index++)
      utf32le.writeUInt32LE(text.charCodeAt(index), index * 4);
    const cases: Array<[Buffer, string]> = [
      [
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
        "UTF-16LE byte-order mark FF FE",
      ],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]), "UTF-16BE byte-order mark FE FF"],
      [Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le]), "UTF-32LE byte-order mark FF FE 00 00"],
      [Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32le]), "UTF-32BE byte-order mark 00 00 FE FF"],
      [Buffer.from(text, "utf16le"), "line 1 is largely NUL characters"],
      [Buffer.from(`\n${text}`, "utf16le"), "line 2 is largely NUL characters"],
    ];
    for (const [bytes, evidence] of cases) {
      for (const sizes of [[], [1], [3, 5]]) {
        for (const read of [
          () => collect(readNdjsonRows(streamOf(bytes, sizes), "in.ndjson")),
          () => findRefusedNdjsonKey(streamOf(bytes, sizes), "in.ndjson"),
        ]) {
          const error = await read().then(
            () => undefined,
            (thrown: unknown) => thrown,
          );
          expect(error).toMatchObject({
            code: "PASSAGE_ERR_INGEST_NOT_UTF8",
            message: expect.stringMatching(
              /^in\.ndjson is not UTF-8: .*sources must be UTF-8 \(SOURCES\.md\)/,
            ),
          });
          expect((error as Error).message).toContain(evidence);
        }
      }
    }
    // A stray NUL in a UTF-8 line is that row's problem, not the file's.
    expect(
      await collect(readNdjsonRows(streamOf('{"a":"x\\u0000"}\n{"a":"\0y"}\n', [3]), "in.ndjson")),
    ).toEqual([
      { kind: "row", line: 1, raw: { a: "x\0" } },
      { kind: "malformed", line: 2, reason: expect.stringContaining("not valid JSON") },
    ]);
  });

  it("finds a refused key under 100,000 levels of nesting without exhausting the stack", () => {
    let value: unknown = { mailing_addr: "12 Main St" };
    for (let level = 0; level < 100_000; level++) value = level % 2 === 0 ? { notes: value } : [value];
    expect(findRefusedKey(value, new Set())).toEqual({ column: "mailing_addr", category: "address" });
  });

  it("reads a line longer than the limit as an error on its line, and every line after it, whatever the chunking", async () => {
    const max = 12;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({ unit: "grapheme", maxLength: 30 }).map((text) => text.replace(/[\r\n]/g, "")),
            fc.constant(""),
            fc.constant(" ".repeat(max + 1)),
          ),
          { maxLength: 20 },
        ),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 4 }),
        async (lines, newline, sizes) => {
          const read = await collect(readLines(streamOf(lines.join(newline), sizes), "in.ndjson", max));
          // A line's length counts a CR before its LF, as a CSV record's does.
          const expected = lines.flatMap((text, index): SourceLine[] => {
            const held = index < lines.length - 1 && newline === "\r\n" ? `${text}\r` : text;
            if (held.length > max)
              return [{ line: index + 1, error: "the line is longer than 12 characters" }];
            return text.trim() === "" ? [] : [{ line: index + 1, text }];
          });
          expect(read).toEqual(expected);
        },
      ),
      options,
    );
  });

  it("rejects a line longer than 1 MiB as a malformed row, as CSV does, and reads the rows after it", async () => {
    const exact = `{"visa_id":"V3","note":"${"y".repeat(MAX_ROW_CHARACTERS - 26)}"}`;
    expect(exact.length).toBe(MAX_ROW_CHARACTERS);
    const text = [
      '{"visa_id":"V1"}',
      `{"visa_id":"V2","note":"${"x".repeat(2_000_000)}","email":"a@b"}`,
      exact,
      '{"visa_id":"V4"}',
    ].join("\n");
    for (const sizes of [[], [64 * 1024], [1000, 7]]) {
      const rows = await collect(readNdjsonRows(streamOf(text, sizes), "in.ndjson"));
      expect(rows.map((row) => (row.kind === "row" ? { line: row.line, id: row.raw.visa_id } : row))).toEqual(
        [
          { line: 1, id: "V1" },
          { kind: "malformed", line: 2, reason: "the line is longer than 1 MiB (1048576 characters)" },
          { line: 3, id: "V3" },
          { line: 4, id: "V4" },
        ],
      );
      // The refused key inside the over-long line is not read: the line is rejected whole.
      expect(await findRefusedNdjsonKey(streamOf(text, sizes), "in.ndjson")).toBeUndefined();
    }
  });
});
