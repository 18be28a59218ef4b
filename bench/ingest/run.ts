// Ingest benchmark (issue 2): generates a valid multi-feed data set of N rows (default 5,000,000)
// in a temporary directory, ingests it end to end with validation into a fresh embedded database,
// and reports rows/s and the peak RSS of the ingesting process. Targets on a 2-core machine:
// >= 50,000 rows/s, RSS < 1 GiB. Usage: npx tsx bench/ingest/run.ts [--rows N] [--keep]
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "@passage/store";
import { wholeNumberOption } from "../command-line.ts";
import { machineLoad, postgresCpuSeconds } from "../process-cpu.ts";
import { generateFeedFiles } from "./generate-feed-files.ts";

const TARGET_ROWS_PER_SECOND = 50_000;
const TARGET_RSS_BYTES = 1024 ** 3;

const rows = wholeNumberOption("rows", 5_000_000, 1);
const keep = process.argv.includes("--keep");
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-bench-ingest-"));
fs.chmodSync(directory, 0o755);

console.error(`generating ${rows} rows in ${directory}`);
const started = Date.now();
const files = await generateFeedFiles(directory, rows);
const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
console.error(
  `generated ${(bytes / 1024 ** 2).toFixed(0)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

const store = await openStore({ dataDir: path.join(directory, "data") });
try {
  console.error("ingesting (one process, files in turn)");
  const clusterDir = path.join(directory, "data", "postgres");
  const postgresCpuBefore = postgresCpuSeconds(clusterDir);
  const loadBefore = machineLoad();
  const child = spawn(
    process.execPath,
    [
      // Extra V8 flags for experiments (e.g. "--max-semi-space-size=64"); none by default.
      ...(process.env.PASSAGE_BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
      "--import",
      "tsx",
      path.join(here, "ingest-worker.ts"),
      ...files.map((file) => `${file.feed}=${file.file}`),
    ],
    { cwd: root, env: { ...process.env, DATABASE_URL: store.url }, stdio: ["ignore", "pipe", "inherit"] },
  );
  // Also sample the child's high-water mark from /proc as a cross-check of its own maxRSS.
  let sampledPeakKiB = 0;
  const sampler = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      sampledPeakKiB = Math.max(sampledPeakKiB, peak);
    } catch {
      // Not Linux, or the child has exited.
    }
  }, 200);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`the ingest process failed (exit ${code})`);
  const result = JSON.parse(output.trim().split("\n").at(-1)!) as {
    seconds: number;
    cpuSeconds: number;
    maxRssKiB: number;
    summaries: Array<{ feed: string; read: number; new: number; rejected: number; seconds: number }>;
  };
  const postgresCpuAfter = postgresCpuSeconds(clusterDir);
  const postgresCpu =
    postgresCpuBefore === undefined || postgresCpuAfter === undefined
      ? undefined
      : postgresCpuAfter - postgresCpuBefore;
  const read = result.summaries.reduce((sum, summary) => sum + summary.read, 0);
  const rejected = result.summaries.reduce((sum, summary) => sum + summary.rejected, 0);
  const rowsPerSecond = Math.round(read / result.seconds);
  const peakRssBytes = Math.max(result.maxRssKiB, sampledPeakKiB) * 1024;
  const report = {
    benchmark: "ingest",
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
      platform: process.platform,
    },
    rows: read,
    rejected,
    inputMiB: Math.round(bytes / 1024 ** 2),
    seconds: Number(result.seconds.toFixed(2)),
    rowsPerSecond,
    // CPU per row of the ingest process and of PostgreSQL: steadier than wall time on a busy machine.
    cpu: {
      ingestProcessSeconds: Number(result.cpuSeconds.toFixed(2)),
      postgresSeconds: postgresCpu === undefined ? null : Number(postgresCpu.toFixed(2)),
      ingestProcessMicrosecondsPerRow: Number(((result.cpuSeconds / read) * 1e6).toFixed(1)),
      postgresMicrosecondsPerRow:
        postgresCpu === undefined ? null : Number(((postgresCpu / read) * 1e6).toFixed(1)),
    },
    machineLoadPerCore: { before: loadBefore, after: machineLoad() },
    peakRssMiB: Math.round(peakRssBytes / 1024 ** 2),
    targets: { rowsPerSecond: TARGET_ROWS_PER_SECOND, peakRssMiB: TARGET_RSS_BYTES / 1024 ** 2 },
    // A figure over rejected rows measures rejection, not ingest: the generated rows must all be valid.
    meetsTargets:
      rejected === 0 && rowsPerSecond >= TARGET_ROWS_PER_SECOND && peakRssBytes < TARGET_RSS_BYTES,
    feeds: result.summaries.map((summary) => ({
      feed: summary.feed,
      rows: summary.read,
      seconds: Number(summary.seconds.toFixed(2)),
      rowsPerSecond: Math.round(summary.read / summary.seconds),
    })),
    note: "measured on a shared development machine unless stated otherwise; the database server runs on the same machine",
  };
  const resultsDirectory = path.join(root, "bench", "results");
  fs.mkdirSync(resultsDirectory, { recursive: true });
  fs.writeFileSync(path.join(resultsDirectory, "ingest.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `ingest: ${read} rows in ${report.seconds} s = ${rowsPerSecond} rows/s (target >= ${TARGET_ROWS_PER_SECOND})`,
  );
  console.log(
    `CPU per row: ingest process ${report.cpu.ingestProcessMicrosecondsPerRow} µs, PostgreSQL ${report.cpu.postgresMicrosecondsPerRow ?? "?"} µs (load per core ${report.machineLoadPerCore.before} -> ${report.machineLoadPerCore.after})`,
  );
  console.log(`peak RSS of the ingest process: ${report.peakRssMiB} MiB (target < 1024 MiB)`);
  if (rejected > 0) {
    console.log(
      `error: ${rejected} generated rows were rejected (see the rejects files): bench/ingest/generate-feed-files.ts no longer follows the feed contract, and these figures are not an ingest of valid rows`,
    );
    process.exitCode = 1;
  }
} finally {
  await store.close();
  if (!keep) fs.rmSync(directory, { recursive: true, force: true });
  else console.error(`kept ${directory}`);
}
