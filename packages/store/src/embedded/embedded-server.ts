import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { StoreErrors } from "../errors.ts";
import { postgresBinaries } from "./postgres-binaries.ts";
import { unprivilegedUserOrThrow } from "./unprivileged-user.ts";

/** Where the embedded server keeps its state, inside the Passage data directory. */
export interface EmbeddedLayout {
  /** The PostgreSQL cluster (PGDATA). */
  readonly clusterDir: string;
  /** Port, credentials and owner of the running server (mode 0600). */
  readonly stateFile: string;
  /** PostgreSQL's own output. */
  readonly logFile: string;
  /** One file per Passage process using the server (see `registerClient`). */
  readonly clientsDir: string;
  /** Held while a process starts, restarts or stops the server (see `withDirectoryLock`). */
  readonly lockFile: string;
}

export function embeddedLayout(dataDir: string): EmbeddedLayout {
  return {
    clusterDir: path.join(dataDir, "postgres"),
    stateFile: path.join(dataDir, "postgres.json"),
    logFile: path.join(dataDir, "postgres.log"),
    clientsDir: path.join(dataDir, "postgres-clients"),
    lockFile: path.join(dataDir, "postgres.lock"),
  };
}

interface ServerState {
  user: string;
  password: string;
  /** The application role's password (absent in a directory made before the role existed). */
  appPassword?: string;
  database: string;
  port: number;
  /** The Passage process responsible for stopping the server. */
  ownerPid: number;
}

/**
 * Every Passage process using the server registers a file `<pid>-<random>` in the clients
 * directory before it connects and removes it when it stops: the process that ends last stops the
 * server, so a command attached to another's server (two ingests at once, a command beside
 * `passage serve`) never has the server stopped under it.
 */
function registerClient(layout: EmbeddedLayout): () => void {
  fs.mkdirSync(layout.clientsDir, { recursive: true, mode: 0o700 });
  const file = path.join(layout.clientsDir, `${process.pid}-${randomBytes(4).toString("hex")}`);
  fs.writeFileSync(file, "");
  return () => fs.rmSync(file, { force: true });
}

/** The other live Passage processes registered as clients of the server (stale files removed). */
function otherClients(layout: EmbeddedLayout): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(layout.clientsDir);
  } catch {
    return [];
  }
  const pids = new Set<number>();
  for (const name of names) {
    const pid = Number(name.split("-")[0]);
    if (pid === process.pid) continue;
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isNodeProcess(pid)) pids.add(pid);
    else fs.rmSync(path.join(layout.clientsDir, name), { force: true });
  }
  return [...pids];
}

export interface EmbeddedServer {
  /**
   * Connection URL for the Passage database as its application role (`passage_app`): not a
   * superuser and not the owner of the audit log's tables (see `secureEmbeddedDatabase`), so no
   * connection Passage's code opens can switch their append-only triggers off.
   */
  readonly url: string;
  /** The same database as the cluster's superuser: for migrations and `secureEmbeddedDatabase` only. */
  readonly adminUrl: string;
  readonly port: number;
  /** True when this process started (or adopted, or restarted) the server and will stop it. */
  readonly owned: boolean;
  /**
   * Ends this process's use of the server, and stops it if this process is responsible for it and
   * no other Passage process still uses it (otherwise that process is made responsible).
   */
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  readonly dataDir: string;
  /** Extra `-c name=value` settings for the server. */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * How often (ms) this process checks that the server is still running, and restarts it (or
   * attaches to the one another process restarted) if it was killed; 0: never. Default 1000.
   */
  readonly watchIntervalMs?: number;
}

const DATABASE_NAME = "passage";
const DATABASE_USER = "passage";
/** The role Passage's own connections use (see `EmbeddedServer.url`). */
export const APPLICATION_ROLE = "passage_app";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 5;
/** Longest wait for another process's start or stop of the server on the same directory. */
const LOCK_WAIT_MS = START_TIMEOUT_MS + STOP_TIMEOUT_MS + 30_000;
const WATCH_INTERVAL_MS = 1000;
/** After a failed restart, the watch tries again this much later. */
const RESTART_BACKOFF_MS = 5000;

