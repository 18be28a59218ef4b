import { defineError, registerErrors } from "@passage/core";

/** Errors raised by the store: the database server, connections and migrations. */
export const StoreErrors = {
  embeddedStartFailed: defineError(
    "PASSAGE_ERR_STORE_EMBEDDED_START_FAILED",
    "unavailable",
    "The embedded PostgreSQL server could not be started",
    (reason: string, logFile: string) => ({
      message: `embedded PostgreSQL did not start: ${reason} (its log: ${logFile})`,
      details: { logFile },
    }),
  ),
  embeddedUnreachable: defineError(
    "PASSAGE_ERR_STORE_EMBEDDED_UNREACHABLE",
    "unavailable",
    "The unprivileged user that runs PostgreSQL cannot reach a file it needs",
    (user: string, path: string) =>
      `PostgreSQL refuses to run as root, so it runs as "${user}", which cannot reach ${path}; ` +
      "give that user read and execute access to it or choose another --data-dir",
  ),
  connectionFailed: defineError(
    "PASSAGE_ERR_STORE_CONNECTION_FAILED",
    "unavailable",
    "The database could not be reached",
    (target: string, reason: string) => `cannot connect to PostgreSQL at ${target}: ${reason}`,
  ),
  serverTooOld: defineError(
    "PASSAGE_ERR_STORE_SERVER_TOO_OLD",
    "unavailable",
    "The external PostgreSQL server is older than version 15",
    (version: string) => `PostgreSQL ${version} is too old: Passage needs 15 or newer`,
  ),
  appendOnly: defineError(
    "PASSAGE_ERR_STORE_APPEND_ONLY",
    "refused",
    "A table that is append-only refused an update or delete",
    (table: string) => `${table} is append-only: rows are never updated or deleted`,
  ),
  databaseTampered: defineError(
    "PASSAGE_ERR_STORE_DATABASE_TAMPERED",
    "refused",
    "The embedded database holds something on an append-only table that Passage did not put there",
    (what: string) =>
      `refusing to start: ${what}; the database was changed outside Passage (see the store README, "Roles")`,
  ),
};
registerErrors("@passage/store", StoreErrors);
