import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PASSAGE_BIN } from "./run-passage.ts";

const ROOT = path.resolve(import.meta.dirname, "../../../..");
const RECORDER = path.join(import.meta.dirname, "record-modules.mjs");

/** What one run of `passage` loaded. */
export interface LoadedModules {
  readonly code: number | null;
  readonly stderr: string;
  /** How it ran: from the bundle of its sources, or from the sources through tsx. */
  readonly mode: "bundle" | "sources";
  /** Our source files it loaded (from the repository root), also those inside the bundle's chunks. */
  readonly sources: readonly string[];
  /** The node_modules packages it loaded. */
  readonly packages: readonly string[];
}

/**
 * Runs `passage ARGS` recording every module it resolves, and maps the bundle's chunks back to
 * the sources in them (the bundle's meta.json), so that a test can state what a command loads
 * without measuring time. `sources` runs it from the TypeScript sources (PASSAGE_CLI_SOURCES=1).
 */
export async function modulesLoadedBy(
  args: readonly string[],
  options: { sources: boolean },
): Promise<LoadedModules> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-loaded-modules-"));
  const record = path.join(directory, "modules.txt");
  fs.writeFileSync(record, "");
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", RECORDER, PASSAGE_BIN, ...args], {
        cwd: directory,
        env: {
          ...process.env,
          RECORD_MODULES_FILE: record,
          PASSAGE_CLI_SOURCES: options.sources ? "1" : "0",
          DATABASE_URL: undefined,
          PASSAGE_DATA_DIR: path.join(directory, "data"),
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.once("error", reject);
      child.once("close", (exit) => resolve({ code: exit, stderr }));
    });
    const sources = new Set<string>();
    const packages = new Set<string>();
    let mode: LoadedModules["mode"] = "sources";
    for (const url of new Set(fs.readFileSync(record, "utf8").split("\n"))) {
      if (!url.startsWith("file:")) continue;
      const file = path.relative(ROOT, fileURLToPath(url.split("?")[0]!));
      if (file.startsWith("node_modules/.cache/passage-cli/")) {
        mode = "bundle";
        for (const input of chunkInputs(file)) classify(input, sources, packages);
      } else classify(file, sources, packages);
    }
    return { code, stderr, mode, sources: [...sources].sort(), packages: [...packages].sort() };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

function chunkInputs(chunk: string): string[] {
  if (!chunk.endsWith(".js")) return [];
  const build = chunk.split("/").slice(0, 4).join("/");
  const meta = JSON.parse(fs.readFileSync(path.join(ROOT, build, "meta.json"), "utf8")) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  return Object.keys(meta.outputs[chunk]?.inputs ?? {});
}

function classify(file: string, sources: Set<string>, packages: Set<string>): void {
  if (file.startsWith("node_modules/")) {
    const parts = file.split("/");
    packages.add(parts.slice(1, parts[1]!.startsWith("@") ? 3 : 2).join("/"));
  } else if (!file.startsWith("..")) sources.add(file);
}
