// Shared by the benchmarks that run Passage on a database of their own.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type App, createApp, loadConfigOrThrow } from "@passage/engine";
import { commandLineOption } from "./command-line.ts";

/** The repository root (where bench/results lives). */
export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export { commandLineOption } from "./command-line.ts";

/**
 * Passage on an embedded PostgreSQL in `--data-dir` (default: a new temporary directory named
 * after `prefix`), never the external database DATABASE_URL may name.
 */
export async function openBenchApp(prefix: string): Promise<{ app: App; dataDir: string }> {
  const dataDir = path.resolve(
    commandLineOption("data-dir") ?? fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`)),
  );
  fs.mkdirSync(dataDir, { recursive: true });
  // Embedded PostgreSQL runs as "postgres" when we are root; it must be able to enter the directory.
  fs.chmodSync(dataDir, 0o755);
  const config = loadConfigOrThrow({
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATABASE_URL: undefined },
    overrides: { dataDir },
  });
  return { app: await createApp(config), dataDir };
}