/**
 * Settings for a single-machine server: loopback only (Passage holds sensitive records), a Unix
 * socket inside the cluster directory (see `socketDirectoryOf`) rather than the default directory
 * (which may not exist or be writable), JIT off (it slows the short
 * queries Passage mostly runs), more WAL between checkpoints for bulk ingest. Durability settings
 * stay at PostgreSQL's safe defaults: an acknowledged write survives a crash.
 *
 * max_wal_size: a 5M-row ingest writes about 6.8 GB of WAL; at 16 GB no size-triggered checkpoint
 * interrupts it (at 4 GB three or four did, their writes and the full-page images after each costing
 * 31.6-33.0 µs of PostgreSQL CPU a row against 27.1-27.7, and 25,265-28,779 rows/s against
 * 30,363-30,582; BENCHMARKS.md). The price is disk: up to that much WAL until the next timed
 * checkpoint recycles it; a small database never writes it.
 *
 * max_parallel_workers_per_gather 0: on two cores shared with Passage's own process, a parallel
 * plan only adds the cost of starting its workers. The projections' batch reads (a batch's persons'
 * records) were planned with a worker each, about a tenth of PostgreSQL's CPU for each departure
 * streamed (bench/lifecycle: 2.43-2.83 ms a departure over seven runs, 2.18-2.36 without); the
 * rebuild took as long either way. The rebuild's read of the whole table asks for two workers on
 * its own connection (`streamPersonsWithRecords`).
 */
const DEFAULT_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: "127.0.0.1",
  unix_socket_permissions: "0700",
  max_connections: "100",
  shared_buffers: `${sharedBuffersMegabytes(os.totalmem())}MB`,
  work_mem: "32MB",
  maintenance_work_mem: "256MB",
  max_wal_size: "16GB",
  checkpoint_timeout: "15min",
  jit: "off",
  max_parallel_workers_per_gather: "0",
  timezone: "UTC",
  // PostgreSQL's default, set because start-up reads its own postmaster's lines by the pid in it.
  log_line_prefix: "%m [%p] ",
};

/**
 * An eighth of the machine's memory, between 256 MB and 2 GB: the projections' working set (status
 * rows, linkage entities, members) then stays in PostgreSQL's own cache instead of being copied in
 * from the operating system's on every batch. Pages are only taken as they are used.
 */
export function sharedBuffersMegabytes(totalMemoryBytes: number): number {
  const eighth = Math.floor(totalMemoryBytes / 8 / 1024 ** 2);
  return Math.min(2048, Math.max(256, eighth));
}

/**
 * Starts Passage's embedded PostgreSQL on `dataDir`, or attaches to the one already running
 * there. Recovers by itself from a crash: a stale pid file, leftover backends of a killed
 * server, a port now taken by another program, an owner process that died (its server is
 * adopted and stopped by this process instead), a server killed under a running process (see
 * `watchIntervalMs`).
 *
 * Processes starting at the same moment on one data directory take turns (`withDirectoryLock`):
 * the first starts the server (initialising the cluster if need be), the others attach to it.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const layout = embeddedLayout(options.dataDir);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const runAs = process.getuid?.() === 0 ? unprivilegedUserOrThrow() : undefined;
  const binaries = await postgresBinaries();
  if (runAs) {
    for (const needed of [binaries.postgres, options.dataDir]) assertReachableOrThrow(runAs, needed);
  }

  // Registered before the lock is taken, so an owner stopping meanwhile sees this process and
  // hands the server over instead of stopping it under it.
  const unregister = registerClient(layout);
  try {
    const ensureRunning = (state: ServerState) =>
      attachOrLaunch(options, layout, state, binaries.postgres, runAs);
    const running = await withDirectoryLock(layout, async () => {
      // Read under the lock: a process that initialised the cluster a moment ago wrote it.
      const state = readState(layout) ?? newState();
      if (!fs.existsSync(path.join(layout.clusterDir, "PG_VERSION"))) {
        initialiseCluster(layout, state, binaries.initdb, runAs);
      }
      return ensureRunning(state);
    });
    return handle(layout, running, unregister, ensureRunning, options.watchIntervalMs ?? WATCH_INTERVAL_MS);
  } catch (error) {
    unregister();
    throw error;
  }
}

/** A server this process reaches, and whether this process started or adopted it. */
interface Running {
  readonly state: ServerState;
  readonly endpoint: Endpoint;
  readonly owned: boolean;
}

