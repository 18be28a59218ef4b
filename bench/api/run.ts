// HTTP API benchmark (issue 6): person-with-status reads (`GET /api/v1/persons/{id}`: identity
// values with their sources, case records, the derived status, every read audited) against a real
// listening server over a populated database, at a fixed offered rate with autocannon. Target:
// p99 <= 20 ms at 500 requests/s with audit on. Writes bench/results/api.json.
// Usage: npx tsx bench/api/run.ts [--persons N] [--rate R] [--seconds S] [--connections C]
//          [--arrivals both|spread|burst]
// Arrivals: autocannon's rate limit lets each connection send its share of a second's requests
// back to back from the start of that second, all connections in step: `burst` is therefore 25
// requests in flight at once until the second's 500 are sent (about a fifth of the second), then
// nothing — a saturation test in lockstep, not a rate of 500 a second. `spread` runs one autocannon
// per connection, their seconds started evenly through the first, so the same 500 a second arrive
// spread over each second: the target's steady rate, and what the verdict is judged on. `both`
// (the default) measures spread, then burst, on the same server, and reports each; the burst
// figure is the stress figure beside the target's.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PersonsChanged } from "@passage/core";
import {
  catchUpProjections,
  createApp,
  createRowIngestor,
  loadConfigOrThrow,
  todayUtc,
} from "@passage/engine";
import { appendOutboxEvents, executeSql, outboxEventOf } from "@passage/store";
import autocannon from "autocannon";
import { removalCaseRows } from "../../packages/engine/src/worklist/testing/removal-cases.ts";
import { commandLineOption, positiveNumberOption } from "../command-line.ts";
import { CLOCK_TICKS_PER_SECOND, machineBusySeconds, readProcessStat } from "../process-cpu.ts";

const TARGET_P99_MS = 20;

/**
 * CPU time (ms) of a process and its descendants (the server and its embedded PostgreSQL), from
 * /proc: wall-clock latency on a shared 2-core machine is noisy, CPU per request is not.
 * Undefined where there is no /proc.
 */
function processTreeCpuMs(root: number): { server: number; database: number } | undefined {
  if (!fs.existsSync("/proc/self/stat")) return undefined;
  const processes = new Map<number, { parent: number; cpu: number }>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcessStat(Number(name));
    if (stat === undefined) continue;
    processes.set(stat.pid, {
      parent: stat.parent,
      cpu: ((stat.utime + stat.stime) * 1000) / CLOCK_TICKS_PER_SECOND,
    });
  }
  const within = (pid: number): boolean => {
    for (let current = pid; current > 1; current = processes.get(current)?.parent ?? 0) {
      if (current === root) return true;
    }
    return false;
  };
  let database = 0;
  for (const [pid, { cpu }] of processes) if (pid !== root && within(pid)) database += cpu;
  return { server: processes.get(root)?.cpu ?? 0, database };
}
const TARGET_RATE = 500;

/** Percentiles (nearest rank) of latencies in ms, rounded to 0.1 ms. */
function percentilesOf(latencies: number[]): {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
} {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const mean = sorted.reduce((total, value) => total + value, 0) / Math.max(1, sorted.length);
  return {
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(at(1)),
    mean: round(mean),
  };
}

const persons = positiveNumberOption("persons", 5_000);
const rate = positiveNumberOption("rate", TARGET_RATE);
const seconds = positiveNumberOption("seconds", 30);
const connections = positiveNumberOption("connections", 25);
const ARRIVALS = ["both", "spread", "burst"] as const;
type Arrivals = "spread" | "burst";
const arrivalsOption = commandLineOption("arrivals") ?? "both";
if (!ARRIVALS.includes(arrivalsOption as (typeof ARRIVALS)[number])) {
  throw new Error(`--arrivals must be one of ${ARRIVALS.join(", ")}`);
}
/** The verdict's pattern first: the target is a steady rate. */
const patterns: Arrivals[] = arrivalsOption === "both" ? ["spread", "burst"] : [arrivalsOption as Arrivals];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-bench-api-"));
fs.chmodSync(directory, 0o755);
const dataDir = path.join(directory, "data");
const log = (text: string) => process.stderr.write(`${text}\n`);

