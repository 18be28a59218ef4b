import { spawn } from "node:child_process";
import path from "node:path";

/** The committed launcher, as `node_modules/.bin/passage` runs it. */
export const PASSAGE_BIN = path.resolve(import.meta.dirname, "../../bin/passage.js");

export interface PassageRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the `passage` command as a user would (a child process of the committed launcher) and
 * collects its exit status and output. `env` is added to this process's environment.
 */
export function runPassage(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<PassageRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PASSAGE_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
