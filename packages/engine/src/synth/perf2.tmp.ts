import { createPopulationPlan, generatePerson, NoiseTally, resolveSynthOptionsOrThrow } from "@passage/synth";
import { renderSynthChunk } from "./synth-chunk.ts";

const n = Number(process.argv[2] ?? 40000);
const plan = createPopulationPlan(
  resolveSynthOptionsOrThrow({ persons: n, seed: "perf", asOf: "2025-06-30" }),
);
for (const mode of process.argv[3]
  ? process.argv[3].split(",")
  : ["generate", "chunk", "generate", "chunk"]) {
  const cpu0 = process.cpuUsage();
  let rows = 0;
  if (mode === "generate") {
    const t = new NoiseTally();
    for (let i = 0; i < n; i++) rows += generatePerson(plan, i, t).rows.length;
  } else {
    for (let i = 0; i < n; i += 500) {
      const c = renderSynthChunk(plan, i, Math.min(n, i + 500));
      rows += Object.values(c.counts.rows).reduce((a, b) => a + b, 0);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const s = (cpu.user + cpu.system) / 1e6;
  console.log(mode, { rows, cpu: s, cpuRowsPerSecond: Math.round(rows / s) });
}
