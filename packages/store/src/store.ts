import { type DatabaseHandle, openDatabase } from "./database.ts";
import { type EmbeddedServer, startEmbeddedServer } from "./embedded/embedded-server.ts";
import { handOverToApplicationRole, secureEmbeddedDatabase } from "./embedded/secure-database.ts";
import { migrateToLatest, pendingMigrations } from "./migrate.ts";

export interface StoreOptions {
  /** The Passage data directory; the embedded server lives in it. */
  readonly dataDir: string;
  /** An external PostgreSQL >= 15; when set, no embedded server is started. */
  readonly databaseUrl?: string | undefined;
  readonly maxConnections?: number;
  /** Apply pending migrations (default true). */
  readonly migrate?: boolean;
}

/** The system of record: a database handle and, in the embedded default, the server behind it. */
export interface Store extends DatabaseHandle {
  readonly url: string;
  readonly embedded: EmbeddedServer | undefined;
}

/**
 * Opens the store: the external database when `databaseUrl` is given, else the embedded server
 * on `dataDir` (started, or attached to if one already runs there). Migrates unless told not to:
 * on the embedded server as the application role the pool connects as, the superuser then keeping
 * the append-only tables (`secure-database.ts`).
 * `close()` closes the pool, then stops the embedded server if this process owns it.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const embedded = options.databaseUrl ? undefined : await startEmbeddedServer({ dataDir: options.dataDir });
  const url = options.databaseUrl ?? embedded!.url;
  let handle: DatabaseHandle | undefined;
  try {
    const migrate = options.migrate !== false;
    handle = await openDatabase(url, { maxConnections: options.maxConnections });
    if (migrate) {
      if (embedded) await migrateEmbedded(embedded, handle);
      else await migrateToLatest(handle.db);
    }
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
  const opened = handle;
  return {
    ...opened,
    url,
    embedded,
    async close() {
      await opened.close();
      await embedded?.stop();
    },
  };
}

/**
 * Migrates the embedded database as the application role (the superuser must never run what that
 * role could have written: a trigger on a table it owns, an index expression), between the
 * superuser's two steps of `secure-database.ts`: handing the role the tables it may own, then
 * taking the append-only ones and their trigger functions back.
 */
async function migrateEmbedded(embedded: EmbeddedServer, application: DatabaseHandle): Promise<void> {
  const admin = await openDatabase(embedded.adminUrl, { maxConnections: 1 });
  try {
    // The role must own the migration tables before it can read which migrations are pending: a
    // directory made before the role existed has the superuser own them (such a directory
    // with a migration pending failed to open, "permission denied for table kysely_migration").
    await handOverToApplicationRole(admin.db, { appendOnlyTablesToo: false });
    if ((await pendingMigrations(application.db)).length > 0) {
      // A migration may change an append-only table, which the role then owns until the last step.
      await handOverToApplicationRole(admin.db, { appendOnlyTablesToo: true });
      await migrateToLatest(application.db);
    }
    await secureEmbeddedDatabase(admin.db);
  } finally {
    await admin.close();
  }
}
