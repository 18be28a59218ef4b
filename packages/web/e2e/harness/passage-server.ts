import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The repository root, from packages/web/e2e/harness. */
export const REPOSITORY_ROOT = path.resolve(import.meta.dirname, "../../../..");
const PASSAGE_BIN = path.join(REPOSITORY_ROOT, "node_modules/.bin/passage");

export interface RunningPassage {
  readonly url: string;
  readonly dataDir: string;
  /** Runs `passage --data-dir DIR ARGS` against the same database; resolves with stdout. */
  cli(args: readonly string[], input?: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  log: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`passage serve exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`passage serve did not answer /api/v1/health within ${timeoutMs} ms:\n${log()}`);
}

/**
 * Starts the real `passage serve` on a new data directory (embedded PostgreSQL) and a free
 * loopback port, as an operator would, and waits until it answers.
 */
export async function startPassage(): Promise<RunningPassage> {
  const external = process.env.PASSAGE_WEB_E2E_URL;
  if (external) return attachToRunningPassage(external, process.env.PASSAGE_WEB_E2E_DATA_DIR);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "passage-web-e2e-"));
  // Embedded PostgreSQL runs as "postgres" when we are root; it must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    PASSAGE_DATA_DIR: dataDir,
    NO_COLOR: "1",
    // Every browser test signs in from 127.0.0.1: on a fast machine the run makes more than the
    // default 20 password sign-ins a minute. The limit itself is tested in the server's auth tests.
    PASSAGE_LOGIN_ATTEMPTS_PER_MINUTE: "1000",
  };
  delete environment.DATABASE_URL;
  const child = spawn(
    PASSAGE_BIN,
    ["--data-dir", dataDir, "serve", "--port", String(port), "--host", "127.0.0.1"],
    {
      cwd: REPOSITORY_ROOT,
      env: environment,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, () => output, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    dataDir,
    async cli(args, input) {
      const promise = run(PASSAGE_BIN, ["--data-dir", dataDir, ...args], {
        cwd: REPOSITORY_ROOT,
        env: environment,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (input !== undefined) {
        promise.child.stdin?.end(input);
      }
      try {
        return (await promise).stdout;
      } catch (error) {
        const failure = error as { stderr?: string; message: string };
        throw new Error(`passage ${args.join(" ")} failed: ${failure.stderr ?? failure.message}`);
      }
    },
    stop,
  };
}

/**
 * For a developer iterating on the UI: drive an already running server (its URL and data
 * directory from PASSAGE_WEB_E2E_URL and PASSAGE_WEB_E2E_DATA_DIR) instead of starting one.
 */
function attachToRunningPassage(url: string, dataDir: string | undefined): RunningPassage {
  if (!dataDir)
    throw new Error("PASSAGE_WEB_E2E_URL needs PASSAGE_WEB_E2E_DATA_DIR (the server's data directory)");
  const environment: NodeJS.ProcessEnv = { ...process.env, PASSAGE_DATA_DIR: dataDir };
  return {
    url,
    dataDir,
    async cli(args) {
      const { stdout } = await run(PASSAGE_BIN, ["--data-dir", dataDir, ...args], {
        cwd: REPOSITORY_ROOT,
        env: environment,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    },
    async stop() {},
  };
}
