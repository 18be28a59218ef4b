import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvRecord, CsvRecordParser } from "./csv-record-parser.ts";

const options = { numRuns: process.env.PASSAGE_SOAK === "1" ? 20_000 : 300 };

/** Parses `text` fed in the given chunk sizes (cycled), as a stream would deliver it. */
function parseInChunks(text: string, sizes: readonly number[], maxRecordCharacters?: number): CsvRecord[] {
  const parser = new CsvRecordParser({ maxRecordCharacters });
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
          written[0].map((fields) => fields.map((one) => one.value.replaceAll("\r\n", "\n"))),
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
        // A line break inside a field is read as LF, however it was written (RFC 4180's is CRLF).
        expect(parsed.map((one) => ("fields" in one ? one.fields : one.error))).toEqual(
          reference.map((fields) => fields.map((value) => value.replaceAll("\r\n", "\n"))),
        );
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

  it("reads the same records from arbitrary text whatever the chunking and the record limit", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r", "é"), maxLength: 80 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 12 }),
        (text, sizes, limit) => {
          expect(parseInChunks(text, sizes, limit)).toEqual(parseInChunks(text, [], limit));
        },
      ),
      options,
    );
  });

  it("reports a malformed record and restarts on the line after its first line", () => {
    expect(parseInChunks('a,"b"c,d\ne,f\n"never closed\ng,h\n', [3])).toEqual([
      { line: 1, error: "unexpected character after a closing quote in field 2" },
      { line: 2, fields: ["e", "f"] },
      { line: 3, error: "a quoted field opened on line 3 is never closed" },
      { line: 4, fields: ["g", "h"] },
    ]);
  });

  it("reads CRLF inside a quoted field as the line break LF is", () => {
    const lf = parseInChunks('n,m\r\n1,"ANNA\nMARIE"\r\n2,x\r\n', [4]);
    expect(parseInChunks('n,m\r\n1,"ANNA\r\nMARIE"\r\n2,x\r\n', [4])).toEqual(lf);
    expect(lf).toEqual([
      { line: 1, fields: ["n", "m"] },
      { line: 2, fields: ["1", "ANNA\nMARIE"] },
      { line: 4, fields: ["2", "x"] },
    ]);
    // A lone CR is not a line break: it stays, for validation to judge.
    expect(parseInChunks('"a\rb"\n', [])).toEqual([{ line: 1, fields: ["a\rb"] }]);
  });
});

/** `count` rows `Rn,A,B` (n from 1) after a header `id,x,y`, one of them replaced. */
function rowsWith(count: number, replaced: number, replacement: string, newline = "\n"): string {
  const lines = ["id,x,y"];
  for (let row = 1; row <= count; row++) lines.push(row === replaced ? replacement : `R${row},A,B`);
  return lines.join(newline) + newline;
}

/** Every record is the line of its index + 1; all but line `badLine` are good, as `fieldsOf` says. */
function expectEveryLineBut(
  parsed: readonly CsvRecord[],
  badLine: number,
  fieldsOf: (row: number) => string[],
): void {
  parsed.forEach((one, index) => {
    if (index + 1 !== badLine) expect(one).toEqual({ line: index + 1, fields: fieldsOf(index) });
  });
}

