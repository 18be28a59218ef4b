import { type DatabaseHandle, openDatabase } from "./database.ts";
import { type EmbeddedServer, startEmbeddedServer } from "./embedded/embedded-server.ts";
import { secureEmbeddedDatabase } from "./embedded/secure-database.ts";
import { migrateToLatest } from "./migrate.ts";

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
 * on the embedded server as its superuser, which then hands the tables to the application role
 * the pool connects as, keeping the audit log's (`secureEmbeddedDatabase`).
 * `close()` closes the pool, then stops the embedded server if this process owns it.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const embedded = options.databaseUrl ? undefined : await startEmbeddedServer({ dataDir: options.dataDir });
  const url = options.databaseUrl ?? embedded!.url;
  let handle: DatabaseHandle;
  try {
    const migrate = options.migrate !== false;
    if (migrate && embedded) await migrateEmbedded(embedded);
    handle = await openDatabase(url, { maxConnections: options.maxConnections });
    if (migrate && !embedded) await migrateToLatest(handle.db);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    ...handle,
    url,
    embedded,
    async close() {
      await handle.close();
      await embedded?.stop();
    },
  };
}

async function migrateEmbedded(embedded: EmbeddedServer): Promise<void> {
  const admin = await openDatabase(embedded.adminUrl, { maxConnections: 1 });
  try {
    await migrateToLatest(admin.db);
    await secureEmbeddedDatabase(admin.db);
  } finally {
    await admin.close();
  }
}
