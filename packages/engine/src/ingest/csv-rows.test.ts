import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readCsvRows } from "./csv-rows.ts";
import type { SourceRow } from "./source-row.ts";

const HEADER =
  "visa_id,family_name,given_names,date_of_birth,sex,nationality,visa_class,issue_date,expiry_date";
const row = (id: string, familyName = "JONES") =>
  `${id},${familyName},ANNA,1981-01-02,F,GBR,B1/B2,2020-01-01,2030-01-01`;

/** A byte stream delivering `content` in chunks of the given sizes. */
function streamOf(content: string | Buffer, sizes: readonly number[] = []): Readable {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const chunks: Buffer[] = [];
  for (let position = 0, index = 0; position < bytes.length; index++) {
    const size = sizes.length === 0 ? bytes.length : sizes[index % sizes.length]!;
    chunks.push(bytes.subarray(position, position + size));
    position += size;
  }
  return Readable.from(chunks);
}

async function rowsOf(content: string | Buffer, sizes: readonly number[] = []): Promise<SourceRow[]> {
  const all: SourceRow[] = [];
  for await (const chunk of readCsvRows(streamOf(content, sizes), "in.csv", "visa")) all.push(...chunk);
  return all;
}

async function refusalOf(
  content: string | Buffer,
  sizes: readonly number[] = [],
): Promise<{ code: string; message: string }> {
  return rowsOf(content, sizes).then(
    () => {
      throw new Error("expected the file to be refused");
    },
    (error: { code: string; message: string }) => error,
  );
}

describe("readCsvRows", () => {
  it("reads a CRLF line break inside a quoted field as the LF one, not as a control character", async () => {
    for (const newline of ["\n", "\r\n"]) {
      const text = [HEADER, row("V1", '"ANNA\r\nMARIE"'), row("V2", '"ANNA\nMARIE"'), ""].join(newline);
      expect(await rowsOf(text, [7])).toEqual([
        { kind: "row", line: 2, raw: expect.objectContaining({ visa_id: "V1", family_name: "ANNA\nMARIE" }) },
        { kind: "row", line: 4, raw: expect.objectContaining({ visa_id: "V2", family_name: "ANNA\nMARIE" }) },
      ]);
    }
  });

  it("rejects a row with a stray quote and reads every row after it, with their lines", async () => {
    for (const newline of ["\n", "\r\n"]) {
      const lines = [HEADER, row("V1"), row("V2", '"RUNAWAY'), row("V3"), row("V4"), ""];
      expect(await rowsOf(lines.join(newline), [64 * 1024])).toEqual([
        { kind: "row", line: 2, raw: expect.objectContaining({ visa_id: "V1" }) },
        { kind: "malformed", line: 3, reason: "CSV syntax: a quoted field opened on line 3 is never closed" },
        { kind: "row", line: 4, raw: expect.objectContaining({ visa_id: "V3" }) },
        { kind: "row", line: 5, raw: expect.objectContaining({ visa_id: "V4" }) },
      ]);
    }
  });

  it("refuses a UTF-16 or UTF-32 file as not UTF-8, with or without a byte-order mark", async () => {
    const text = `${HEADER}\n${row("V1")}\n`;
    const cases: Array<[Buffer, string]> = [
      [
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
        "UTF-16LE byte-order mark FF FE",
      ],
      [
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]),
        "UTF-16BE byte-order mark FE FF",
      ],
      [Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x76, 0, 0, 0]), "UTF-32LE byte-order mark FF FE 00 00"],
      [Buffer.from([0x00, 0x00, 0xfe, 0xff, 0, 0, 0, 0x76]), "UTF-32BE byte-order mark 00 00 FE FF"],
      [Buffer.from([0xff, 0xfe]), "UTF-16LE byte-order mark FF FE"],
      [Buffer.from(text, "utf16le"), "its header row holds NUL characters"],
    ];
    for (const [bytes, evidence] of cases) {
      for (const sizes of [[], [1], [3]]) {
        const error = await refusalOf(bytes, sizes);
        expect(error).toMatchObject({ code: "PASSAGE_ERR_INGEST_NOT_UTF8" });
        expect(error.message).toMatch(/^in\.csv is not UTF-8: .*sources must be UTF-8 \(SOURCES\.md\)/);
        expect(error.message).toContain(evidence);
      }
    }
    // A UTF-8 byte-order mark is fine.
    expect(await rowsOf(`\uFEFF${text}`, [1])).toHaveLength(1);
  });

  it("says an empty file has no header row", async () => {
    for (const content of ["", "\n\r\n\n", "\uFEFF"]) {
      const error = await refusalOf(content);
      expect(error).toMatchObject({ code: "PASSAGE_ERR_INGEST_NO_HEADER" });
      expect(error.message).toMatch(
        /^in\.csv is empty: it has no header row \(a CSV of the visa feed starts with one naming at least visa_id, /,
      );
      expect(error.message).not.toContain("lacks");
    }
  });

  it("names the positions of empty column names in the header", async () => {
    const error = await refusalOf(`${HEADER},,\n${row("V1")},,\n`);
    expect(error).toMatchObject({
      code: "PASSAGE_ERR_INGEST_EMPTY_COLUMN_NAMES",
      message: expect.stringContaining("in.csv: the header has empty column names (at positions 10, 11)"),
    });
    expect(error.message).not.toContain("twice");
    expect((await refusalOf(`a, ,${HEADER},\n`)).message).toContain("(at positions 2, 12)");
    // One empty name is a column like any other (a trailing comma on every line).
    expect(await rowsOf(`${HEADER},\n${row("V1")},\n`)).toEqual([
      { kind: "row", line: 2, raw: expect.objectContaining({ visa_id: "V1", "": "" }) },
    ]);
  });
});