/** Attaches to the server running on the cluster, or starts one. Called holding the directory lock. */
async function attachOrLaunch(
  options: EmbeddedServerOptions,
  layout: EmbeddedLayout,
  state: ServerState,
  postgres: string,
  runAs: { uid: number; gid: number } | undefined,
): Promise<Running> {
  let lastError = "";
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    // Looked for before every attempt: a server that came up meanwhile is attached to, not raced.
    const running = runningPostmaster(layout.clusterDir);
    if (running !== undefined && (await canConnect(state, running))) {
      const adopt = !isAlive(state.ownerPid);
      const attached = { ...state, port: running.port, ownerPid: adopt ? process.pid : state.ownerPid };
      // A server started by a Passage from before the application role: the role is made now.
      if (attached.appPassword === undefined) await ensureApplicationRole(attached, running);
      if (adopt || attached.port !== state.port || state.appPassword === undefined)
        writeState(layout, attached);
      return { state: attached, endpoint: running, owned: adopt };
    }
    // The previous port first, so processes still holding the server's address (a pool opened on
    // it) reach the restarted server; another one if a program has taken it meanwhile.
    const port =
      attempt === 0 && state.port > 0 && (await portIsFree(state.port))
        ? state.port
        : await freeLoopbackPort();
    const socketDir = socketDirectoryOf(layout.clusterDir, port);
    const started = await launch(layout, postgres, { port, socketDir }, runAs, options.settings ?? {});
    if (started.ok) {
      const current = { ...state, port, ownerPid: process.pid };
      writeState(layout, current);
      const endpoint = { pid: started.pid, port, socketDir };
      await ensureDatabase(current, endpoint);
      await ensureApplicationRole(current, endpoint);
      writeState(layout, current);
      return { state: current, endpoint, owned: true };
    }
    lastError = started.reason;
    if (!started.retry) break;
  }
  throw StoreErrors.embeddedStartFailed.create(lastError, layout.logFile);
}

/**
 * Runs `work` holding the data directory's lock file (created exclusively, naming its holder's
 * pid): starting, restarting and stopping the server, and initialising the cluster, happen one
 * process at a time, so two commands started together never both launch a server (the second
 * attaches to the first's). A lock whose holder is no longer a live Passage process is broken.
 */
async function withDirectoryLock<T>(layout: EmbeddedLayout, work: () => Promise<T>): Promise<T> {
  const release = await acquireLock(layout);
  try {
    return await work();
  } finally {
    release();
  }
}