const app = await createApp(
  loadConfigOrThrow({ cwd: directory, env: process.env, overrides: { dataDir, logLevel: "warn" } }),
);
try {
  // A population of removal cases: records ingested through the row ingestor (group commit),
  // linked as linkage would, then derived by the lifecycle projection.
  const started = performance.now();
  const ingestor = createRowIngestor({ pool: app.store.pool, sourceName: "bench" });
  const asOf = todayUtc();
  const ids: string[] = [];
  const members: { feed: string; key: string; person: string }[] = [];
  const keyFields: Record<string, string> = {
    admission: "i94_number",
    court: "court_event_id",
    custody: "booking_id",
    travel_document: "td_id",
    conviction: "disposition_id",
  };
  const pending: Promise<unknown>[] = [];
  for (let number = 1; number <= persons; number++) {
    const personId = `P-${String(number).padStart(7, "0")}`;
    ids.push(personId);
    const rows = removalCaseRows({
      number,
      asOf,
      custody: number % 2 === 0 ? { facility: "STWRTGA", sinceDays: -30 } : undefined,
      travelDocument: number % 3 === 0 ? { country: "GTM", issuedDays: -5, validToDays: 60 } : undefined,
      aggravatedFelony: number % 7 === 0,
    });
    for (const [feed, row] of rows) {
      pending.push(ingestor.ingest(feed, row));
      members.push({ feed, key: row[keyFields[feed]!]!, person: personId });
    }
    if (pending.length >= 5_000) {
      await ingestor.flush();
      await Promise.all(pending.splice(0));
    }
  }
  await ingestor.flush();
  await Promise.all(pending);
  await ingestor.close();
  await app.store.db.transaction().execute(async (transaction) => {
    await executeSql(transaction, "INSERT INTO person (person_id) SELECT unnest($1::text[])", [ids]);
    await executeSql(
      transaction,
      "INSERT INTO person_member (feed, key_value, person_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING",
      [
        members.map((member) => member.feed),
        members.map((member) => member.key),
        members.map((member) => member.person),
      ],
    );
    await executeSql(
      transaction,
      "INSERT INTO case_assignment (person_id, office, updated_by) SELECT unnest($1::text[]), 'HQ', 'bench'",
      [ids],
    );
    for (let start = 0; start < ids.length; start += 10_000) {
      const slice = ids.slice(start, start + 10_000);
      await appendOutboxEvents(transaction, [
        outboxEventOf(PersonsChanged, slice[0]!, {
          personIds: slice,
          retiredPersonIds: [],
          reason: "batch_link",
        }),
      ]);
    }
  });
  while ((await catchUpProjections(app)).applied > 0);
  // Statistics, as a database in service has them: otherwise autovacuum gathers them after the bulk
  // load, during the measurement, and plans made before then are guesses.
  await app.store.pool.query("ANALYZE");
  const populateSeconds = (performance.now() - started) / 1000;
  log(`populated ${persons} persons (${members.length} records) in ${populateSeconds.toFixed(1)} s`);

  // One officer per connection, as many users would be: the server limits each actor to
  // SERVER_DEFAULTS.rateLimitPerMinute, which one token at 500 requests/s would exceed.
  const tokens: string[] = [];
  for (let officer = 0; officer < connections; officer++) {
    const username = `bench.officer.${officer}`;
    await app.access.accounts.createUser({
      username,
      displayName: `Bench ${officer}`,
      roles: ["removal_officer"],
      office: "HQ",
    });
    tokens.push((await app.access.accounts.createApiToken(username, "bench")).token);
  }
  const auditBefore = await app.access.auditRepository.recordedSize();
  await app.shutdown();

  // The server runs as `passage serve` in its own process, as deployed: the load generator must
  // not share its event loop.
  const profile = process.env.PASSAGE_BENCH_PROFILE_DIR;
  const service = spawn(
    process.execPath,
    [
      ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []),
      // Extra V8 flags for experiments (e.g. "--max-semi-space-size=64"), as bench/ingest takes.
      ...(process.env.PASSAGE_BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
      path.join(root, "packages/cli/bin/passage.js"),
      "serve",
      "--port",
      "0",
      "--json",
    ],
    {
      cwd: directory,
      env: { ...process.env, PASSAGE_DATA_DIR: dataDir, PASSAGE_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    service.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      try {
        resolve(JSON.parse(text).url);
      } catch {
        // not the whole document yet
      }
    });
    service.on("exit", (code) => reject(new Error(`passage serve exited ${code}`)));
  });
  // Persons in a scattered order; officers in turn. (The officer was once the person's number
  // modulo the officers, which that order cycles through only a few of: with 10 officers, 2.)
  let next = 0;
  let sent = 0;
  const requests: autocannon.Request[] = [
    {
      method: "GET",
      setupRequest: (request) => {
        next = (next * 7919 + 1) % persons;
        return {
          ...request,
          headers: {
            authorization: `Bearer ${tokens[sent++ % tokens.length]}`,
            "x-passage-purpose": "benchmark",
          },
          path: `/api/v1/persons/${ids[next]}`,
        };
      },
    },
  ];
  /** One autocannon run; every response's latency goes into `latencies` as it arrives. */
  const cannon = (options: autocannon.Options, latencies: number[]) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
      instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
  const run = async (arrivals: Arrivals, duration: number, offered: number) => {
    const latencies: number[] = [];
    if (arrivals === "burst") {
      const result = await cannon({ url, connections, overallRate: offered, duration, requests }, latencies);
      return { results: [result], latencies };
    }
    // At least one request a second on each connection (autocannon refuses a connectionRate of 0),
    // as autocannon itself caps its connections at overallRate in burst arrivals.
    const used = Math.min(connections, Math.floor(offered));
    const results = await Promise.all(
      Array.from({ length: used }, async (_, connection) => {
        await new Promise((resolve) => setTimeout(resolve, (connection * 1000) / used));
        const share = Math.floor(offered / used) + (connection < offered % used ? 1 : 0);
        return cannon({ url, connections: 1, connectionRate: share, duration, requests }, latencies);
      }),
    );
    return { results, latencies };
  };
  /** One arrival pattern: a warm-up, then the measurement and its figures. */
  const measure = async (arrivals: Arrivals) => {
    log(`${arrivals} arrivals: warming up (5 s)`);
    await run(arrivals, 5, rate);
    log(
      `measuring: ${rate} requests/s offered for ${seconds} s over ${connections} connections, ${arrivals} arrivals`,
    );
    // Scraping resets the event-loop delay histogram, so the second scrape covers the measurement.
    const runtimeBefore = await serverRuntime(url);
    const cpuBefore = processTreeCpuMs(service.pid!);
    const loadCpuBefore = process.cpuUsage();
    const busyBefore = machineBusySeconds();
    const measuringSince = performance.now();
    const measured = await run(arrivals, seconds, rate);
    const runtimeAfter = await serverRuntime(url);
    const cpuAfter = processTreeCpuMs(service.pid!);
    const loadCpu = process.cpuUsage(loadCpuBefore);
    const busyAfter = machineBusySeconds();
    const coreMs = (performance.now() - measuringSince) * os.cpus().length;
    const sum = (of: (result: autocannon.Result) => number) =>
      measured.results.reduce((total, result) => total + of(result), 0);
    const total = sum((result) => result.requests.total);
    const perRequest = (ms: number) => Math.round((ms / Math.max(1, total)) * 1000) / 1000;
    const cpuMsPerRequest =
      cpuBefore && cpuAfter
        ? {
            server: perRequest(cpuAfter.server - cpuBefore.server),
            database: perRequest(cpuAfter.database - cpuBefore.database),
            loadGenerator: perRequest((loadCpu.user + loadCpu.system) / 1000),
          }
        : undefined;
    // Shares of all the cores' time during the measurement: busy in all, and busy with other work.
    const ownMs =
      cpuBefore && cpuAfter
        ? cpuAfter.server -
          cpuBefore.server +
          cpuAfter.database -
          cpuBefore.database +
          (loadCpu.user + loadCpu.system) / 1000
        : undefined;
    // What the machine spent busy, less this run's own processes: what other work took meanwhile.
    const busyMs =
      busyBefore !== undefined && busyAfter !== undefined ? (busyAfter - busyBefore) * 1000 : undefined;
    const machineCpu =
      busyMs !== undefined && ownMs !== undefined
        ? {
            busyPercent: Math.round((100 * busyMs) / coreMs),
            otherWorkPercent: Math.max(0, Math.round((100 * (busyMs - ownMs)) / coreMs)),
          }
        : undefined;
    const non2xx = sum((result) => result.non2xx);
    const errors = sum((result) => result.errors);
    const perResponse = percentilesOf(measured.latencies);
    const first = measured.results[0]!;
    // autocannon's own summary (one instance: burst arrivals only). With a rate set it records each
    // response of L ms with about L extra values below it (coordinated-omission correction with an
    // expected interval of 1 ms), which pulls p50 down and weights percentiles by latency.
    const latencyMs =
      arrivals === "burst"
        ? {
            p50: first.latency.p50,
            p90: first.latency.p90,
            p99: first.latency.p99,
            max: first.latency.max,
            mean: first.latency.average,
          }
        : undefined;
    return {
      arrivals,
      requests: total,
      achievedRate: Math.round(total / seconds),
      non2xx,
      errors,
      timeouts: sum((result) => result.timeouts),
      latencyMs,
      // Every response's own latency, each counted once.
      latencyMsPerResponse: perResponse,
      cpuMsPerRequest,
      machineCpu,
      // The server's own view (its Prometheus metrics): event-loop delay over the measurement, and
      // garbage collection by kind (pauses and their total), where the latency tail usually lies.
      server: {
        eventLoopDelayMs: runtimeAfter.eventLoopDelayMs,
        garbageCollection: gcDuring(runtimeBefore.gc, runtimeAfter.gc),
      },
      meetsTarget:
        Math.max(perResponse.p99, latencyMs?.p99 ?? 0) <= TARGET_P99_MS &&
        rate >= TARGET_RATE &&
        non2xx === 0 &&
        errors === 0,
    };
  };
  const runs: Awaited<ReturnType<typeof measure>>[] = [];
  for (const arrivals of patterns) runs.push(await measure(arrivals));
  const stopped = new Promise((resolve) => service.once("exit", resolve));
  service.kill("SIGTERM");
  await stopped;
  const reopened = await createApp(
    loadConfigOrThrow({ cwd: directory, env: process.env, overrides: { dataDir, logLevel: "warn" } }),
  );
  const auditAfter = await reopened.access.auditRepository.recordedSize();
  await reopened.shutdown();
  const verdict = runs[0]!;
  const figures = {
    benchmark: "api person-with-status read",
    target: { p99Ms: TARGET_P99_MS, rate: TARGET_RATE, judgedOn: verdict.arrivals },
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? "",
      loadAverage: os.loadavg(),
      node: process.version,
    },
    population: { persons, records: members.length, populateSeconds: Math.round(populateSeconds * 10) / 10 },
    offeredRate: rate,
    seconds,
    connections,
    runs,
    // Every entry the server appended over every run (warm-ups and token checks included): audit was on.
    auditEntriesAppended: auditAfter - auditBefore,
    meetsTarget: verdict.meetsTarget,
  };
  for (const measured of runs) {
    const own = measured.latencyMsPerResponse;
    const cpu = measured.cpuMsPerRequest;
    const role =
      measured === verdict
        ? `target p99 <= ${TARGET_P99_MS} ms at ${TARGET_RATE} req/s: ${measured.meetsTarget ? "met" : "NOT met"}`
        : `stress figure (lockstep bursts), p99 <= ${TARGET_P99_MS} ms: ${measured.meetsTarget ? "yes" : "no"}`;
    console.log(
      `person-with-status read, ${measured.arrivals} arrivals: ${measured.latencyMs ? `autocannon p50 ${measured.latencyMs.p50} ms, p90 ${measured.latencyMs.p90} ms, p99 ${measured.latencyMs.p99} ms, max ${measured.latencyMs.max} ms; ` : ""}per response p50 ${own.p50} ms, p90 ${own.p90} ms, p99 ${own.p99} ms, max ${own.max} ms; ${measured.achievedRate} req/s achieved (${rate} offered); non-2xx ${measured.non2xx}, errors ${measured.errors}; CPU per request: ${cpu ? `server ${cpu.server} ms, database ${cpu.database} ms, load generator ${cpu.loadGenerator} ms` : "n/a"}${measured.machineCpu ? `; cores ${measured.machineCpu.busyPercent}% busy, ${measured.machineCpu.otherWorkPercent}% with other work` : ""}; ${role}`,
    );
    const loop = measured.server.eventLoopDelayMs;
    console.log(
      `  server during it: event-loop delay p50 ${loop.p50} ms, p99 ${loop.p99} ms, max ${loop.max} ms; garbage collection ${Object.entries(
        measured.server.garbageCollection,
      )
        .map(([kind, gc]) => `${kind} ${gc.pauses} pauses ${gc.totalMs} ms`)
        .join(", ")}`,
    );
  }
  console.log(
    `audit entries appended over the runs: +${figures.auditEntriesAppended}; load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
  fs.writeFileSync(path.join(root, "bench/results/api.json"), `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await app.shutdown();
  fs.rmSync(directory, { recursive: true, force: true });
}

