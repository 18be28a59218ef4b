import { defineError, registerErrors } from "@passage/core";

/** Errors raised by ingest: of a whole file or stream (rows with problems are rejects, not errors). */
export const IngestErrors = {
  unknownFormat: defineError(
    "PASSAGE_ERR_INGEST_UNKNOWN_FORMAT",
    "invalid_input",
    "The file extension names no format ingest reads",
    (file: string) =>
      `cannot tell the format of ${file}: expected .csv, .ndjson or .jsonl, optionally followed by .gz`,
  ),
  fileNotFound: defineError(
    "PASSAGE_ERR_INGEST_FILE_NOT_FOUND",
    "not_found",
    "The file to ingest does not exist or is not a regular file",
    (problem: string) => problem,
  ),
  refusedColumn: defineError(
    "PASSAGE_ERR_INGEST_REFUSED_COLUMN",
    "refused",
    "The source carries a column on SOURCES.md's denylist and is refused whole",
    (source: string, column: string, category: string, line?: number) => ({
      message:
        `${source} refused: column "${column}" is on the denylist (${category}` +
        `${line === undefined ? "" : `, line ${line}`}); Passage holds no data about where a person lives ` +
        `or is and no ${category} data (SOURCES.md "Refused columns"); nothing was written`,
      details: { column, category, ...(line === undefined ? {} : { line }) },
    }),
  ),
  duplicateColumn: defineError(
    "PASSAGE_ERR_INGEST_DUPLICATE_COLUMN",
    "invalid_input",
    "The CSV header names one column twice, so its values are ambiguous",
    (source: string, column: string) =>
      `${source}: the header names column "${column}" twice; nothing was written`,
  ),
  emptyColumnNames: defineError(
    "PASSAGE_ERR_INGEST_EMPTY_COLUMN_NAMES",
    "invalid_input",
    "The CSV header has several empty column names, so their values could not be told apart",
    (source: string, positions: readonly number[]) =>
      `${source}: the header has empty column names (at positions ${positions.join(", ")}); name those ` +
      "columns or remove them (trailing commas?); nothing was written",
  ),
  noHeader: defineError(
    "PASSAGE_ERR_INGEST_NO_HEADER",
    "invalid_input",
    "The CSV file is empty or blank: it has no header row",
    (source: string, feed: string, required: readonly string[]) =>
      `${source} is empty: it has no header row (a CSV of the ${feed} feed starts with one naming at least ` +
      `${required.join(", ")}); nothing was written`,
  ),
  notUtf8: defineError(
    "PASSAGE_ERR_INGEST_NOT_UTF8",
    "invalid_input",
    "The file is in another encoding than UTF-8 (UTF-16 or UTF-32), which SOURCES.md requires",
    (source: string, evidence: string) =>
      `${source} is not UTF-8: ${evidence}; sources must be UTF-8 (SOURCES.md), so convert it ` +
      "(for example iconv -f UTF-16 -t UTF-8) and ingest it again; nothing was written",
  ),
  missingColumns: defineError(
    "PASSAGE_ERR_INGEST_MISSING_COLUMNS",
    "invalid_input",
    "The CSV header lacks a column the feed requires, so no row could be accepted",
    (source: string, feed: string, columns: readonly string[]) =>
      `${source}: the header lacks the required ${feed} column${columns.length > 1 ? "s" : ""} ` +
      `${columns.join(", ")}; nothing was written`,
  ),
  rejectsUnwritable: defineError(
    "PASSAGE_ERR_INGEST_REJECTS_UNWRITABLE",
    "invalid_input",
    "The rejects file beside the input cannot be written",
    (rejectsFile: string) =>
      `cannot write the rejects file ${rejectsFile} (CLI.md: rejects are written beside the input); ` +
      "make its directory writable or ingest a copy of the file from a writable directory; nothing was written",
  ),
  unreadable: defineError(
    "PASSAGE_ERR_INGEST_UNREADABLE",
    "invalid_input",
    "The file could not be read or decompressed to its end",
    (source: string, reason: string, committedRows: number) =>
      `${source} could not be read to its end: ${reason}; ${committedRows} rows before the failure are ` +
      "stored and the rest is not (fix the file and ingest it again: stored rows are not duplicated)",
  ),
  databaseLost: defineError(
    "PASSAGE_ERR_INGEST_DATABASE_LOST",
    "unavailable",
    "The database connection was lost during ingest",
    (source: string, reason: string, committedRows: number) =>
      `the database connection was lost while ingesting ${source} (${reason}); every batch committed ` +
      `before that is kept (${committedRows} rows) and none is half-written; run the same command ` +
      "again to complete it: stored rows are not duplicated",
  ),
};
registerErrors("@passage/engine", IngestErrors);

/** PostgreSQL and socket error codes that mean the server or the connection went away. */
const CONNECTION_LOSS_CODES = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08003",
  "08006",
  "08001",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "PASSAGE_ERR_STORE_CONNECTION_FAILED",
]);

/** Whether an error means the database went away (as opposed to a bug or bad data). */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && CONNECTION_LOSS_CODES.has(code)) return true;
  return /Connection terminated|connection error|not queryable|connection.*(closed|ended|lost)|terminating connection|the database system is (shutting down|in recovery)/i.test(
    error.message,
  );
}
