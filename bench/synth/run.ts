// Synthetic population benchmark (issue 2): writes a population with `writeSyntheticPopulation`
// (the code behind `passage synth`) to a temporary directory and reports records/s, persons/s
// and peak RSS. Target on a 2-core machine: >= 200,000 records/s.
// Usage: npx tsx bench/synth/run.ts [--persons N] [--workers W] [--gzip] [--keep]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeSyntheticPopulation } from "@passage/engine";
import { wholeNumberOption } from "../command-line.ts";
import { machineBusySeconds, machineLoad } from "../process-cpu.ts";
import { sampleThreadCpu } from "./thread-cpu.ts";

const TARGET_RECORDS_PER_SECOND = 200_000;

const persons = wholeNumberOption("persons", 1_000_000);
const workers = wholeNumberOption("workers", os.availableParallelism());
const gzip = process.argv.includes("--gzip");
const keep = process.argv.includes("--keep");
const here = path.dirname(fileURLToPath(import.meta.url));
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-bench-synth-"));

console.error(
  `writing ${persons} persons to ${directory} with ${workers} worker thread(s)${gzip ? ", gzip" : ""}`,
);
const loadBefore = machineLoad();
const cpuBefore = process.cpuUsage();
const busyBefore = machineBusySeconds();
const threadCpu = sampleThreadCpu();
const started = performance.now();
const summary = await writeSyntheticPopulation({
  outDir: directory,
  gzip,
  workers,
  synth: { persons, seed: "bench", asOf: "2025-06-30" },
  onProgress: (done, total) => {
    if (done % 100_000 < 500 || done === total) console.error(`  ${done}/${total} persons`);
  },
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const threads = threadCpu.stop();
const busyAfter = machineBusySeconds();
const coreSeconds = seconds * os.availableParallelism();
// What other processes took from the cores meanwhile: the wall-clock rate says little when this is high.
const otherWorkShare =
  busyBefore === undefined || busyAfter === undefined
    ? null
    : Number(Math.max(0, (busyAfter - busyBefore - cpuSeconds) / coreSeconds).toFixed(2));
const records = Object.values(summary.records).reduce((sum, feed) => sum + feed.rows, 0);
const bytes = fs
  .readdirSync(directory)
  .reduce((sum, file) => sum + fs.statSync(path.join(directory, file)).size, 0);
const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
const recordsPerSecond = Math.round(records / seconds);

const result = {
  benchmark: "synth",
  date: new Date().toISOString(),
  machine: {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim(),
    node: process.version,
    platform: process.platform,
  },
  persons,
  records,
  workers,
  gzip,
  outputMiB: Math.round(bytes / 1024 ** 2),
  seconds: Number(seconds.toFixed(2)),
  recordsPerSecond,
  personsPerSecond: Math.round(persons / seconds),
  cpu: {
    seconds: Number(cpuSeconds.toFixed(2)),
    microsecondsPerRecord: Number(((cpuSeconds * 1e6) / records).toFixed(2)),
    /** Share of the machine's cores this run kept busy (1 = every core all the time). */
    shareOfCores: Number((cpuSeconds / coreSeconds).toFixed(2)),
    /** CPU seconds per thread, busiest first: the generating workers, the writing main thread, V8's helpers (JIT, GC), file writes. */
    threadSeconds:
      threads?.map((thread) => (thread.main ? `main ${thread.seconds}` : thread.seconds)) ?? null,
  },
  otherWorkShareOfCores: otherWorkShare,
  machineLoadPerCore: { before: loadBefore, after: machineLoad() },
  peakRssMiB,
  targets: { recordsPerSecond: TARGET_RECORDS_PER_SECOND },
  meetsTarget: recordsPerSecond >= TARGET_RECORDS_PER_SECOND,
};

console.log(
  `records=${records} persons=${persons} seconds=${result.seconds} records/s=${recordsPerSecond} ` +
    `persons/s=${result.personsPerSecond} cpu_us/record=${result.cpu.microsecondsPerRecord} peak_rss_mib=${peakRssMiB} ` +
    `load/core=${loadBefore}->${result.machineLoadPerCore.after} share_of_cores=${result.cpu.shareOfCores} ` +
    `other_work_share=${otherWorkShare ?? "n/a"}`,
);
const resultsDirectory = path.resolve(here, "../results");
fs.mkdirSync(resultsDirectory, { recursive: true });
fs.writeFileSync(path.join(resultsDirectory, "synth.json"), `${JSON.stringify(result, null, 2)}\n`);
if (keep) console.error(`kept ${directory}`);
else fs.rmSync(directory, { recursive: true, force: true });
