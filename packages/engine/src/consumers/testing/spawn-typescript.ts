import { type ChildProcess, spawn } from "node:child_process";

/**
 * Starts a TypeScript file in a child Node process through tsx's loader (as the `passage`
 * launcher does), for tests that kill processes. Its stderr is passed through; stdout lines are
 * handed to `onLine`.
 */
export function spawnTypeScript(
  file: string,
  args: readonly string[],
  options: { onLine?: (line: string) => void; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", file, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...options.env },
  });
  let pending = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) options.onLine?.(line);
  });
  return child;
}

/** Resolves with the exit code (or the signal's name) once the child has exited. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
}
