// Lifecycle rebuild alone (issue 4: 1M persons <= 5 min): times `app.lifecycle.rebuild()` on a
// populated data directory and reports the wall time, this process's CPU time, the embedded
// PostgreSQL's CPU time (its processes share the same two cores), the load average, and a digest
// of the rebuilt projection, so that two versions of the code can be shown to write the same rows.
//
// Usage: npx tsx bench/lifecycle/rebuild.ts --data-dir DIR [--runs N] [--batch N] [--no-digest]
// --batch N rebuilds with N persons per batch instead of the service's default.
// Make DIR with `npx tsx bench/lifecycle/pipeline.ts --data-dir DIR --persons 50000` (or run.ts).
// Writes bench/results/lifecycle-rebuild.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createLifecycleService, DATABASE_LIFECYCLE_SOURCES, hasRecords } from "@passage/engine";
import { executeSql } from "@passage/store";
import { commandLineOption, openBenchApp, REPOSITORY_ROOT } from "../bench-app.ts";
import { CLOCK_TICKS_PER_SECOND, readProcessStat } from "../process-cpu.ts";

const runs = Number(commandLineOption("runs") ?? "1");
const withDigest = !process.argv.includes("--no-digest");
const batch = commandLineOption("batch");
const { app, dataDir } = await openBenchApp("passage-bench-rebuild");
const lifecycle =
  batch === undefined
    ? app.lifecycle
    : createLifecycleService({
        store: app.store,
        sources: DATABASE_LIFECYCLE_SOURCES,
        personsPerBatch: Number(batch),
      });
const results: Record<string, unknown>[] = [];
try {
  if (!(await hasRecords(app))) throw new Error(`${dataDir} holds no records: populate it first`);
  const postmaster = postmasterPid(dataDir);
  for (let run = 0; run < runs; run++) {
    const loadBefore = os.loadavg();
    const postgresBefore = postgresProcesses(postmaster);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const rebuilt = await lifecycle.rebuild();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const postgresAfter = postgresProcesses(postmaster);
    const postgresSeconds = postgresCpuSeconds(postgresAfter) - postgresCpuSeconds(postgresBefore);
    const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const result = {
      personsPerBatch: batch === undefined ? "default" : Number(batch),
      persons: rebuilt.persons,
      seconds: round(seconds, 2),
      personsPerSecond: Math.round(rebuilt.persons / seconds),
      nodeCpuSeconds: round(nodeCpuSeconds, 2),
      nodeCpuMicrosecondsPerPerson: Math.round((nodeCpuSeconds * 1e6) / rebuilt.persons),
      postgresCpuSeconds: round(postgresSeconds, 2),
      postgresCpuMicrosecondsPerPerson: Math.round((postgresSeconds * 1e6) / rebuilt.persons),
      postgresCpuByProcess: postgresCpuByProcess(postgresBefore, postgresAfter),
      loadAverageBefore: loadBefore.map((value) => round(value, 2)),
      loadAverageAfter: os.loadavg().map((value) => round(value, 2)),
      scaledTo1MSeconds: Math.round((seconds * 1_000_000) / Math.max(1, rebuilt.persons)),
      ...(withDigest ? { projectionDigest: await projectionDigest() } : {}),
    };
    console.error(JSON.stringify(result));
    results.push(result);
  }
} finally {
  await app.shutdown();
}
const report = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model }, dataDir, runs: results };
console.log(JSON.stringify(report, null, 2));
fs.mkdirSync(path.join(REPOSITORY_ROOT, "bench/results"), { recursive: true });
fs.writeFileSync(
  path.join(REPOSITORY_ROOT, "bench/results/lifecycle-rebuild.json"),
  `${JSON.stringify(report, null, 2)}\n`,
);

/** md5 over the md5 of every status row (every stored column but `derived_at`), in person order. */
async function projectionDigest(): Promise<string> {
  const [row] = await executeSql<{ digest: string; rows: number }>(
    app.store.db,
    `SELECT md5(string_agg(md5(concat_ws('|', person_id, as_of, primary_state, state_detail, overlays::text,
              blockers::text, gates_holding::text, final_order_executable, actionable, next_change_on,
              status::text, gates::text, input_digest)), '' ORDER BY person_id)) AS digest,
            count(*)::int AS rows
     FROM person_status`,
  );
  return `${row!.rows}:${row!.digest}`;
}

function postmasterPid(directory: string): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(directory, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return undefined;
  }
}

interface ProcessCpu {
  readonly title: string;
  readonly seconds: number;
}

/**
 * User and system CPU of the postmaster and of each of its children (backends, checkpointer,
 * WAL writer...), from /proc; children that exited are in the postmaster's own total.
 */
function postgresProcesses(postmaster: number | undefined): Map<number, ProcessCpu> {
  const processes = new Map<number, ProcessCpu>();
  if (postmaster === undefined) return processes;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcessStat(Number(entry));
    if (stat === undefined || (stat.pid !== postmaster && stat.parent !== postmaster)) continue;
    let title: string;
    try {
      title = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    } catch {
      continue;
    }
    processes.set(stat.pid, {
      title: stat.pid === postmaster ? "postmaster (and exited children)" : title,
      seconds: (stat.utime + stat.stime + stat.cutime + stat.cstime) / CLOCK_TICKS_PER_SECOND,
    });
  }
  return processes;
}

function postgresCpuSeconds(processes: Map<number, ProcessCpu>): number {
  let total = 0;
  for (const process of processes.values()) total += process.seconds;
  return processes.size === 0 ? Number.NaN : total;
}

/** The CPU each PostgreSQL process used between two readings, largest first. */
function postgresCpuByProcess(before: Map<number, ProcessCpu>, after: Map<number, ProcessCpu>) {
  return [...after]
    .map(([pid, process]) => ({
      process: process.title.replace(/^postgres: /, ""),
      seconds: round(process.seconds - (before.get(pid)?.seconds ?? 0), 2),
    }))
    .filter((entry) => entry.seconds >= 0.05)
    .sort((left, right) => right.seconds - left.seconds);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
