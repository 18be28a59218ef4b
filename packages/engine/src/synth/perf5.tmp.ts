import { createPopulationPlan, resolveSynthOptionsOrThrow, generatePerson, NoiseTally, NO_NOISE } from "@passage/synth";
const n = 30000;
for (const [label, noise] of [["default", undefined], ["none", NO_NOISE], ["default", undefined], ["none", NO_NOISE], ["default", undefined], ["none", NO_NOISE]] as const) {
  const plan = createPopulationPlan(resolveSynthOptionsOrThrow({ persons: n, seed: "perf", asOf: "2025-06-30", ...(noise ? { noise } : {}) }));
  const t = new NoiseTally(); const c0 = process.cpuUsage(); let rows = 0;
  for (let i = 0; i < n; i++) rows += generatePerson(plan, i, t).rows.length;
  const c = process.cpuUsage(c0); console.log(label, Math.round(rows / ((c.user + c.system) / 1e6)), "rows/s");
}