async function acquireLock(layout: EmbeddedLayout): Promise<() => void> {
  const token = `${process.pid} ${randomBytes(8).toString("hex")}\n`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(layout.lockFile, token, { flag: "wx", mode: 0o600 });
      return () => {
        if (readText(layout.lockFile) === token) fs.rmSync(layout.lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const content = readText(layout.lockFile);
    if (content === undefined) continue; // released meanwhile
    const holder = Number(content.split(" ")[0]);
    // A file still being written (no newline yet) is a live holder's for a moment, not stale.
    const beingWritten = !content.endsWith("\n") && Date.now() - fileModified(layout.lockFile) < 5000;
    const live =
      beingWritten || (Number.isInteger(holder) && holder > 0 && isAlive(holder) && isNodeProcess(holder));
    if (!live) {
      breakStaleLock(layout.lockFile, content);
      continue;
    }
    if (Date.now() > deadline) {
      throw StoreErrors.embeddedStartFailed.create(
        `Passage process ${holder} has held ${layout.lockFile} (starting or stopping the server) for over ` +
          `${LOCK_WAIT_MS / 1000} s; end that process if it is stuck`,
        layout.logFile,
      );
    }
    await sleep(50);
  }
}

/** Removes a stale lock, unless another process replaced it with a live one since it was read. */
function breakStaleLock(lockFile: string, staleContent: string): void {
  const aside = `${lockFile}.${process.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return; // already broken or released by another process
  }
  if (readText(aside) !== staleContent) {
    // A live lock taken in between: put it back (unless yet another was taken, which then holds).
    try {
      fs.linkSync(aside, lockFile);
    } catch {
      // ignored: see above
    }
  }
  fs.rmSync(aside, { force: true });
}

function newState(): ServerState {
  return {
    user: DATABASE_USER,
    password: randomBytes(24).toString("hex"),
    database: DATABASE_NAME,
    port: 0,
    ownerPid: 0,
  };
}

function readState(layout: EmbeddedLayout): ServerState | undefined {
  try {
    return JSON.parse(fs.readFileSync(layout.stateFile, "utf8")) as ServerState;
  } catch {
    return undefined;
  }
}

function writeState(layout: EmbeddedLayout, state: ServerState): void {
  // Written whole then renamed, so a reader never sees half a file.
  const temporary = `${layout.stateFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, layout.stateFile);
}

function initialiseCluster(
  layout: EmbeddedLayout,
  state: ServerState,
  initdb: string,
  runAs: { uid: number; gid: number; name: string } | undefined,
): void {
  // A half-initialised cluster (initdb interrupted) is useless: start over.
  fs.rmSync(layout.clusterDir, { recursive: true, force: true });
  fs.mkdirSync(layout.clusterDir, { mode: 0o700 });
  const passwordFile = path.join(os.tmpdir(), `passage-pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  fs.writeFileSync(passwordFile, `${state.password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      fs.chownSync(layout.clusterDir, runAs.uid, runAs.gid);
      fs.chownSync(passwordFile, runAs.uid, runAs.gid);
    }
    execFileSync(
      initdb,
      [
        `--pgdata=${layout.clusterDir}`,
        "--auth=scram-sha-256",
        `--username=${state.user}`,
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--no-locale",
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
        ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
        env: { ...process.env, LC_ALL: "C" },
      },
    );
  } catch (error) {
    const output = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    fs.rmSync(layout.clusterDir, { recursive: true, force: true });
    throw StoreErrors.embeddedStartFailed.create(`initdb failed: ${output.trim()}`, layout.logFile);
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
  writeState(layout, state);
}

/**
 * Where a running server is reached: its TCP port on loopback, and the directory of its Unix
 * socket when it has one (undefined: TCP only).
 */
interface Endpoint {
  readonly pid: number;
  readonly port: number;
  readonly socketDir: string | undefined;
}

/**
 * The directory of the server's Unix socket: the cluster directory itself (mode 0700, owned by
 * the server's user, so only that user and root can connect, as on loopback only Passage holds the
 * password). A query and its answer over the socket cost Passage and PostgreSQL less CPU than over
 * TCP on loopback (`bench/api`: socket writes were a sixth of the server's CPU). A socket path has
 * at most 107 bytes, so a data directory deep enough to exceed it gets TCP only.
 */
export function socketDirectoryOf(clusterDir: string, port: number): string | undefined {
  return Buffer.byteLength(path.join(clusterDir, `.s.PGSQL.${port}`)) <= 107 ? clusterDir : undefined;
}

/** The postmaster recorded in PGDATA's pid file, if that process is alive and is this cluster's server. */
function runningPostmaster(clusterDir: string): Endpoint | undefined {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile, "utf8").split("\n");
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostmasterOf(pid, clusterDir)) {
    // Stale: the server died. If its pid now belongs to another program (even another
    // PostgreSQL of the same user), PostgreSQL would refuse to start ("lock file already
    // exists"), so the file is removed here.
    if (Number.isInteger(pid) && pid > 0 && processExists(pid)) fs.rmSync(pidFile, { force: true });
    return undefined;
  }
  // The fifth line names the first socket directory (empty for a server started without one, as
  // Passage's were before it used a socket).
  const socketDir = lines[4]?.trim() || undefined;
  const socketExists = socketDir !== undefined && fs.existsSync(path.join(socketDir, `.s.PGSQL.${port}`));
  return { pid, port, socketDir: socketExists ? socketDir : undefined };
}

