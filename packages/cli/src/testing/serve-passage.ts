import { type ChildProcess, spawn } from "node:child_process";
import { PASSAGE_BIN } from "./run-passage.ts";

/** A `passage serve --json` child that has announced its URL. */
export interface ServingPassage {
  readonly child: ChildProcess;
  /** The URL from the JSON document on stdout. */
  readonly url: string;
  /** Resolves with the exit status when the child exits. */
  readonly exited: Promise<number | null>;
  /** Everything the child wrote to stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
}

/**
 * Starts `passage serve --port 0 --json` as a user would (a child process of the committed
 * launcher) in `cwd` against `databaseUrl`, and waits until it announces its URL; rejects with its
 * stderr when it exits before.
 */
export async function servePassage(options: { cwd: string; databaseUrl: string }): Promise<ServingPassage> {
  const child = spawn(process.execPath, [PASSAGE_BIN, "serve", "--port", "0", "--json"], {
    cwd: options.cwd,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, PASSAGE_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        resolve(JSON.parse(stdout).url);
      } catch {
        // the document is not complete yet
      }
    });
    void exited.then((code) => reject(new Error(`passage serve exited ${code}: ${stderr}`)));
  });
  return { child, url, exited, stdout: () => stdout, stderr: () => stderr };
}
