import { type AuditRepository, createAuditRepository, type DatabaseHandle } from "@passage/store";
import { AuditLog } from "./audit-log/audit-log.ts";

export interface AccessOptions {
  /** The store's database handle. */
  readonly database: DatabaseHandle;
  /** The data directory: audit key pair and checkpoint files live in `<dataDir>/audit/`. */
  readonly dataDir: string;
  /** Write a checkpoint once this many entries were appended since the last (default 10,000). */
  readonly checkpointEveryEntries?: number;
}

/** The access layer as the composition root builds it: the audit log (and, below, authorization and accounts). */
export interface Access {
  readonly audit: AuditLog;
  readonly auditRepository: AuditRepository;
  /** Commits pending audit entries and signs a last checkpoint when entries were added. */
  close(): Promise<void>;
}

/** Builds the access layer over an open store. */
export function createAccess(options: AccessOptions): Access {
  const auditRepository = createAuditRepository(options.database);
  const audit = new AuditLog({
    repository: auditRepository,
    dataDir: options.dataDir,
    checkpointEveryEntries: options.checkpointEveryEntries,
  });
  return {
    audit,
    auditRepository,
    close: () => audit.close(),
  };
}
