import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { embeddedLayout, socketDirectoryOf, startEmbeddedServer } from "./embedded-server.ts";
import { unprivilegedUserOrThrow } from "./unprivileged-user.ts";

// These tests manage their own embedded servers, so they skip when the suite runs against an
// external PostgreSQL (CI's second target) — there may be no embedded binaries' user set up.
const external = Boolean(process.env.PASSAGE_TEST_DATABASE_URL);

const directories: string[] = [];
function dataDir(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-embedded-"));
  fs.chmodSync(directory, 0o755);
  directories.push(directory);
  return directory;
}

async function query(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function postmasterPid(directory: string): number {
  return Number(
    fs.readFileSync(path.join(embeddedLayout(directory).clusterDir, "postmaster.pid"), "utf8").split("\n")[0],
  );
}

async function listenWhenFree(port: number): Promise<net.Server> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const server = net.createServer();
    const listening = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (listening) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`port ${port} never became free`);
}

afterEach(() => {
  for (const directory of directories.splice(0)) {
    try {
      const pid = postmasterPid(directory);
      process.kill(pid, "SIGKILL");
    } catch {
      // not running
    }
    fs.rmSync(directory, { recursive: true, force: true });
  }
});

describe.skipIf(external)("embedded PostgreSQL", () => {
  it("initialises, serves the passage database on loopback, and stops on request", async () => {
    const directory = dataDir();
    const server = await startEmbeddedServer({ dataDir: directory });
    expect(server.owned).toBe(true);
    expect(new URL(server.url).hostname).toBe("127.0.0.1");
    const rows = await query(
      server.url,
      "SELECT current_database() AS name, current_setting('listen_addresses') AS listen, inet_server_addr() IS NULL AS unix_socket",
    );
    // Its own clients reach it over the Unix socket in the cluster directory (no server address).
    expect(rows).toEqual([{ name: "passage", listen: "127.0.0.1", unix_socket: true }]);
    expect(new URL(server.url).searchParams.get("host")).toBe(embeddedLayout(directory).clusterDir);
    // Loopback TCP still answers, for tools given the port.
    const tcp = new URL(server.url);
    tcp.search = "";
    expect(await query(tcp.toString(), "SELECT inet_server_addr()::text AS address")).toEqual([
      { address: "127.0.0.1/32" },
    ]);
    const pid = postmasterPid(directory);
    await server.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    // The data survives a restart.
    const again = await startEmbeddedServer({ dataDir: directory });
    expect(await query(again.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await again.stop();
  });

  it("serves over loopback TCP alone when the data directory is too deep for a socket path", async () => {
    const directory = path.join(dataDir(), "d".repeat(80));
    fs.mkdirSync(directory, { mode: 0o755 });
    expect(socketDirectoryOf(embeddedLayout(directory).clusterDir, 65535)).toBeUndefined();
    const server = await startEmbeddedServer({ dataDir: directory });
    expect(new URL(server.url).searchParams.has("host")).toBe(false);
    expect(await query(server.url, "SELECT inet_server_addr()::text AS address")).toEqual([
      { address: "127.0.0.1/32" },
    ]);
    await server.stop();
  });

  it("attaches to a server already running on the same data directory without owning it", async () => {
    const directory = dataDir();
    const first = await startEmbeddedServer({ dataDir: directory });
    const second = await startEmbeddedServer({ dataDir: directory });
    expect(second.owned).toBe(false);
    expect(second.port).toBe(first.port);
    await second.stop();
    expect(await query(first.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await first.stop();
  });

  it("leaves the server to a process still attached when its owner ends, which stops it when it ends", async () => {
    const directory = dataDir();
    const script = `
      import { startEmbeddedServer } from ${JSON.stringify(path.resolve(import.meta.dirname, "embedded-server.ts"))};
      const server = await startEmbeddedServer({ dataDir: ${JSON.stringify(directory)} });
      process.stdout.write(server.owned ? "owner\\n" : "attached\\n");
      process.stdin.once("data", async () => {
        await server.stop();
        process.exit(0);
      });
    `;
    const owner = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const role = await new Promise<string>((resolve, reject) => {
      owner.stdout!.on("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
      owner.once("exit", (code) => reject(new Error(`owner exited with ${code}`)));
    });
    expect(role).toBe("owner");
    const postmaster = postmasterPid(directory);
    const attached = await startEmbeddedServer({ dataDir: directory });
    expect(attached.owned).toBe(false);
    const ended = new Promise((resolve) => owner.once("exit", resolve));
    owner.stdin!.write("stop\n");
    await ended;
    // The owner ended first: the server still serves the process attached to it.
    expect(await query(attached.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    expect(postmasterPid(directory)).toBe(postmaster);
    await attached.stop();
    expect(() => process.kill(postmaster, 0)).toThrow();
  });

  it("adopts the server of a killed owner process and stops it itself", async () => {
    const directory = dataDir();
    const script = `
      import { startEmbeddedServer } from ${JSON.stringify(path.resolve(import.meta.dirname, "embedded-server.ts"))};
      await startEmbeddedServer({ dataDir: ${JSON.stringify(directory)} });
      process.stdout.write("ready\\n");
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      owner.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      owner.once("exit", (code) => reject(new Error(`owner exited with ${code}`)));
    });
    const postmaster = postmasterPid(directory);
    owner.kill("SIGKILL");
    await new Promise((resolve) => owner.once("exit", resolve));
    const adopted = await startEmbeddedServer({ dataDir: directory });
    expect(adopted.owned).toBe(true);
    expect(postmasterPid(directory)).toBe(postmaster);
    await adopted.stop();
    expect(() => process.kill(postmaster, 0)).toThrow();
  });

  it("recovers after the server itself is killed, even when its old port is taken by another program", async () => {
    const directory = dataDir();
    // As if its process had been killed with it: nothing restarts the server before the next start.
    const first = await startEmbeddedServer({ dataDir: directory, watchIntervalMs: 0 });
    const oldPort = first.port;
    process.kill(postmasterPid(directory), "SIGKILL");
    // The killed server's children release its port a moment later; then another program takes it.
    const squatter = await listenWhenFree(oldPort);
    try {
      const second = await startEmbeddedServer({ dataDir: directory });
      expect(second.port).not.toBe(oldPort);
      expect(await query(second.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await second.stop();
    } finally {
      squatter.close();
    }
  });

  it("recovers when the stale pid file names a live process that is not PostgreSQL", async () => {
    const directory = dataDir();
    const first = await startEmbeddedServer({ dataDir: directory });
    await first.stop();
    const sleeper = spawn("sleep", ["30"]);
    const pidFile = path.join(embeddedLayout(directory).clusterDir, "postmaster.pid");
    fs.writeFileSync(pidFile, `${sleeper.pid}\n${embeddedLayout(directory).clusterDir}\n0\n1\n`);
    if (process.getuid?.() === 0) execFileSync("chown", ["postgres", pidFile]);
    try {
      const second = await startEmbeddedServer({ dataDir: directory });
      expect(await query(second.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await second.stop();
    } finally {
      sleeper.kill();
    }
  });

  it("lets processes started at the same moment on a fresh directory share one server", async () => {
    const directory = dataDir();
    // Each opens the server, runs a query, reports the postmaster it reached, and stops on request.
    const script = `
      import fs from "node:fs";
      import pg from "pg";
      import { startEmbeddedServer } from ${JSON.stringify(path.resolve(import.meta.dirname, "embedded-server.ts"))};
      const server = await startEmbeddedServer({ dataDir: ${JSON.stringify(directory)} });
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query("SELECT 1 AS one, pg_postmaster_start_time()::text AS started");
      await client.end();
      const postmaster = fs.readFileSync(${JSON.stringify(path.join(embeddedLayout(directory).clusterDir, "postmaster.pid"))}, "utf8").split("\\n")[0];
      process.stdout.write(JSON.stringify({ one: rows[0].one, postmaster }) + "\\n");
      process.stdin.once("data", async () => {
        await server.stop();
        process.exit(0);
      });
    `;
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        stdio: ["pipe", "pipe", "pipe"],
      }),
    );
    const reports = await Promise.all(
      children.map(
        (child) =>
          new Promise<{ one: number; postmaster: string }>((resolve, reject) => {
            let output = "";
            let errors = "";
            child.stdout!.on("data", (chunk: Buffer) => {
              output += chunk.toString();
              if (output.includes("\n")) resolve(JSON.parse(output));
            });
            child.stderr!.on("data", (chunk: Buffer) => {
              errors += chunk.toString();
            });
            child.once("exit", (code) => reject(new Error(`a process exited with ${code}: ${errors}`)));
          }),
      ),
    );
    expect(reports.map((report) => report.one)).toEqual([1, 1, 1, 1]);
    const postmasters = new Set(reports.map((report) => report.postmaster));
    expect(postmasters.size).toBe(1);
    const exits = children.map((child) => new Promise((resolve) => child.once("exit", resolve)));
    for (const child of children) child.stdin!.write("stop\n");
    expect(await Promise.all(exits)).toEqual([0, 0, 0, 0]);
    // The last to end stopped it; no server was killed on the way (no crash recovery).
    expect(() => process.kill(Number([...postmasters][0]), 0)).toThrow();
    const log = fs.readFileSync(embeddedLayout(directory).logFile, "utf8");
    expect(log).not.toMatch(
      /not properly shut down|automatic recovery|terminated by signal|lock file .* already exists/,
    );
    expect(log.match(/database system is ready to accept connections/g)).toHaveLength(1);
  }, 120_000);

  it("stops the server running on the directory, not only the one it started, so none is left behind", async () => {
    const directory = dataDir();
    const first = await startEmbeddedServer({ dataDir: directory, watchIntervalMs: 0 });
    process.kill(postmasterPid(directory), "SIGKILL");
    // Another process starts a new server meanwhile and, ending first, leaves it to this one.
    const script = `
      import { startEmbeddedServer } from ${JSON.stringify(path.resolve(import.meta.dirname, "embedded-server.ts"))};
      const server = await startEmbeddedServer({ dataDir: ${JSON.stringify(directory)}, watchIntervalMs: 0 });
      process.stdout.write(server.owned ? "owner" : "attached");
      await server.stop();
    `;
    // Spawned, not run synchronously: this process must go on reaping its killed server meanwhile.
    const other = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let role = "";
    other.stdout!.on("data", (chunk: Buffer) => {
      role += chunk.toString();
    });
    expect(await new Promise((resolve) => other.once("exit", resolve))).toBe(0);
    expect(role).toBe("owner");
    const second = postmasterPid(directory);
    expect(() => process.kill(second, 0)).not.toThrow();
    await first.stop();
    expect(() => process.kill(second, 0)).toThrow();
  }, 60_000);

  it("restarts a server killed under it on the same port, so its URL reaches the new one", async () => {
    const directory = dataDir();
    const server = await startEmbeddedServer({ dataDir: directory, watchIntervalMs: 200 });
    const killed = postmasterPid(directory);
    process.kill(killed, "SIGKILL");
    const deadline = Date.now() + 30_000;
    let rows: unknown[] | undefined;
    while (rows === undefined && Date.now() < deadline) {
      rows = await query(server.url, "SELECT 1 AS one").catch(() => undefined);
      if (rows === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(rows).toEqual([{ one: 1 }]);
    const restarted = postmasterPid(directory);
    expect(restarted).not.toBe(killed);
    expect(server.owned).toBe(true);
    await server.stop();
    expect(() => process.kill(restarted, 0)).toThrow();
  }, 60_000);

  it("recovers when the stale pid file names another live process of the server's user named like postgres", async () => {
    const directory = dataDir();
    const first = await startEmbeddedServer({ dataDir: directory });
    await first.stop();
    const user = process.getuid?.() === 0 ? unprivilegedUserOrThrow() : undefined;
    // A process called "postgres", of the user PostgreSQL runs as, that is not this cluster's server.
    const impostor = spawn("bash", ["-c", "exec -a postgres sleep 60"], {
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      cwd: "/",
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fs.readFileSync(`/proc/${impostor.pid}/cmdline`, "utf8")).toMatch(/^postgres\0/);
    const pidFile = path.join(embeddedLayout(directory).clusterDir, "postmaster.pid");
    fs.writeFileSync(pidFile, `${impostor.pid}\n${embeddedLayout(directory).clusterDir}\n0\n1\n`);
    if (user) fs.chownSync(pidFile, user.uid, user.gid);
    try {
      const second = await startEmbeddedServer({ dataDir: directory });
      expect(await query(second.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await second.stop();
    } finally {
      impostor.kill();
    }
  }, 60_000);
});
