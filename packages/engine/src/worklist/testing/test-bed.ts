import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Access, createAccess } from "@passage/access";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { createRowIngestor, type RowIngestor } from "../../ingest/row-ingestor.ts";
import type { LifecycleSources } from "../../lifecycle/derive-person-statuses.ts";
import { createLifecycleService, type LifecycleService } from "../../lifecycle/lifecycle-service.ts";
import { confirmedIdentitySources } from "../../lifecycle/testing/confirmed-identity-sources.ts";

/** A test database, a data directory and the access layer over them, for one test file. */
export interface AccessBed {
  readonly database: TestDatabase;
  readonly dataDir: string;
  readonly access: Access;
  /** Closes what the bed opened, drops the database and removes the data directory. */
  close(): Promise<void>;
}

/** An access bed with a row ingestor and a lifecycle service reading the same database. */
export interface LifecycleBed extends AccessBed {
  readonly ingestor: RowIngestor;
  readonly lifecycle: LifecycleService;
}

/**
 * Creates an access bed; `name` names its data directory (`passage-<name>-XXXXXX`). Call it in
 * `beforeAll` and `close()` in `afterAll`.
 */
export async function createAccessBed(name: string): Promise<AccessBed> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), `passage-${name}-`));
  const access = createAccess({ database, dataDir });
  return {
    database,
    dataDir,
    access,
    async close() {
      try {
        await access.close();
        await database.drop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Creates a lifecycle bed: its ingestor writes rows as `sourceName` (default "test") at once, and
 * its lifecycle service confirms every identity and finds no citizenship claim unless `sources`
 * replaces either.
 */
export async function createLifecycleBed(options: {
  readonly name: string;
  readonly sourceName?: string;
  readonly sources?: Partial<LifecycleSources>;
}): Promise<LifecycleBed> {
  const bed = await createAccessBed(options.name);
  const { database } = bed;
  const ingestor = createRowIngestor({
    pool: database.pool,
    sourceName: options.sourceName ?? "test",
    maxDelayMs: 1,
  });
  const lifecycle = createLifecycleService({
    store: database,
    sources: confirmedIdentitySources(options.sources),
  });
  return {
    ...bed,
    ingestor,
    lifecycle,
    async close() {
      try {
        await ingestor.close();
      } finally {
        await bed.close();
      }
    },
  };
}
