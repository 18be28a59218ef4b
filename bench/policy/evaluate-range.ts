// One slice of the policy benchmark: the persons [from, to) generated from their own seed, gates
// then policy, timed (wall and this thread's CPU). Run in-process or in a worker thread.
import { readFileSync } from "node:fs";
import path from "node:path";
import { admitCase, evaluatePolicy, loadPolicyOrThrow } from "@passage/policy";
import { createRandom, syntheticCase } from "./synthetic-cases.ts";

const CHUNK = 20_000;

export interface RangeFigures {
  gateClear: number;
  firedRules: number;
  tiers: Record<string, number>;
  milliseconds: number;
  cpuMilliseconds: number;
}

/** This thread's CPU time in ms where Node can tell (22+); otherwise the process's (single-threaded runs). */
function threadCpu(): number {
  const usage =
    (process as unknown as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ??
    process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Evaluates persons `from`..`to` under the named example policy. */
export function evaluateRange(
  root: string,
  policyName: string,
  from: number,
  to: number,
  seed: number,
): RangeFigures {
  const file = path.join(root, "packages/policy/policies", `${policyName}.yaml`);
  const policy = loadPolicyOrThrow(readFileSync(file, "utf8"), file);
  const random = createRandom(seed);
  let milliseconds = 0;
  let cpuMilliseconds = 0;
  let gateClear = 0;
  let firedRules = 0;
  const tiers: Record<string, number> = {};
  for (let start = from; start < to; start += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, to - start) }, (_, offset) =>
      syntheticCase(random, start + offset),
    );
    const cpuBefore = threadCpu();
    const began = performance.now();
    for (const { gateInput, caseFacts } of chunk) {
      const admission = admitCase(gateInput, caseFacts);
      if (!admission.actionable) continue;
      gateClear++;
      const evaluation = evaluatePolicy(policy, caseFacts);
      firedRules += evaluation.firedRules.length;
      tiers[evaluation.tier] = (tiers[evaluation.tier] ?? 0) + 1;
    }
    milliseconds += performance.now() - began;
    cpuMilliseconds += threadCpu() - cpuBefore;
  }
  return { gateClear, firedRules, tiers, milliseconds, cpuMilliseconds };
}
