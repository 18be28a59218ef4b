import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { REPOSITORY_ROOT } from "./passage-server.ts";

const run = promisify(execFile);
const WEB = path.join(REPOSITORY_ROOT, "packages/web");

/**
 * Type-checks the UI and its browser tests, then builds it into packages/web/dist, so the tests
 * always drive the current sources through the server exactly as it serves them.
 */
export async function buildWeb(): Promise<void> {
  const tsc = path.join(REPOSITORY_ROOT, "node_modules/.bin/tsc");
  const vite = path.join(REPOSITORY_ROOT, "node_modules/.bin/vite");
  for (const [command, args] of [
    [tsc, ["-p", "tsconfig.json"]],
    [tsc, ["-p", "tsconfig.node.json"]],
    [vite, ["build", "--logLevel", "warn"]],
  ] as const) {
    try {
      await run(command, [...args], { cwd: WEB, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `${path.basename(command)} ${args.join(" ")} failed:\n${failure.stdout ?? ""}${failure.stderr ?? failure.message}`,
      );
    }
  }
}
