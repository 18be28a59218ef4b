// bench/policy: gates + a priority policy for 1M synthetic persons. CEL is compiled once when the
// policy loads; the loop only binds facts and runs the compiled rules. The persons are split across
// worker threads (default: up to 2, the target machine's cores; 1 = in-process), started once for
// both policies. Reports wall time and, because the machine is shared, each thread's CPU time.
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

/** Worker threads started once for the whole run: both policies meet warm, already-compiled code. */
class RangePool {
  private readonly workers: Worker[];

  constructor(size: number) {
    this.workers = Array.from(
      { length: size },
      () => new Worker(new URL("./range-worker-entry.mjs", import.meta.url)),
    );
  }

  /** Evaluates one slice per worker, all at once. */
  evaluate(policyName: string, slices: readonly [from: number, to: number][]): Promise<RangeFigures[]> {
    return Promise.all(
      slices.map(
        ([from, to], index) =>
          new Promise<RangeFigures>((resolve, reject) => {
            const worker = this.workers[index]!;
            const onError = (error: Error) => reject(error);
            worker.once("error", onError);
            worker.once("message", (figures: RangeFigures) => {
              worker.off("error", onError);
              resolve(figures);
            });
            worker.postMessage({ root, policyName, from, to, seed: SEED + index });
          }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

const pool = workers > 1 ? new RangePool(workers) : null;

/** Milliseconds of CPU time as seconds to the millisecond (the clock gives nanoseconds). */
function toSeconds(milliseconds: number): number {
  return Math.round(milliseconds) / 1000;
}

async function measure(policyName: string) {
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  let parts: RangeFigures[];
  if (pool === null) {
    parts = [evaluateRange(root, policyName, 0, persons, SEED)];
  } else {
    const size = Math.ceil(persons / workers);
    const slices = Array.from(
      { length: workers },
      (_, index) => [index * size, Math.min(persons, (index + 1) * size)] as [number, number],
    );
    parts = await pool.evaluate(policyName, slices);
  }
  const wallSeconds = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const tiers: Record<string, number> = {};
  for (const part of parts)
    for (const [tier, count] of Object.entries(part.tiers)) tiers[tier] = (tiers[tier] ?? 0) + count;
  const gateClear = parts.reduce((sum, part) => sum + part.gateClear, 0);
  const evaluationCpuSeconds = toSeconds(parts.reduce((sum, part) => sum + part.cpuMilliseconds, 0));
  return {
    gateClear,
    gated: persons - gateClear,
    firedRules: parts.reduce((sum, part) => sum + part.firedRules, 0),
    tiers,
    // Evaluation time: the slowest slice's timed loop (case generation excluded); with workers,
    // slices run at once, so this is the wall time of the evaluation.
    seconds: Math.max(...parts.map((part) => part.milliseconds)) / 1000,
    // CPU time of the evaluation summed over the threads (wall time on a loaded machine says
    // more about the other tenants than about the code).
    evaluationCpuSeconds,
    evaluationCpuMicrosecondsPerPerson: (evaluationCpuSeconds * 1e6) / persons,
    // What the wall time would be with a core per thread and nothing else running: the
    // slowest slice's CPU time.
    secondsIfEachThreadHadACore: toSeconds(Math.max(...parts.map((part) => part.cpuMilliseconds))),
    generationCpuSeconds: toSeconds(parts.reduce((sum, part) => sum + part.generationCpuMilliseconds, 0)),
    wallSecondsIncludingGeneration: wallSeconds,
    processCpuSecondsIncludingGeneration: (cpu.user + cpu.system) / 1e6,
  };
}

const results = [];
for (const name of ["mayorkas-2021", "posture-2025"]) {
  const figures = await measure(name);
  console.error(
    `${name}: ${persons} persons on ${workers} thread(s) (gates for all, policy for ${figures.gateClear} gate-clear) in ${figures.seconds.toFixed(2)} s wall` +
      ` (${((figures.seconds * 1e6) / persons).toFixed(2)} µs/person), ${figures.evaluationCpuMicrosecondsPerPerson.toFixed(2)} µs CPU/person,` +
      ` ${figures.secondsIfEachThreadHadACore.toFixed(2)} s with a core per thread; tiers ${JSON.stringify(figures.tiers)}; load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  results.push({
    policy: name,
    ...figures,
    microsecondsPerPerson: (figures.seconds * 1e6) / persons,
  });
}

await pool?.close();

const report = {
  benchmark: "policy",
  persons,
  workers,
  loadAverage: os.loadavg(),
  targetSeconds: TARGET_SECONDS,
  withinTarget: results.every((result) => result.seconds <= TARGET_SECONDS),
  withinTargetWithACorePerThread: results.every(
    (result) => result.secondsIfEachThreadHadACore <= TARGET_SECONDS,
  ),
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
