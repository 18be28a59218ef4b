// `npm run soak`: the long trials (many kill -9 runs, 10k tamper trials, large fuzz counts).
// Tests read PASSAGE_SOAK=1 and raise their trial counts; the normal suite runs small counts.
import { spawnSync } from "node:child_process";
import { ensureDebianPackages } from "./debian-packages.mjs";

ensureDebianPackages();
const result = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, PASSAGE_SOAK: "1" },
});
process.exit(result.status ?? 1);
