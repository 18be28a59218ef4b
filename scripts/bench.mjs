// `npm run bench`: every benchmark under bench/ (each `bench/<name>/run.ts`), one after another
// so they do not compete for the two cores. Each prints its figures and writes
// bench/results/<name>.json. `npm run bench -- linkage policy` runs only those.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const wanted = process.argv.slice(2);
const benches = fs
  .readdirSync(path.join(root, "bench"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "results")
  .flatMap((entry) =>
    fs
      .readdirSync(path.join(root, "bench", entry.name))
      .filter((file) => file === "run.ts")
      .map(() => entry.name),
  )
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

let failed = 0;
for (const name of benches) {
  console.error(`\n== bench/${name}`);
  const result = spawnSync("npx", ["tsx", path.join("bench", name, "run.ts")], {
    stdio: "inherit",
    cwd: root,
  });
  if (result.status !== 0) {
    failed++;
    console.error(`bench/${name} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
