const NEEDS_QUOTING = /[",\r\n]/;

/** One CSV field (RFC 4180): quoted, with quotes doubled, only when it must be. */
export function csvField(value: string): string {
  return NEEDS_QUOTING.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function optionalField(value: string | undefined): string {
  return value === undefined || value.length === 0 ? "" : csvField(value);
}

const COLUMN_NAME = /^[a-z][a-z0-9_]*$/;

/** Writes one row of a feed as a CSV line, without its line break (callers join lines with "\n"). */
export type CsvLineWriter = (row: Readonly<Record<string, string | undefined>>) => string;

/**
 * Compiles a CSV line writer for fixed columns. The generator writes millions of rows a run and
 * this is its hottest path: the compiled function reads each column as a named property (one
 * shape per feed) and joins one array literal into a flat string, measured faster than a loop
 * over column names, string concatenation, template literals or csv-stringify. Column names are checked to be
 * plain identifiers before they are compiled in.
 */
export function compileCsvLineWriter(columns: readonly string[]): CsvLineWriter {
  checkColumnNamesOrThrow(columns);
  const values = columns.map((column) => `field(row.${column})`).join(", ");
  // The Function constructor compiles trusted, validated column names into the hot-path writer.
  const compile = new Function("field", `return (row) => [${values}].join(",");`) as (
    field: typeof optionalField,
  ) => CsvLineWriter;
  return compile(optionalField);
}

/**
 * Compiles a writer that joins the fields as they are, without quoting: the same line as
 * `compileCsvLineWriter` whenever no field holds a comma, a quote or a line break, which
 * `isPlainCsv` checks on the written bytes afterwards (generated fields practically never do).
 */
export function compilePlainCsvLineWriter(columns: readonly string[]): CsvLineWriter {
  checkColumnNamesOrThrow(columns);
  const values = columns.map((column) => `row.${column}`).join(", ");
  // Array.prototype.join writes undefined as "", as the quoting writer does.
  return new Function(`return (row) => [${values}].join(",");`)() as CsvLineWriter;
}

const COMMA = 44;
const QUOTE = 34;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;

/**
 * Whether CSV bytes of `lines` lines, each with `columns` fields joined by commas and ended by a
 * line feed, hold exactly the separators that structure implies and no quote or carriage return:
 * then no field held a comma, quote or line break, and quoting would have changed nothing.
 */
export function isPlainCsv(bytes: Uint8Array, lines: number, columns: number): boolean {
  let commas = 0;
  let lineFeeds = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (byte <= COMMA) {
      if (byte === COMMA) commas++;
      else if (byte === LINE_FEED) lineFeeds++;
      else if (byte === QUOTE || byte === CARRIAGE_RETURN) return false;
    }
  }
  return lineFeeds === lines && commas === lines * (columns - 1);
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
