// bench/policy: gates + a priority policy for 1M synthetic persons. CEL is compiled once when the
// policy loads; the loop only binds facts and runs the compiled rules. The persons are split across
// worker threads (default: up to 2, the target machine's cores; 1 = in-process, the old figure).
// `npx tsx bench/policy/run.ts [persons] [threads]` — writes bench/results/policy.json.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { evaluateRange, type RangeFigures } from "./evaluate-range.ts";

const root = path.resolve(import.meta.dirname, "../..");
const persons = Number(process.argv[2] ?? 1_000_000);
// Gates and policies are per person and independent: the population splits across the cores.
const workers = Number(process.argv[3] ?? Math.min(2, os.cpus().length));
const TARGET_SECONDS = 10;
const SEED = 20_250_601;

function inWorker(policyName: string, from: number, to: number, seed: number): Promise<RangeFigures> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./range-worker-entry.mjs", import.meta.url), {
      workerData: { root, policyName, from, to, seed },
    });
    worker.once("message", (figures: RangeFigures) => {
      resolve(figures);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

async function measure(policyName: string) {
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  let parts: RangeFigures[];
  if (workers <= 1) {
    parts = [evaluateRange(root, policyName, 0, persons, SEED)];
  } else {
    const size = Math.ceil(persons / workers);
    parts = await Promise.all(
      Array.from({ length: workers }, (_, index) =>
        inWorker(policyName, index * size, Math.min(persons, (index + 1) * size), SEED + index),
      ),
    );
  }
  const wallSeconds = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const tiers: Record<string, number> = {};
  for (const part of parts)
    for (const [tier, count] of Object.entries(part.tiers)) tiers[tier] = (tiers[tier] ?? 0) + count;
  const gateClear = parts.reduce((sum, part) => sum + part.gateClear, 0);
  return {
    gateClear,
    gated: persons - gateClear,
    firedRules: parts.reduce((sum, part) => sum + part.firedRules, 0),
    tiers,
    // Evaluation time: the slowest slice's timed loop (case generation excluded); with workers,
    // slices run at once, so this is the wall time of the evaluation.
    seconds: Math.max(...parts.map((part) => part.milliseconds)) / 1000,
    wallSecondsIncludingGeneration: wallSeconds,
    processCpuSecondsIncludingGeneration: (cpu.user + cpu.system) / 1e6,
  };
}

const results = [];
for (const name of ["mayorkas-2021", "posture-2025"]) {
  const figures = await measure(name);
  console.error(
    `${name}: ${persons} persons on ${workers} thread(s) (gates for all, policy for ${figures.gateClear} gate-clear) in ${figures.seconds.toFixed(2)} s` +
      ` (${((figures.seconds * 1e6) / persons).toFixed(2)} µs/person); tiers ${JSON.stringify(figures.tiers)}; load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  results.push({
    policy: name,
    ...figures,
    microsecondsPerPerson: (figures.seconds * 1e6) / persons,
  });
}

const report = {
  benchmark: "policy",
  persons,
  workers,
  loadAverage: os.loadavg(),
  targetSeconds: TARGET_SECONDS,
  withinTarget: results.every((result) => result.seconds <= TARGET_SECONDS),
  results,
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown" },
  measuredAt: new Date().toISOString(),
};
mkdirSync(path.join(root, "bench/results"), { recursive: true });
writeFileSync(path.join(root, "bench/results/policy.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(
  JSON.stringify({
    persons,
    seconds: results.map((result) => [result.policy, Number(result.seconds.toFixed(3))]),
  }),
);
