import { createPopulationPlan, resolveSynthOptionsOrThrow, generatePerson, NoiseTally, PHASES } from "@passage/synth";
const n = 30000;
for (let r = 0; r < 3; r++) {
  const plan = createPopulationPlan(resolveSynthOptionsOrThrow({ persons: n, seed: "perf" + r, asOf: "2025-06-30" }));
  for (const k of Object.keys(PHASES)) (PHASES as any)[k] = 0;
  const t = new NoiseTally(); for (let i = 0; i < n; i++) generatePerson(plan, i, t);
  console.log(Object.fromEntries(Object.entries(PHASES).map(([k, v]) => [k, Math.round((v / n) * 1000) / 1000 + "ms"])));
}
