// Steady-state cost of generating and rendering persons on one thread, without worker start-up
// or file writing: renders a warm-up, then N persons in chunks as a worker does, and reports CPU
// µs per record. Profile the generator with
// `node --cpu-prof --import tsx bench/synth/render-in-process.ts`. On a shared machine compare
// two versions side by side (same load), never one run against an older figure.
// Usage: npx tsx bench/synth/render-in-process.ts [--persons N]
import { createPopulationPlan, resolveSynthOptionsOrThrow } from "@passage/synth";
import { CHUNK_PERSONS, SynthChunkRenderer } from "../../packages/engine/src/synth/synth-chunk.ts";
import { wholeNumberOption } from "../command-line.ts";

const persons = wholeNumberOption("persons", 100_000, 1);
const renderer = new SynthChunkRenderer(
  createPopulationPlan(resolveSynthOptionsOrThrow({ persons, seed: "bench", asOf: "2025-06-30" })),
);
const recordsOf = (chunk: ReturnType<SynthChunkRenderer["render"]>) =>
  Object.values(chunk.counts.rows).reduce((sum, rows) => sum + rows, 0);
for (let from = 0; from < 20_000; from += CHUNK_PERSONS) renderer.render(from, from + CHUNK_PERSONS);
const before = process.cpuUsage();
let records = 0;
for (let from = 0; from < persons; from += CHUNK_PERSONS)
  records += recordsOf(renderer.render(from, Math.min(persons, from + CHUNK_PERSONS)));
const cpu = process.cpuUsage(before);
const microseconds = cpu.user + cpu.system;
console.log(
  `persons=${persons} records=${records} cpu_s=${(microseconds / 1e6).toFixed(2)} ` +
    `cpu_us/record=${(microseconds / records).toFixed(2)}`,
);