/** Whether a process with that pid exists, be it only an exited one not yet reaped (a zombie). */
function processExists(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isAlive(pid: number): boolean {
  if (!processExists(pid)) return false;
  // An exited child not yet reaped (a zombie) is gone for every purpose here.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/**
 * Whether a live process is the postmaster of `clusterDir`: a postmaster works in its data
 * directory, and was started with `-D` naming it. A pid reused by another program, or by another
 * PostgreSQL server of the same user, is not. Without /proc (not Linux) this cannot be told:
 * assumed.
 */
function isPostmasterOf(pid: number, clusterDir: string): boolean {
  if (!fs.existsSync("/proc/self")) return true;
  try {
    return sameDirectory(fs.readlinkSync(`/proc/${pid}/cwd`), clusterDir);
  } catch {
    // Not allowed to see its working directory (another user's process): its command line.
  }
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const dataDirArgument = argv[argv.indexOf("-D") + 1];
    return (
      /postgres/.test(argv[0] ?? "") &&
      argv.includes("-D") &&
      dataDirArgument !== undefined &&
      sameDirectory(dataDirArgument, clusterDir)
    );
  } catch {
    return false;
  }
}

function sameDirectory(a: string, b: string): boolean {
  const real = (directory: string) => {
    try {
      return fs.realpathSync(directory);
    } catch {
      return path.resolve(directory);
    }
  };
  return real(a) === real(b);
}

/** Whether a live process's command line matches `pattern` (without /proc, not Linux: assumed). */
function commandLineMatches(pid: number, pattern: RegExp): boolean {
  try {
    return pattern.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return true;
  }
}

const isNodeProcess = (pid: number) => commandLineMatches(pid, /node|passage/);

async function canConnect(state: ServerState, endpoint: Endpoint): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const client = new pg.Client({
      ...clientConfig(state, endpoint),
      database: "postgres",
      connectionTimeoutMillis: 2000,
    });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code;
      // 57P03: the server is starting up or shutting down; wait for it.
      if (code !== "57P03" && code !== "ECONNREFUSED") return false;
      await sleep(200);
    }
  }
  return false;
}

function clientConfig(state: ServerState, endpoint: Endpoint): pg.ClientConfig {
  return {
    host: endpoint.socketDir ?? "127.0.0.1",
    port: endpoint.port,
    user: state.user,
    password: state.password,
    database: state.database,
  };
}

type LaunchResult = { ok: true; pid: number } | { ok: false; retry: boolean; reason: string };