interface ServerRuntime {
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly gc: ReadonlyMap<string, { readonly count: number; readonly seconds: number }>;
}

/** The server's event-loop delay (since the previous scrape) and garbage collection totals. */
async function serverRuntime(base: string): Promise<ServerRuntime> {
  const text = await (await fetch(`${base}/api/v1/metrics`)).text();
  const value = (name: string) => {
    const match = new RegExp(`^passage_${name} (\\S+)$`, "m").exec(text);
    return match ? Math.round(Number(match[1]) * 1e4) / 10 : Number.NaN;
  };
  const gc = new Map<string, { count: number; seconds: number }>();
  for (const match of text.matchAll(
    /^passage_nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} (\S+)$/gm,
  )) {
    const entry = gc.get(match[2]!) ?? { count: 0, seconds: 0 };
    if (match[1] === "sum") entry.seconds = Number(match[3]);
    else entry.count = Number(match[3]);
    gc.set(match[2]!, entry);
  }
  return {
    eventLoopDelayMs: {
      p50: value("nodejs_eventloop_lag_p50_seconds"),
      p99: value("nodejs_eventloop_lag_p99_seconds"),
      max: value("nodejs_eventloop_lag_max_seconds"),
    },
    gc,
  };
}

function gcDuring(
  before: ServerRuntime["gc"],
  after: ServerRuntime["gc"],
): Record<string, { pauses: number; totalMs: number }> {
  const during: Record<string, { pauses: number; totalMs: number }> = {};
  for (const [kind, total] of after) {
    const earlier = before.get(kind) ?? { count: 0, seconds: 0 };
    during[kind] = {
      pauses: total.count - earlier.count,
      totalMs: Math.round((total.seconds - earlier.seconds) * 1e4) / 10,
    };
  }
  return during;
}
