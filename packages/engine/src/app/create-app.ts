import { openStore, type Store } from "@passage/store";
import type { PassageConfig } from "./config.ts";

/**
 * The composition root: every service Passage runs, built from the configuration and closed in
 * reverse order by `shutdown()`. No module-level singletons.
 */
export interface App {
  readonly config: PassageConfig;
  readonly store: Store;
  shutdown(): Promise<void>;
}

export async function createApp(config: PassageConfig): Promise<App> {
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    maxConnections: config.database.maxConnections,
  });
  const closers: Array<() => Promise<void>> = [() => store.close()];
  let shutDown = false;
  return {
    config,
    store,
    async shutdown() {
      if (shutDown) return;
      shutDown = true;
      for (const close of closers.reverse()) await close();
    },
  };
}
