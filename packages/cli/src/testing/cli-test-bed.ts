import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll } from "vitest";
import { type PassageRun, runPassage } from "./run-passage.ts";

/** A test database and a working directory for `passage` runs against it. */
export interface CliTestBed {
  readonly database: TestDatabase;
  readonly directory: string;
  /** Runs `passage ARGS` in the directory against the database. */
  run(args: readonly string[]): Promise<PassageRun>;
  /** The decoded audit entries about a resource type (and one resource), oldest first. */
  auditEntries(resourceType: string, resourceId?: string): Promise<Record<string, unknown>[]>;
}

/**
 * Test support: a fresh database and directory made before the file's tests (then `seed` run) and
 * removed after them. Call at the top of a test file.
 */
export function useCliTestBed(name: string, seed?: (database: TestDatabase) => Promise<void>): CliTestBed {
  let database: TestDatabase | undefined;
  let directory: string | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), `passage-cli-${name}-`));
    await seed?.(database);
  });
  afterAll(async () => {
    await database?.drop();
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });
  const bed: CliTestBed = {
    get database() {
      if (!database) throw new Error("the CLI test bed is made in beforeAll");
      return database;
    },
    get directory() {
      if (!directory) throw new Error("the CLI test bed is made in beforeAll");
      return directory;
    },
    run: (args) => runPassage(args, { cwd: bed.directory, env: { DATABASE_URL: bed.database.url } }),
    async auditEntries(resourceType, resourceId) {
      const rows = await bed.database.pool.query<{ content: string }>(
        `SELECT content FROM audit_entry
         WHERE resource_type = $1 AND ($2::text IS NULL OR resource_id = $2) ORDER BY sequence`,
        [resourceType, resourceId ?? null],
      );
      return rows.rows.map((row) => JSON.parse(row.content));
    },
  };
  return bed;
}
