import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalFieldsJson,
  contentHashOf,
  copyJson,
  copyText,
  StagedRows,
  stageRecord,
} from "./record-staging.ts";

const options = { numRuns: process.env.PASSAGE_SOAK === "1" ? 20_000 : 300 };

/** PostgreSQL's reading of a COPY text value (the inverse of copyText for what it emits). */
function readCopyText(text: string): string {
  return text.replace(/\\(.)/g, (_, escaped: string) => ({ n: "\n", r: "\r", t: "\t" })[escaped] ?? escaped);
}

const fields = fc.dictionary(
  fc.string({ unit: "binary", minLength: 1, maxLength: 8 }),
  fc.oneof(fc.string({ unit: "binary" }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  { maxKeys: 8 },
);

describe("record staging (property)", () => {
  it("serialises fields canonically: sorted keys, same bytes as JSON.stringify, order-independent", () => {
    fc.assert(
      fc.property(fields, (value) => {
        const names = Object.keys(value).sort();
        const sorted = Object.fromEntries(names.map((name) => [name, value[name]]));
        expect(canonicalFieldsJson(value)).toBe(JSON.stringify(sorted));
        expect(canonicalFieldsJson(value, names)).toBe(JSON.stringify(sorted));
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(contentHashOf(canonicalFieldsJson(reversed))).toEqual(
          contentHashOf(canonicalFieldsJson(value)),
        );
      }),
      options,
    );
  });

  it("escapes COPY text so that PostgreSQL reads back the original, on one line", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const escaped = copyText(text);
        expect(escaped).not.toMatch(/[\n\r\t]/);
        expect(readCopyText(escaped)).toBe(text);
        const json = JSON.stringify(text);
        expect(readCopyText(copyJson(json))).toBe(json);
      }),
      options,
    );
  });

  it("encodes one COPY line per record with nine columns, or with other trailing columns", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: "binary" }), fields), { maxLength: 5 }), (rows) => {
        const staged = rows.map(([key, value], index) =>
          stageRecord({
            recordKey: key,
            keyValue: key,
            fields: value,
            raw: { key },
            warnings: [],
            sourceRow: index,
            receivedAt: "2024-01-01T00:00:00.000Z",
          }),
        );
        const stagedRows = StagedRows.of(staged);
        const lines = stagedRows.copyData().toString("utf8").split("\n").slice(0, -1);
        expect(lines).toHaveLength(rows.length);
        for (const [index, line] of lines.entries()) {
          expect(line.split("\t")).toHaveLength(9);
          expect(line.split("\t")[8]).toBe(String(index));
        }
        // The form copied straight into source_record: the same columns, the tail for the ordinal.
        const direct = stagedRows.copyDataWithTail("visa\tb\u00e9tch\tfile\t1").toString("utf8").split("\n");
        expect(direct.at(-1)).toBe("");
        expect(direct.slice(0, -1)).toEqual(
          lines.map((line) => `${line.slice(0, line.lastIndexOf("\t"))}\tvisa\tb\u00e9tch\tfile\t1`),
        );
      }),
      options,
    );
  });
});
