import { describe, expect, it } from "vitest";
import { csvRows } from "./csv-rows.ts";

describe("csvRows", () => {
  it("reads quoted fields, doubled quotes, line breaks in quotes, CRLF, and leaves empty cells out", () => {
    const text = 'a,b,c\r\n1,"x, ""y""",\r\n2,"line\nbreak",z\n';
    expect(csvRows(text)).toEqual([
      { a: "1", b: 'x, "y"' },
      { a: "2", b: "line\nbreak", c: "z" },
    ]);
  });

  it("refuses a row whose field count differs from the header, and an unterminated quote", () => {
    expect(() => csvRows("a,b\n1,2,3\n")).toThrow(/3 fields, header has 2/);
    expect(() => csvRows('a\n"open\n')).toThrow(/inside a quoted field/);
  });
});
