// Debian packages the suite needs, checked before any test runs: installed when missing if we
// are root, otherwise the run stops at once naming the exact apt-get line.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

/** Each entry: the package, a file whose presence proves it is installed, and why the suite needs it. */
export const SUITE_PACKAGES = [
  {
    name: "nats-server",
    provides: "/usr/sbin/nats-server",
    why: "the NATS JetStream scale-out test runs a 3-node cluster of it on loopback",
  },
  {
    name: "chromium",
    provides: "/usr/bin/chromium",
    why: "the web UI's browser tests and bench/web drive headless Chromium through playwright-core",
  },
];

function missing(packages) {
  return packages.filter((entry) => !fs.existsSync(entry.provides));
}

export function ensureDebianPackages(packages = SUITE_PACKAGES) {
  const absent = missing(packages);
  if (absent.length === 0) return;
  const names = absent.map((entry) => entry.name);
  const line = `apt-get install -y --no-install-recommends ${names.join(" ")}`;
  if (process.getuid?.() !== 0) {
    console.error(`error: the test suite needs Debian packages that are not installed:`);
    for (const entry of absent) console.error(`  ${entry.name} (${entry.why})`);
    console.error(`install them as root with:\n  apt-get update && ${line}`);
    process.exit(1);
  }
  console.error(`installing Debian packages the suite needs: ${names.join(", ")}`);
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"] });
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...names], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch {
    console.error(`error: could not install ${names.join(", ")}; run as root:\n  apt-get update && ${line}`);
    process.exit(1);
  }
  const still = missing(absent);
  if (still.length > 0) {
    console.error(`error: after apt-get, still missing: ${still.map((entry) => entry.provides).join(", ")}`);
    process.exit(1);
  }
}
