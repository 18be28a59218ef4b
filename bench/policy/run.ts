// bench/policy: gates + a priority policy for 1M synthetic persons, in-process. CEL is compiled
// once when the policy loads; the loop only binds facts and runs the compiled rules.
// `npx tsx bench/policy/run.ts [persons]` — writes bench/results/policy.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { admitCase, evaluatePolicy, loadPolicyOrThrow, type Policy } from "@passage/policy";
import { createRandom, syntheticCase } from "./synthetic-cases.ts";

const root = path.resolve(import.meta.dirname, "../..");
const persons = Number(process.argv[2] ?? 1_000_000);
const CHUNK = 20_000;
const TARGET_SECONDS = 10;

function load(name: string): Policy {
  const file = path.join(root, "packages/policy/policies", `${name}.yaml`);
  return loadPolicyOrThrow(readFileSync(file, "utf8"), file);
}

function measure(policy: Policy) {
  const random = createRandom(20_250_601);
  let evaluationMs = 0;
  let gateClear = 0;
  let firedRules = 0;
  const tiers: Record<string, number> = {};
  for (let start = 0; start < persons; start += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, persons - start) }, (_, offset) =>
      syntheticCase(random, start + offset),
    );
    const began = performance.now();
    for (const { gateInput, caseFacts } of chunk) {
      const admission = admitCase(gateInput, caseFacts);
      if (!admission.actionable) continue;
      gateClear++;
      const evaluation = evaluatePolicy(policy, caseFacts);
      firedRules += evaluation.firedRules.length;
      tiers[evaluation.tier] = (tiers[evaluation.tier] ?? 0) + 1;
    }
    evaluationMs += performance.now() - began;
  }
  return { gateClear, gated: persons - gateClear, firedRules, tiers, seconds: evaluationMs / 1000 };
}

const results = ["mayorkas-2021", "posture-2025"].map((name) => {
  const policy = load(name);
  const figures = measure(policy);
  console.error(
    `${name}: ${persons} persons (gates for all, policy for ${figures.gateClear} gate-clear) in ${figures.seconds.toFixed(2)} s` +
      ` (${((figures.seconds * 1e6) / persons).toFixed(2)} µs/person); tiers ${JSON.stringify(figures.tiers)}`,
  );
  return {
    policy: name,
    rules: policy.definition.rules.length,
    ...figures,
    microsecondsPerPerson: (figures.seconds * 1e6) / persons,
  };
});

const report = {
  benchmark: "policy",
  persons,
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
