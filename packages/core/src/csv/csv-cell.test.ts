import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell } from "./csv-cell.ts";

describe("csvCell", () => {
  it("prefixes text a spreadsheet would read as a formula with a single quote", () => {
    for (const [value, cell] of [
      ['=HYPERLINK("http://x.example","see")', `"'=HYPERLINK(""http://x.example"",""see"")"`],
      ["+1+2", "'+1+2"],
      ["-2+3", "'-2+3"],
      ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
      ["\t=1", "'\t=1"],
      ["\r=1", `"'\r=1"`],
      ["=1,2", `"'=1,2"`],
    ] as const) {
      expect(csvCell(value), JSON.stringify(value)).toBe(cell);
    }
  });

  it("prefixes a formula after leading whitespace, line breaks or invisible characters, which spreadsheets trim", () => {
    for (const [value, cell] of [
      [' =HYPERLINK("http://x.example","see")', `"' =HYPERLINK(""http://x.example"",""see"")"`],
      ["   @SUM(A1:A2)", "'   @SUM(A1:A2)"],
      ["\n=1+1", `"'\n=1+1"`],
      ["\r\n=1+1", `"'\r\n=1+1"`],
      [" \t+1+2", "' \t+1+2"],
      ["\u00a0-2+3", "'\u00a0-2+3"],
      ["\u3000=1+1", "'\u3000=1+1"],
      ["\ufeff=1+1", "'\ufeff=1+1"],
      ["\u200b=1+1", "'\u200b=1+1"],
      ["\v\f=1+1", "'\v\f=1+1"],
      ["\u0000=1+1", "'\u0000=1+1"],
      // A number with anything but spaces before it is text a spreadsheet may not read as that number.
      ["\n-1.5", `"'\n-1.5"`],
      ["\u00a0-1.5", "'\u00a0-1.5"],
    ] as const) {
      expect(csvCell(value), JSON.stringify(value)).toBe(cell);
    }
  });

  it("writes a plain number with spaces around it as it is: a spreadsheet reads that number", () => {
    for (const value of [" -1.5", "-1.5 ", "  +2  ", " 3e-4"]) {
      expect(csvCell(value), JSON.stringify(value)).toBe(value);
    }
  });

  it("never writes a cell a spreadsheet could read as a formula, and keeps the text (property)", () => {
    /** What a spreadsheet trims before it looks for a formula: whitespace, controls, invisible format characters. */
    const trimmedByASpreadsheet = (text: string) => text.replace(/^[\s\p{Cc}\p{Cf}]+/u, "");
    const decoded = (cell: string) => (cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell);
    const leading = fc.constantFrom(
      " ",
      "\n",
      "\r",
      "\t",
      "\v",
      "\f",
      "\u0000",
      "\u00a0",
      "\u200b",
      "\u2028",
      "\u3000",
      "\ufeff",
    );
    const text = fc.oneof(
      fc.string({ unit: "binary" }),
      fc
        .tuple(
          fc.array(leading, { maxLength: 4 }),
          fc.constantFrom("=", "+", "-", "@", "1", "a"),
          fc.string(),
        )
        .map(([before, first, rest]) => `${before.join("")}${first}${rest}`),
    );
    fc.assert(
      fc.property(text, (value) => {
        const cell = decoded(csvCell(value));
        expect([value, `'${value}`]).toContain(cell);
        const plainNumber = /^ *[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)? *$/.test(value);
        if (plainNumber) expect(cell).toBe(value);
        else {
          expect(
            /^[\t\r=+\-@]/.test(cell) || /^[=+\-@]/.test(trimmedByASpreadsheet(cell)),
            JSON.stringify(value),
          ).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("writes numbers and plain text as they are, quoting only what RFC 4180 needs", () => {
    for (const [value, cell] of [
      [-1.5, "-1.5"],
      ["-1.5", "-1.5"],
      ["+2", "+2"],
      [0, "0"],
      ["witness in a prosecution", "witness in a prosecution"],
      ["a, b", `"a, b"`],
      ['say "no"', `"say ""no"""`],
      ["P-91D005ZVMBM0", "P-91D005ZVMBM0"],
      [null, ""],
      [undefined, ""],
      [true, "true"],
    ] as const) {
      expect(csvCell(value), String(value)).toBe(cell);
    }
  });
});
