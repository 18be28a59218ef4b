// Runs a command against Debian's PostgreSQL server (CI's second database target): creates a
// throw-away cluster in a temporary directory, starts it on a free loopback port as an
// unprivileged user, runs the command with PASSAGE_TEST_DATABASE_URL set, and stops it.
// Usage: node scripts/with-debian-postgres.mjs -- <command> [args...]
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const bin = fs
  .readdirSync("/usr/lib/postgresql", { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => Number(entry.name))
  .filter((version) => version >= 15)
  .sort((a, b) => a - b)
  .map((version) => `/usr/lib/postgresql/${version}/bin`)[0];
if (!bin) {
  console.error(
    "error: no Debian PostgreSQL >= 15 server under /usr/lib/postgresql; apt-get install -y postgresql",
  );
  process.exit(1);
}

const separator = process.argv.indexOf("--");
const command = process.argv.slice(separator + 1);
if (separator < 0 || command.length === 0) {
  console.error("usage: node scripts/with-debian-postgres.mjs -- <command> [args...]");
  process.exit(2);
}

const asRoot = process.getuid?.() === 0;
const user = asRoot
  ? {
      uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
      gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
    }
  : {};
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-debian-pg-"));
fs.chmodSync(directory, 0o755);
const cluster = path.join(directory, "data");
fs.mkdirSync(cluster, { mode: 0o700 });
if (asRoot) fs.chownSync(cluster, user.uid, user.gid);
const password = "passage-ci";
const passwordFile = path.join(directory, "pw");
fs.writeFileSync(passwordFile, `${password}\n`);
if (asRoot) fs.chownSync(passwordFile, user.uid, user.gid);

execFileSync(
  `${bin}/initdb`,
  [
    `--pgdata=${cluster}`,
    "--auth=scram-sha-256",
    "--username=passage",
    `--pwfile=${passwordFile}`,
    "--encoding=UTF8",
    "--no-locale",
  ],
  {
    stdio: ["ignore", "ignore", "inherit"],
    ...user,
  },
);
const port = await new Promise((resolve) => {
  const server = net.createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const log = fs.openSync(path.join(directory, "postgres.log"), "a");
const server = spawn(
  `${bin}/postgres`,
  [
    "-D",
    cluster,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
    "-c",
    "timezone=UTC",
  ],
  {
    stdio: ["ignore", log, log],
    ...user,
  },
);
const deadline = Date.now() + 60_000;
while (
  !fs.readFileSync(path.join(directory, "postgres.log"), "utf8").includes("ready to accept connections")
) {
  if (Date.now() > deadline || server.exitCode !== null) {
    console.error(fs.readFileSync(path.join(directory, "postgres.log"), "utf8"));
    console.error("error: Debian PostgreSQL did not start");
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const version = execFileSync(`${bin}/postgres`, ["--version"]).toString().trim();
console.error(`== Debian PostgreSQL on 127.0.0.1:${port} (${version})`);

const result = spawnSync(command[0], command.slice(1), {
  stdio: "inherit",
  env: {
    ...process.env,
    PASSAGE_TEST_DATABASE_URL: `postgres://passage:${password}@127.0.0.1:${port}/postgres`,
  },
});
server.kill("SIGINT");
await new Promise((resolve) => server.once("exit", resolve));
fs.rmSync(directory, { recursive: true, force: true });
process.exit(result.status ?? 1);
