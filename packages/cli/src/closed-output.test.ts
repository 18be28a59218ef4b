import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PASSAGE_BIN } from "./testing/run-passage.ts";

/** Runs `passage ARGS | head -0`: the reader of stdout is gone before the command writes. */
function runWithStdoutClosed(args: readonly string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [PASSAGE_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe("a closed stdout (passage ... | head)", () => {
  it("ends the command quietly with its own status, no EPIPE stack trace", async () => {
    const run = await runWithStdoutClosed(["--help"], { PASSAGE_CLI_SOURCES: "1" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  }, 60_000);

  it("still reports the command's own error on stderr, with its status", async () => {
    const run = await runWithStdoutClosed(["no-such-command"], { PASSAGE_CLI_SOURCES: "1" });
    expect(run.stderr).toMatch(/^error PASSAGE_ERR_CLI_USAGE: /);
    expect(run.stderr).not.toMatch(/EPIPE/);
    expect(run.code).toBe(2);
  }, 60_000);
});
