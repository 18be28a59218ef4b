import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findRefusedKey, findRefusedNdjsonKey, readLines, readNdjsonRows } from "./ndjson-rows.ts";

const options = { numRuns: process.env.PASSAGE_SOAK === "1" ? 5000 : 200 };

/** A byte stream delivering `text` in chunks of the given sizes (multi-byte characters may be split). */
function streamOf(text: string, sizes: readonly number[]): Readable {
  const bytes = Buffer.from(text, "utf8");
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
          const read = await collect(readLines(streamOf(lines.join(newline), sizes)));
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
    const rows = await collect(readNdjsonRows(streamOf('\uFEFF{"a":1}\n"text"\n{bad\n\n{"b":[1]}', [4])));
    expect(rows).toEqual([
      { kind: "row", line: 1, raw: { a: 1 } },
      { kind: "malformed", line: 2, reason: "expected a JSON object, got string" },
      { kind: "malformed", line: 3, reason: expect.stringContaining("not valid JSON") },
      { kind: "row", line: 5, raw: { b: [1] } },
    ]);
  });

  it("finds a refused key at any depth, with its line", async () => {
    const text = '{"visa_id":"1"}\n{"notes":[{"ok":1},{"Email":"x"}]}\n';
    expect(await findRefusedNdjsonKey(streamOf(text, [5]))).toEqual({
      column: "Email",
      category: "email",
      line: 2,
    });
    expect(await findRefusedNdjsonKey(streamOf('{"port":"LAX"}\n', []))).toBeUndefined();
  });

  it("finds a refused key under 100,000 levels of nesting without exhausting the stack", () => {
    let value: unknown = { mailing_addr: "12 Main St" };
    for (let level = 0; level < 100_000; level++) value = level % 2 === 0 ? { notes: value } : [value];
    expect(findRefusedKey(value, new Set())).toEqual({ column: "mailing_addr", category: "address" });
  });
});
