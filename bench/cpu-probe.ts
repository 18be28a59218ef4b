// How fast this machine's CPU is right now: a fixed amount of work (300,000 JSON round trips of a
// small object and 200 MiB of SHA-256), timed in CPU. The host of a virtual machine can slow it by
// half from one hour to the next; runs of a benchmark compare only at similar probe times.
// Usage: npx tsx bench/cpu-probe.ts
import { createHash } from "node:crypto";

const sample = { a: [1, 2, 3], b: "hello world".repeat(20), c: { d: true, e: null, f: 1.5 } };
const before = process.cpuUsage();
let characters = 0;
for (let round = 0; round < 300_000; round++) characters += JSON.parse(JSON.stringify(sample)).b.length;
const mebibyte = Buffer.alloc(1 << 20, 7);
for (let round = 0; round < 200; round++) createHash("sha256").update(mebibyte).digest();
const used = process.cpuUsage(before);
if (characters !== 300_000 * sample.b.length) throw new Error("the probe's JSON round trips lost characters");
console.log(`cpu probe: ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU`);