async function launch(
  layout: EmbeddedLayout,
  postgres: string,
  { port, socketDir }: Omit<Endpoint, "pid">,
  runAs: { uid: number; gid: number } | undefined,
  settings: Readonly<Record<string, string>>,
): Promise<LaunchResult> {
  const logStart = fileSize(layout.logFile);
  const log = fs.openSync(layout.logFile, "a", 0o600);
  const flags = Object.entries({
    ...DEFAULT_SETTINGS,
    unix_socket_directories: socketDir ?? "",
    ...settings,
  }).flatMap(([name, value]) => ["-c", `${name}=${value}`]);
  // The server writes straight to the log file and runs in its own process group, so it
  // outlives a killed Passage process cleanly; the next command adopts it.
  const child = spawn(postgres, ["-D", layout.clusterDir, "-p", String(port), ...flags], {
    stdio: ["ignore", log, log],
    detached: true,
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    env: { ...process.env, LC_ALL: "C" },
  });
  fs.closeSync(log);
  child.unref();
  let exited = child.pid === undefined;
  child.once("exit", () => {
    exited = true;
  });
  child.once("error", () => {
    exited = true;
  });

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await sleep(100);
    // Only this postmaster's own lines decide: the log is shared with any other server's
    // backends and with another process's start on this directory.
    const output = readFrom(layout.logFile, logStart);
    const own = output
      .split("\n")
      .filter((line) => line.includes(` [${child.pid}] `))
      .join("\n");
    if (exited || /FATAL|PANIC/.test(own)) {
      if (!exited) child.kill("SIGKILL");
      const reason = lastLines(/FATAL|PANIC/.test(own) ? own : output);
      // A port taken between our probe and the bind, or backends of a killed server still
      // holding shared memory for a moment: both pass on a retry.
      const retry =
        /Address already in use|could not bind|shared memory block is still in use|lock file/i.test(
          /FATAL|PANIC/.test(own) ? own : output,
        );
      if (retry) await sleep(1000);
      return { ok: false, retry, reason: reason || "the server exited during start-up" };
    }
    if (own.includes("database system is ready to accept connections")) {
      return { ok: true, pid: child.pid! };
    }
  }
  child.kill("SIGKILL");
  return { ok: false, retry: false, reason: `no answer within ${START_TIMEOUT_MS / 1000} s` };
}