describe("CsvRecordParser: a stray quote or an over-long record costs its own row only", () => {
  const chunkings: Array<[string, number[]]> = [
    ["whole", []],
    ["64 KiB chunks", [64 * 1024]],
    ["odd chunks", [7_777, 65_537]],
  ];

  for (const newline of ["\n", "\r\n"]) {
    const name = newline === "\n" ? "LF" : "CRLF";
    for (const [chunking, sizes] of chunkings) {
      it(`rejects a quote that runs on for more than 1 MiB and reads every row after it (${name}, ${chunking})`, () => {
        // 40,000 rows of about 60 characters (2.4 MB): a stray quote on row 6,001 (line 6,002).
        const filler = ",family,given,1981-01-02,F,GBR,,B1/B2,2020-01-01";
        const lines = ["id,a,b,c,d,e,f,g,h"];
        for (let row = 1; row <= 40_000; row++)
          lines.push(`R${row}${row === 6001 ? ',"runaway' : ",x"}${filler}`);
        const parsed = parseInChunks(lines.join(newline) + newline, sizes);
        expect(parsed.filter((one) => "error" in one)).toEqual([
          {
            line: 6002,
            error:
              "the record is longer than 1 MiB (1048576 characters): the quoted field opened on line 6002 " +
              "is not closed within it (a stray quote?)",
          },
        ]);
        expect(parsed).toHaveLength(40_001);
        expectEveryLineBut(parsed, 6002, (row) =>
          row === 0 ? lines[0]!.split(",") : [`R${row}`, "x", ...filler.slice(1).split(",")],
        );
      });

      it(`rejects a 2 MB unquoted line as too long and reads the next lines (${name}, ${chunking})`, () => {
        const text = rowsWith(5, 3, `R3,${"x".repeat(2_000_000)},B`, newline);
        const parsed = parseInChunks(text, sizes);
        expect(parsed).toEqual([
          { line: 1, fields: ["id", "x", "y"] },
          { line: 2, fields: ["R1", "A", "B"] },
          { line: 3, fields: ["R2", "A", "B"] },
          { line: 4, error: "the line is longer than 1 MiB (1048576 characters)" },
          { line: 5, fields: ["R4", "A", "B"] },
          { line: 6, fields: ["R5", "A", "B"] },
        ]);
      });
    }

    it(`rejects a quote never closed before the end and reads every row after it (${name})`, () => {
      const text = rowsWith(12_000, 6001, 'R6001,"runaway,B', newline);
      for (const sizes of [[], [64 * 1024], [1000, 3]]) {
        const parsed = parseInChunks(text, sizes);
        expect(parsed.filter((one) => "error" in one)).toEqual([
          { line: 6002, error: "a quoted field opened on line 6002 is never closed" },
        ]);
        expect(parsed).toHaveLength(12_001);
        expectEveryLineBut(parsed, 6002, (row) => (row === 0 ? ["id", "x", "y"] : [`R${row}`, "A", "B"]));
      }
    });

    it(`rejects a runaway quote in the last row (${name})`, () => {
      for (const final of ["", newline]) {
        expect(parseInChunks(`id,x,y${newline}R1,A,B${newline}R2,"A,B${final}`, [5])).toEqual([
          { line: 1, fields: ["id", "x", "y"] },
          { line: 2, fields: ["R1", "A", "B"] },
          { line: 3, error: "a quoted field opened on line 3 is never closed" },
        ]);
      }
    });

    it(`reads again the lines a bad quoted record spanned, rejecting each that is bad (${name})`, () => {
      // Line 2's quote is closed by line 3's, then text follows: malformed. Restarting on line 3,
      // its own quote is never closed: malformed too. Line 4 is good.
      const text = ["id,x,y", 'R1,"A', '"B,C', "R3,A,B", ""].join(newline);
      expect(parseInChunks(text, [2])).toEqual([
        { line: 1, fields: ["id", "x", "y"] },
        { line: 2, error: "unexpected character after a closing quote in field 2" },
        { line: 3, error: "a quoted field opened on line 3 is never closed" },
        { line: 4, fields: ["R3", "A", "B"] },
      ]);
    });

    it(`applies the limit to quoted records whatever the chunking (${name})`, () => {
      const text = ["a,b", '"1234567890",x', '"12345678901234",x', '"1', '2",x', "c,d", ""].join(newline);
      const expected = [
        { line: 1, fields: ["a", "b"] },
        { line: 2, error: "the record is longer than 12 characters" },
        {
          line: 3,
          error:
            "the record is longer than 12 characters: the quoted field opened on line 3 is not closed within it (a stray quote?)",
        },
        { line: 4, fields: ["1\n2", "x"] },
        { line: 6, fields: ["c", "d"] },
      ];
      for (const sizes of [[], [1], [5, 3]]) expect(parseInChunks(text, sizes, 12)).toEqual(expected);
    });
  }
});
