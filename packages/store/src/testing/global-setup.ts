import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../database.ts";
import { startEmbeddedServer } from "../embedded/embedded-server.ts";
import { migrateToLatest } from "../migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    passageAdminUrl: string;
    passageTemplateDatabase: string;
  }
}

/**
 * Starts one PostgreSQL for the whole integration run — the embedded server in a temporary
 * directory, or the server named by PASSAGE_TEST_DATABASE_URL — and builds a migrated template
 * database from which each test file clones its own database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.PASSAGE_TEST_DATABASE_URL;
  const dataDir = external ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "passage-test-pg-"));
  if (dataDir) fs.chmodSync(dataDir, 0o755);
  const server = dataDir ? await startEmbeddedServer({ dataDir }) : undefined;
  const adminUrl = external ?? server!.adminUrl;
  const template = `passage_template_${process.pid}`;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  const handle = await openDatabase(templateUrl.toString(), { maxConnections: 1 });
  await migrateToLatest(handle.db);
  await handle.close();

  project.provide("passageAdminUrl", adminUrl);
  project.provide("passageTemplateDatabase", template);

  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${template}`).catch(() => undefined);
    await cleanup.end();
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
