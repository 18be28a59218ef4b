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
