import { type Access, createAccess } from "@passage/access";
import { openStore, type SqlExecutor, type Store } from "@passage/store";
import { createLifecycleService, type LifecycleService } from "../lifecycle/lifecycle-service.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "../lifecycle/lifecycle-sources.ts";
import { createLinkageService, type LinkageService } from "../linkage/linkage-service.ts";
import { createRedressService, type RedressService } from "../redress/redress-service.ts";
import { createTransportService, type TransportService } from "../transport/transport-service.ts";
import { createWorklistService, type WorklistService } from "../worklist/worklist-service.ts";
import { type PassageConfig, prepareDataDirectoryOrThrow } from "./config.ts";
import { lifecycleRulesInForceOf } from "./lifecycle-rules-of-config.ts";

/**
 * The composition root: every service Passage runs, built from the configuration and closed in
 * reverse order by `shutdown()`. No module-level singletons.
 */
export interface App {
  readonly config: PassageConfig;
  readonly store: Store;
  /** Authorization, accounts and the tamper-evident audit log (issue 6). */
  readonly access: Access;
  /** Record linkage: batch link, the incremental handler, review queue, decisions, unlink, explanations, search (issue 3). */
  readonly linkage: LinkageService;
  /** Legal status of persons: queries (bitemporal), the projection, rebuild (issue 4). */
  readonly lifecycle: LifecycleService;
  /** Policy versions, the worklist and overrides (issue 5). */
  readonly worklist: WorklistService;
  /** Removal transport plans (issue 5). */
  readonly transport: TransportService;
  /** Redress requests: filing, review, resolution by correction records (issue 6). */
  readonly redress: RedressService;
  shutdown(): Promise<void>;
}

export async function createApp(config: PassageConfig): Promise<App> {
  prepareDataDirectoryOrThrow(config.dataDir);
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    maxConnections: config.database.maxConnections,
  });
  const closers: Array<() => Promise<void>> = [() => store.close()];
  const access = createAccess({ database: store, dataDir: config.dataDir });
  closers.push(() => access.close());
  let shutDown = false;
  const linkage = createLinkageService({ store });
  const lifecycle = createLifecycleService({
    store,
    sources: DATABASE_LIFECYCLE_SOURCES,
    rulesInForce: lifecycleRulesInForceOf(config),
  });
  // The worklist is ranked, and plans are made, from the stored statuses: read only while they
  // rest on this process's rules and derivation, as a status is.
  const statusesInForceOrThrow = (executor: SqlExecutor) =>
    lifecycle.rulesInForce.rulesForReadingOrThrow(executor);
  return {
    config,
    store,
    access,
    linkage,
    lifecycle,
    worklist: createWorklistService({ store, statusesInForceOrThrow }),
    transport: createTransportService({ store, statusesInForceOrThrow }),
    redress: createRedressService({ store, linkage }),
    async shutdown() {
      if (shutDown) return;
      shutDown = true;
      // Every closer runs even when one fails (the audit log's last checkpoint cannot be written
      // to a lost database, and the store must still release the embedded server); the first
      // failure is thrown once all have run.
      const failures: unknown[] = [];
      for (const close of closers.reverse()) await close().catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw failures[0];
    },
  };
}
