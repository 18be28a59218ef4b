// One slice of the policy benchmark: the persons [from, to) generated from their own seed, gates
// then policy, timed (wall and this thread's CPU, generation apart). Run in-process or in a worker.
import { readFileSync } from "node:fs";
import path from "node:path";
import { admitCase, evaluatePolicy, loadPolicyOrThrow } from "@passage/policy";
import { createRandom, syntheticCase } from "./synthetic-cases.ts";
import { threadCpuMilliseconds } from "./thread-cpu.ts";

// Small chunks: the cases of one chunk die young instead of being promoted, and each young
// collection during the timed loop copies only the chunk still alive (with 20,000 a chunk the old
// generation filled and major collections competed with the other thread for the cores; at
// 2,000, some 6 MB of generated cases were copied by every scavenge, more than the evaluation's
// own garbage cost).
const CHUNK = 250;

export interface RangeFigures {
  gateClear: number;
  firedRules: number;
  tiers: Record<string, number>;
  /** Wall time of the timed evaluation (case generation excluded). */
  milliseconds: number;
  /** This thread's CPU time in the timed evaluation. */
  cpuMilliseconds: number;
  /** This thread's CPU time generating the cases (not part of the target). */
  generationCpuMilliseconds: number;
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
  let generationCpuMilliseconds = 0;
  let gateClear = 0;
  let firedRules = 0;
  const tiers: Record<string, number> = {};
  for (let start = from; start < to; start += CHUNK) {
    const generationBefore = threadCpuMilliseconds();
    const chunk = Array.from({ length: Math.min(CHUNK, to - start) }, (_, offset) =>
      syntheticCase(random, start + offset),
    );
    const cpuBefore = threadCpuMilliseconds();
    generationCpuMilliseconds += cpuBefore - generationBefore;
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
    cpuMilliseconds += threadCpuMilliseconds() - cpuBefore;
  }
  return { gateClear, firedRules, tiers, milliseconds, cpuMilliseconds, generationCpuMilliseconds };
}
