import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { FEED_SCHEMAS, type Feed, findRefusedColumn } from "@passage/core";
import { type CsvRecord, CsvRecordParser } from "./csv-record-parser.ts";
import { IngestErrors } from "./ingest-errors.ts";
import type { SourceRow } from "./source-row.ts";

/**
 * Reads an RFC 4180 CSV with a header row, in any column order. The header is checked before any
 * row is handed on: a refused column (SOURCES.md denylist), a duplicate column, or a missing
 * required column refuses the whole file. A row that cannot be parsed (bad quoting, wrong number
 * of fields) becomes a malformed row and reading goes on. Line numbers are physical lines, also
 * when quoted fields span several lines. Yields the rows of each chunk read.
 */
export async function* readCsvRows(input: Readable, source: string, feed: Feed): AsyncGenerator<SourceRow[]> {
  const decoder = new StringDecoder("utf8");
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
  for await (const bytes of input as AsyncIterable<Buffer>) {
    const records: CsvRecord[] = [];
    parser.push(decoder.write(bytes), records);
    const rows = rowsOf(records);
    if (rows.length > 0) yield rows;
  }
  const records: CsvRecord[] = [];
  parser.push(decoder.end(), records);
  parser.end(records);
  const rows = rowsOf(records);
  if (header === undefined) checkedHeaderOrThrow([], source, feed);
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
  const columns = record.map((column) => column.trim());
  const refused = findRefusedColumn(columns);
  if (refused) throw IngestErrors.refusedColumn.create(source, refused.column, refused.category);
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
