import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database-schema.ts";
import { StoreErrors } from "./errors.ts";

/** PostgreSQL type OIDs whose default JavaScript conversion is wrong for Passage. */
const DATE_OID = 1082; // `date`: keep YYYY-MM-DD text; a JS Date would shift it by the time zone
const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

/** Per-pool type parsers (no global mutation of the `pg` module). */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === DATE_OID) return (text: string) => text;
    if (oid === TIMESTAMPTZ_OID) return (text: string) => new Date(text).toISOString();
    // bigint identities stay strings (they may exceed 2^53); counts are cast to int in SQL.
    if (oid === INT8_OID) return (text: string) => text;
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size; the default suits a 2-core machine. */
  readonly maxConnections?: number;
  readonly applicationName?: string;
  /**
   * Longest wait (ms) for a new connection to be ready for queries; the URL's `connect_timeout`
   * (seconds, as libpq reads it) overrides it. Default 15 s.
   */
  readonly connectTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/**
 * How long a new connection to `url` may take: its `connect_timeout` parameter (seconds; 0 or
 * less: no limit, as in libpq), else `fallbackMs`.
 */
export function connectTimeoutOf(url: string, fallbackMs: number): number {
  let parameter: string | null = null;
  try {
    parameter = new URL(url).searchParams.get("connect_timeout");
  } catch {
    return fallbackMs;
  }
  if (parameter === null || parameter.trim() === "" || !Number.isFinite(Number(parameter))) return fallbackMs;
  const seconds = Number(parameter);
  return seconds <= 0 ? 0 : Math.max(2, seconds) * 1000;
}

/** Where `url` points, as host:port, for messages. */
function targetOf(url: string): string {
  try {
    const parsed = new URL(url);
    const socket = parsed.searchParams.get("host");
    return `${socket ?? (parsed.hostname || "localhost")}:${parsed.port || "5432"}`;
  } catch {
    return "(unparseable database URL)";
  }
}

/** Opens a pooled Kysely handle on `url`, checking the server is reachable and at least PostgreSQL 15. */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const connectTimeoutMs = connectTimeoutOf(url, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  // Each new connection gives up after the timeout (a server that accepts connections but never
  // answers would otherwise hang the process for good). Set on the client, not the pool: the
  // pool's own option would also fail queries waiting for a busy pool's free connection.
  class TimedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({
        ...(typeof config === "string" ? { connectionString: config } : config),
        connectionTimeoutMillis: connectTimeoutMs,
      });
    }
  }
  const pool = new pg.Pool({
    Client: TimedClient,
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? "passage",
    types: typeParsers,
  });
  // An idle client's error (e.g. the server stopped) must not crash the process.
  pool.on("error", () => undefined);
  try {
    const result = await pool.query<{ server_version_num: string; server_version: string }>(
      "SELECT current_setting('server_version_num') AS server_version_num, current_setting('server_version') AS server_version",
    );
    const row = result.rows[0]!;
    if (Number(row.server_version_num) < 150000) throw StoreErrors.serverTooOld.create(row.server_version);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (
      error instanceof Error &&
      "code" in error &&
      String((error as { code: unknown }).code).startsWith("PASSAGE_")
    ) {
      throw error;
    }
    const message = (error as Error).message;
    const reason = /timeout|terminated due to connection timeout/i.test(message)
      ? `no answer from ${targetOf(url)} within ${connectTimeoutMs / 1000} s (connect_timeout in the URL sets the limit)`
      : message;
    throw StoreErrors.connectionFailed.create(redactUrl(url), reason);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    async close() {
      await db.destroy();
    },
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable database URL)";
  }
}
