import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { REPOSITORY_ROOT } from "./passage-server.ts";

const run = promisify(execFile);
const WEB = path.join(REPOSITORY_ROOT, "packages/web");
const BIN = path.join(REPOSITORY_ROOT, "node_modules/.bin");

async function runInWeb(command: string, args: readonly string[]): Promise<void> {
  try {
    await run(path.join(BIN, command), [...args], { cwd: WEB, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(" ")} failed:\n${failure.stdout ?? ""}${failure.stderr ?? failure.message}`,
    );
  }
}

/** Builds the UI into packages/web/dist, so the tests drive the current sources as the server serves them. */
export async function buildWeb(): Promise<void> {
  await runInWeb("vite", ["build", "--logLevel", "warn"]);
}

/**
 * Type-checks the UI, its browser tests and bench/web (the root type check leaves packages/web
 * out: it needs the DOM and JSX settings of its own tsconfig files).
 */
export async function typeCheckWeb(): Promise<void> {
  await runInWeb("tsc", ["-p", "tsconfig.json"]);
  await runInWeb("tsc", ["-p", "tsconfig.node.json"]);
}
