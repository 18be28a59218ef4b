// `npm test`: the whole suite. Checks the Debian packages it needs first (installing them when
// run as root), then lint and type check, then every unit and integration test.
import { spawnSync } from "node:child_process";
import { ensureDebianPackages } from "./debian-packages.mjs";

ensureDebianPackages();

const steps = [
  ["lint and format", ["npx", "biome", "check", "."]],
  ["type check", ["npx", "tsc", "-p", "tsconfig.json"]],
  ["tests", ["npx", "vitest", "run", ...process.argv.slice(2)]],
];

for (const [label, [command, ...args]] of steps) {
  console.error(`\n== ${label}: ${[command, ...args].join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  console.error(`== ${label} passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
