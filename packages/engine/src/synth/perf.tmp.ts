import { writeSyntheticPopulation } from "@passage/engine";

const n = Number(process.argv[2] ?? 50000);
const cpu0 = process.cpuUsage();
const t0 = Date.now();
const summary = await writeSyntheticPopulation({
  outDir: "/tmp/synthwork/perfout",
  workers: Number(process.argv[3] ?? 0),
  synth: { persons: n, seed: "perf", asOf: "2025-06-30" },
});
const cpu = process.cpuUsage(cpu0);
const rows = Object.values(summary.records).reduce((a, b) => a + b.rows, 0);
console.log({
  rows,
  wall: (Date.now() - t0) / 1000,
  cpu: (cpu.user + cpu.system) / 1e6,
  cpuRowsPerSecond: Math.round(rows / ((cpu.user + cpu.system) / 1e6)),
});