async function ensureDatabase(state: ServerState, endpoint: Endpoint): Promise<void> {
  const client = new pg.Client({ ...clientConfig(state, endpoint), database: "postgres" });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [state.database]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${state.database}`).catch((error: { code?: string }) => {
        // 42P04: a concurrent start created it first.
        if (error.code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Makes the application role (`APPLICATION_ROLE`) exist with the state's password (one is made and
 * set on `state` when it has none), asserts at every start that it holds no role attribute beyond
 * LOGIN (a superuser it made itself so would stay one), lets it create tables in the database's
 * public schema (its migrations and the projections' rebuilds), and creates the one extension the
 * migrations need (pg_trgm: trusted, but creating it needs CREATE on the database, which the role
 * is not given). Run as the superuser, which runs nothing else: idempotent.
 */
async function ensureApplicationRole(state: ServerState, endpoint: Endpoint): Promise<void> {
  state.appPassword ??= randomBytes(24).toString("hex");
  const client = new pg.Client(clientConfig(state, endpoint));
  await client.connect();
  try {
    await client
      .query(
        `DO $$ BEGIN
         IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${APPLICATION_ROLE}') THEN
           CREATE ROLE ${APPLICATION_ROLE} LOGIN;
         END IF;
       END $$`,
      )
      .catch((error: { code?: string }) => {
        // 42710: a concurrent start made it first.
        if (error.code !== "42710") throw error;
      });
    // The password is hex, so it needs no quoting beyond the literal's.
    await client.query(
      `ALTER ROLE ${APPLICATION_ROLE} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
       PASSWORD '${state.appPassword}'`,
    );
    await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${state.database} TO ${APPLICATION_ROLE}`);
    await client.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${APPLICATION_ROLE}`);
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public");
  } finally {
    await client.end();
  }
}

/** Handles of this process that started or adopted a server and have not stopped yet. */
let ownedHandlesOpen = 0;

function handle(
  layout: EmbeddedLayout,
  running: Running,
  unregister: () => void,
  ensureRunning: (state: ServerState) => Promise<Running>,
  watchIntervalMs: number,
): EmbeddedServer {
  let { state, endpoint, owned } = running;
  // The host parameter (a socket directory) takes precedence over the URL's host in every
  // libpq-style client, node-postgres included; without one the URL is plain TCP.
  const urlOf = (user: string, password: string) =>
    `postgres://${user}:${password}@127.0.0.1:${state.port}/${state.database}${
      endpoint.socketDir === undefined ? "" : `?host=${encodeURIComponent(endpoint.socketDir)}`
    }`;
  const url = urlOf(APPLICATION_ROLE, state.appPassword!);
  const adminUrl = urlOf(state.user, state.password);
  let stopped = false;
  const stopOnExit = () => {
    // Process is exiting without an orderly shutdown: ask for a fast shutdown (signals are
    // synchronous, so this still happens inside an `exit` handler) of the server running now.
    if (!stopped) signal(runningPostmaster(layout.clusterDir)?.pid ?? endpoint.pid, "SIGINT");
  };
  const becomeOwner = () => {
    if (owned) return;
    owned = true;
    process.once("exit", stopOnExit);
    ownedHandlesOpen++;
  };
  if (owned) {
    owned = false;
    becomeOwner();
  }

  // The watch: a server killed under this process (kill -9, the OOM killer) is restarted on the
  // same port (or attached to, if another process restarted it first), so the pool opened on this
  // handle's URL reconnects. Should a program have taken that port meanwhile, the server comes
  // back on another and this process must be restarted to reach it.
  let nextCheck = 0;
  let restarting = false;
  const watch =
    watchIntervalMs > 0
      ? setInterval(async () => {
          if (stopped || restarting || Date.now() < nextCheck || isAlive(endpoint.pid)) return;
          restarting = true;
          try {
            const restarted = await withDirectoryLock(layout, async () =>
              stopped ? undefined : ensureRunning(readState(layout) ?? state),
            );
            if (restarted) {
              ({ state, endpoint } = restarted);
              if (restarted.owned) becomeOwner();
            }
          } catch {
            // Tried again a little later; meanwhile queries fail with the connection's error.
            nextCheck = Date.now() + RESTART_BACKOFF_MS;
          } finally {
            restarting = false;
          }
        }, watchIntervalMs)
      : undefined;
  watch?.unref();

  return {
    url,
    adminUrl,
    get port() {
      return state.port;
    },
    get owned() {
      return owned;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(watch);
      process.removeListener("exit", stopOnExit);
      unregister();
      if (owned) ownedHandlesOpen--;
      await withDirectoryLock(layout, async () => {
        // Responsible: this handle started or adopted the server, or this process was handed it
        // by an owner that ended first (and holds no owning handle of its own), or the owner has
        // gone.
        const current = readState(layout) ?? state;
        const responsible =
          owned || (current.ownerPid === process.pid && ownedHandlesOpen === 0) || !isAlive(current.ownerPid);
        if (!responsible) return;
        const others = otherClients(layout);
        if (others.length > 0) {
          // Still in use by another Passage process: it stops the server when it ends.
          writeState(layout, { ...current, ownerPid: others[0]! });
          return;
        }
        // The server running on the directory now, which is not the one this handle first
        // reached if that one was killed and another process started a new one.
        await stopPostmaster(layout.clusterDir);
      });
    },
  };
}

/** Stops the cluster's running postmaster (fast shutdown; immediate if it does not end in time). */
async function stopPostmaster(clusterDir: string): Promise<void> {
  const running = runningPostmaster(clusterDir);
  if (running === undefined) return;
  signal(running.pid, "SIGINT");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(running.pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(running.pid)) signal(running.pid, "SIGQUIT");
  // Then reaped by its parent (this process or init), normally at once.
  const reaped = Date.now() + 2000;
  while (processExists(running.pid) && Date.now() < reaped) await sleep(20);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function assertReachableOrThrow(runAs: { uid: number; gid: number; name: string }, target: string): void {
  try {
    execFileSync("test", ["-x", target], { uid: runAs.uid, gid: runAs.gid, stdio: "ignore" });
  } catch {
    throw StoreErrors.embeddedUnreachable.create(runAs.name, target);
  }
}

/** A loopback port that was free a moment ago (the server's bind is retried if it is taken). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function fileModified(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, offset: number): string {
  try {
    const buffer = fs.readFileSync(file);
    return buffer.subarray(offset).toString("utf8");
  } catch {
    return "";
  }
}

function lastLines(text: string): string {
  return text
    .split("\n")
    .filter((line) => /FATAL|PANIC|ERROR|HINT/.test(line))
    .slice(-3)
    .join(" | ");
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
