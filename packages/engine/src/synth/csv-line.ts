import { COMMA, LINE_FEED, type Utf8Buffer } from "./utf8-buffer.ts";

const NEEDS_QUOTING = /[",\r\n]/;

/** One CSV field (RFC 4180): quoted, with quotes doubled, only when it must be. */
export function csvField(value: string): string {
  return NEEDS_QUOTING.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function optionalField(value: string | undefined): string {
  return value === undefined || value.length === 0 ? "" : csvField(value);
}

const COLUMN_NAME = /^[a-z][a-z0-9_]*$/;

/** Writes one row of a feed as a CSV line, line feed included, into a buffer of file bytes. */
export type CsvRowWriter = (row: Readonly<Record<string, string | undefined>>, out: Utf8Buffer) => void;

/**
 * Compiles a CSV row writer for fixed columns. The generator writes millions of rows a run and
 * this is its hottest path: the compiled function reads each column as a named property (one
 * shape per feed) and writes each field's bytes straight into the chunk's buffer, quoting only
 * a field that needs it; no line string is built. Column names are checked to be plain
 * identifiers before they are compiled in.
 */
export function compileCsvRowWriter(columns: readonly string[]): CsvRowWriter {
  checkColumnNamesOrThrow(columns);
  const fields = columns.map((column) => `out.csvField(row.${column} ?? "");`).join(` out.byte(${COMMA}); `);
  // The Function constructor compiles trusted, validated column names into the hot-path writer.
  return new Function(`return (row, out) => { ${fields} out.byte(${LINE_FEED}); };`)() as CsvRowWriter;
}

function checkColumnNamesOrThrow(columns: readonly string[]): void {
  for (const column of columns) {
    if (!COLUMN_NAME.test(column)) throw new Error(`column "${column}" is not a plain field name`);
  }
}

/** One CSV line of `row` in the order of `columns` (uncompiled; for occasional rows). */
export function csvLine(
  columns: readonly string[],
  row: Readonly<Record<string, string | undefined>>,
): string {
  return `${columns.map((column) => optionalField(row[column])).join(",")}\n`;
}
