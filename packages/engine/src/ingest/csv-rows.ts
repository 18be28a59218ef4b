import type { Readable } from "node:stream";
import { FEED_SCHEMAS, type Feed, findRefusedColumn } from "@passage/core";
import { type CsvRecord, CsvRecordParser } from "./csv-record-parser.ts";
import { IngestErrors } from "./ingest-errors.ts";
import { decodeUtf8OrThrow } from "./source-format.ts";
import type { SourceRow } from "./source-row.ts";

/**
 * Reads an RFC 4180 CSV with a header row, in any column order. The header is checked before any
 * row is handed on: a file that is not UTF-8 (a UTF-16 or UTF-32 byte-order mark, NUL bytes in the
 * header), an empty file, a refused column (SOURCES.md denylist), a duplicate column, empty column
 * names, or a missing required column refuses the whole file. A row that cannot be parsed (bad
 * quoting, a record over 1 MiB, wrong number of fields) becomes a malformed row and reading goes
 * on. Line numbers are physical lines, also when quoted fields span several lines. Yields the
 * rows of each chunk read.
 */
export async function* readCsvRows(input: Readable, source: string, feed: Feed): AsyncGenerator<SourceRow[]> {
  const parser = new CsvRecordParser();
  let header: string[] | undefined;
  const rowsOf = (records: readonly CsvRecord[]): SourceRow[] => {
    const rows: SourceRow[] = [];
    for (const record of records) {
      if ("error" in record) {
        if (header === undefined) {
          throw IngestErrors.unreadable.create(
            source,
            `the header line is not valid CSV (${record.error})`,
            0,
          );
        }
        rows.push({ kind: "malformed", line: record.line, reason: `CSV syntax: ${record.error}` });
      } else if (header === undefined) {
        header = checkedHeaderOrThrow(record.fields, source, feed);
      } else {
        rows.push(rowOf(header, record.fields, record.line));
      }
    }
    return rows;
  };
  for await (const text of decodeUtf8OrThrow(input, source)) {
    const records: CsvRecord[] = [];
    parser.push(text, records);
    const rows = rowsOf(records);
    if (rows.length > 0) yield rows;
  }
  const records: CsvRecord[] = [];
  parser.end(records);
  const rows = rowsOf(records);
  if (header === undefined) {
    const required = FEED_SCHEMAS[feed].fields.filter((field) => field.required).map((field) => field.name);
    throw IngestErrors.noHeader.create(source, feed, required);
  }
  if (rows.length > 0) yield rows;
}

function rowOf(header: readonly string[], record: readonly string[], line: number): SourceRow {
  if (record.length !== header.length) {
    return {
      kind: "malformed",
      line,
      reason: `row has ${record.length} fields but the header has ${header.length}`,
    };
  }
  const raw: Record<string, string> = {};
  for (let index = 0; index < header.length; index++) raw[header[index]!] = record[index]!;
  return { kind: "row", line, raw };
}

/** The header's column names (trimmed), or the error that refuses the file. */
function checkedHeaderOrThrow(record: readonly string[], source: string, feed: Feed): string[] {
  if (record.some((column) => column.includes("\0"))) {
    throw IngestErrors.notUtf8.create(
      source,
      "its header row holds NUL characters, as UTF-16 or UTF-32 text read as UTF-8 does",
    );
  }
  const columns = record.map((column) => column.trim());
  const refused = findRefusedColumn(columns);
  if (refused) throw IngestErrors.refusedColumn.create(source, refused.column, refused.category);
  // One empty name is a column like any other; two could not be told apart.
  const empty = columns.flatMap((column, index) => (column === "" ? [index + 1] : []));
  if (empty.length > 1) throw IngestErrors.emptyColumnNames.create(source, empty);
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) throw IngestErrors.duplicateColumn.create(source, column);
    seen.add(column);
  }
  const missing = FEED_SCHEMAS[feed].fields
    .filter((field) => field.required && !seen.has(field.name))
    .map((field) => field.name);
  if (missing.length > 0) throw IngestErrors.missingColumns.create(source, feed, missing);
  return columns;
}
