import path from "node:path";
import {
  type AuditRepository,
  createAccessRepository,
  createAuditRepository,
  type DatabaseHandle,
} from "@passage/store";
import { AccountService } from "./accounts/account-service.ts";
import { AuditLog } from "./audit-log/audit-log.ts";
import { AuditedAccess, type RequestScope } from "./audited-access.ts";
import { AccessService } from "./authorization/access-service.ts";
import { type Actor, LOCAL_OPERATOR } from "./authorization/actor.ts";
import { loadPolicySetOrThrow } from "./authorization/policy-set.ts";

export interface AccessOptions {
  /** The store's database handle. */
  readonly database: DatabaseHandle;
  /** The data directory: audit key pair and checkpoint files live in `<dataDir>/audit/`. */
  readonly dataDir: string;
  /** Write a checkpoint once this many entries were appended since the last (default 10,000). */
  readonly checkpointEveryEntries?: number;
  /** Load the Cedar schema and policies from here instead of the ones Passage ships. */
  readonly policyDirectory?: string;
}

/** The access layer as the composition root builds it (issue 6). */
export interface Access {
  /** Cedar decisions and list filters, unaudited: use `forRequest` to guard data. */
  readonly authorization: AccessService;
  readonly accounts: AccountService;
  readonly audit: AuditLog;
  readonly auditRepository: AuditRepository;
  /** The audited access layer for one request, job or command. */
  forRequest(scope: RequestScope): AuditedAccess;
  /** Who a command acts as: the local operator, or the user named by `--as` (CLI.md "Running"). */
  commandLineActor(as?: string): Promise<Actor>;
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
  // Checkpoints every minute while entries arrive (the timer never keeps a process alive), and
  // every `checkpointEveryEntries` entries; `close()` signs a last one.
  audit.startCheckpointing();
  const authorization = new AccessService(
    loadPolicySetOrThrow(options.policyDirectory, {
      validationCache: path.join(options.dataDir, "access", "validated-policies"),
    }),
  );
  const accounts = new AccountService({ repository: createAccessRepository(options.database.db), audit });
  return {
    authorization,
    accounts,
    audit,
    auditRepository,
    forRequest: (scope) => new AuditedAccess(authorization, audit, scope),
    commandLineActor: async (as) => (as === undefined ? LOCAL_OPERATOR : accounts.actorOf(as)),
    close: () => audit.close(),
  };
}
