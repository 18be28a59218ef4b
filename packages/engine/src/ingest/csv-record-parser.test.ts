import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvRecord, CsvRecordParser } from "./csv-record-parser.ts";

const options = { numRuns: process.env.PASSAGE_SOAK === "1" ? 20_000 : 300 };

/** Parses `text` fed in the given chunk sizes (cycled), as a stream would deliver it. */
function parseInChunks(text: string, sizes: readonly number[]): CsvRecord[] {
  const parser = new CsvRecordParser();
  const out: CsvRecord[] = [];
  let position = 0;
  for (let index = 0; position < text.length; index++) {
    const size = sizes.length === 0 ? text.length : sizes[index % sizes.length]!;
    parser.push(text.slice(position, position + size), out);
    position += size;
  }
  parser.end(out);
  return out;
}

/** A field as a writer would emit it: quoted when it must be (or at random), quotes doubled. */
const field = fc
  .tuple(
    fc.string({ unit: fc.constantFrom("a", "é", "字", " ", ",", '"', "\n", "\r\n", "x", "1") }),
    fc.boolean(),
  )
  .map(([value, quote]) => ({
    value,
    text: quote || /[",\n\r]/.test(value) || value === "" ? `"${value.replaceAll('"', '""')}"` : value,
  }));
const record = fc.array(field, { minLength: 1, maxLength: 6 });
const document = fc.tuple(
  fc.array(record, { minLength: 1, maxLength: 12 }),
  fc.constantFrom("\n", "\r\n"),
  fc.boolean(),
);

function render([records, newline, finalNewline]: [Array<Array<{ text: string }>>, string, boolean]): string {
  return (
    records.map((fields) => fields.map((one) => one.text).join(",")).join(newline) +
    (finalNewline ? newline : "")
  );
}

describe("CsvRecordParser (property)", () => {
  it("reads what it was written, whatever the chunking", () => {
    fc.assert(
      fc.property(document, fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 5 }), (written, sizes) => {
        const parsed = parseInChunks(render(written), sizes);
        expect(parsed.map((one) => ("fields" in one ? one.fields : one.error))).toEqual(
          written[0].map((fields) => fields.map((one) => one.value)),
        );
      }),
      options,
    );
  });

  it("agrees with csv-parse on well-formed CSV", () => {
    fc.assert(
      fc.property(document, (written) => {
        const text = render(written);
        const reference = parse(text, {
          relax_column_count: true,
          record_delimiter: ["\r\n", "\n"],
        }) as string[][];
        const parsed = parseInChunks(text, []);
        expect(parsed.map((one) => ("fields" in one ? one.fields : one.error))).toEqual(reference);
      }),
      options,
    );
  });

  it("numbers each record by the physical line it starts on", () => {
    fc.assert(
      fc.property(document, fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 4 }), (written, sizes) => {
        const text = render(written);
        const parsed = parseInChunks(text, sizes);
        let line = 1;
        written[0].forEach((fields, index) => {
          expect(parsed[index]!.line).toBe(line);
          line += 1 + fields.reduce((count, one) => count + (one.text.match(/\n/g)?.length ?? 0), 0);
        });
      }),
      options,
    );
  });

  it("never throws on arbitrary text and skips blank lines", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.array(fc.integer({ min: 1, max: 9 })),
        (text, sizes) => {
          for (const one of parseInChunks(text, sizes)) expect(one.line).toBeGreaterThanOrEqual(1);
        },
      ),
      options,
    );
    expect(parseInChunks("\uFEFFa,b\n\n\r\nc,d", [])).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 4, fields: ["c", "d"] },
    ]);
  });

  it("reports a malformed record and resumes on the next line", () => {
    expect(parseInChunks('a,"b"c,d\ne,f\n"never closed\ng,h\n', [3])).toEqual([
      { line: 1, error: "unexpected character after a closing quote in field 2" },
      { line: 2, fields: ["e", "f"] },
      { line: 3, error: "a quoted field is never closed" },
    ]);
  });
});
