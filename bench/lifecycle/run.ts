// Lifecycle benchmark (issue 4): (1) rebuild of the lifecycle projection for the whole population
// (target: 1M persons <= 5 min), (2) departure event -> status visible through the engine, p99
// <= 250 ms at >= 2,000 events/s sustained, on the embedded database.
//
// Latency is measured from the departure row's arrival at the ingestor (`received_at`, before the
// group commit that stores it, so its wait for the batch counts) to the `PersonStatusChanged` event
// that commits in the same transaction as the person's new status (primary state DEPARTED). The projections run in a separate `passage serve`
// process, as in production; this process only streams the departures.
//
// Usage: npx tsx bench/lifecycle/run.ts [--persons N] [--rate R] [--seconds S] [--warmup-seconds W]
//   [--data-dir DIR]
// A data directory that already holds records is reused (no population is generated).
// "Sustained" is a long-running server's rate: the measured stream follows W seconds (default 5)
// of departures at the same rate, unmeasured, and the wait for the projections to apply them, so
// that V8 has compiled the handlers' hot code (a fresh process took about three times the CPU a
// person for its first few thousand). The warm-up's own figures are reported beside.
// PASSAGE_BENCH_PROFILE_DIR=DIR writes a CPU profile of the projections' process there;
// PASSAGE_BENCH_NODE_FLAGS="..." passes V8 flags to it (as bench/ingest does).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hasRecords, loadDemoPopulation, simulateDepartures } from "@passage/engine";
import { executeSql } from "@passage/store";
import { commandLineOption, openBenchApp, REPOSITORY_ROOT } from "../bench-app.ts";
import { percentileOf } from "../percentile.ts";
import { CLOCK_TICKS_PER_SECOND, postgresCpuSeconds, readProcessStat } from "../process-cpu.ts";

const root = REPOSITORY_ROOT;
const option = (name: string, fallback: string): string => commandLineOption(name) ?? fallback;

const persons = Number(option("persons", "1000000"));
const rate = Number(option("rate", "2000"));
const seconds = Number(option("seconds", "30"));
const warmupSeconds = Number(option("warmup-seconds", "5"));
const { app, dataDir } = await openBenchApp("passage-bench-lifecycle");
const results: Record<string, unknown> = {
  machine: machine(),
  persons,
  rate,
  seconds,
  warmupSeconds,
  dataDir,
};
let server: ReturnType<typeof spawn> | undefined;
try {
  if (!(await hasRecords(app))) {
    const started = Date.now();
    console.error(`populating ${persons} synthetic persons into ${dataDir}`);
    const actor = await app.access.commandLineActor(undefined);
    const report = await loadDemoPopulation(app, {
      access: app.access.forRequest({ actor, purpose: "benchmark", requestId: "bench-lifecycle" }),
      persons,
      seed: "bench",
      directory: path.join(dataDir, "population"),
      onProgress: throttled((step) =>
        console.error(`  ${step.step}${"feed" in step ? ` ${step.feed}` : ""} ${step.done}/${step.total}`),
      ),
    });
    results.population = { ...report, seconds: (Date.now() - started) / 1000 };
  }
  const [counted] = await executeSql<{ count: number }>(
    app.store.db,
    "SELECT count(*)::int AS count FROM person",
  );
  const personCount = counted!.count;
  results.personsInDatabase = personCount;

  console.error(`rebuilding the lifecycle projection of ${personCount} persons`);
  const cpuBefore = process.cpuUsage();
  const rebuildStarted = Date.now();
  const rebuilt = await app.lifecycle.rebuild();
  const rebuildSeconds = (Date.now() - rebuildStarted) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  results.rebuild = {
    persons: rebuilt.persons,
    seconds: rebuildSeconds,
    personsPerSecond: Math.round(rebuilt.persons / rebuildSeconds),
    nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
    targetSeconds: 300,
    scaledTo1MSeconds: (rebuildSeconds * 1_000_000) / Math.max(1, rebuilt.persons),
  };
  console.error(`  ${rebuilt.persons} persons in ${rebuildSeconds.toFixed(1)} s`);
  await app.worklist.rebuild();

  console.error("starting passage serve (runs the projections)");
  // PASSAGE_BENCH_PROFILE_DIR: a CPU profile of the projections' process, written when it stops.
  const profile = process.env.PASSAGE_BENCH_PROFILE_DIR;
  server = spawn(
    process.execPath,
    [
      ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []),
      // Extra V8 flags for experiments (e.g. "--max-semi-space-size=64"); none by default.
      ...(process.env.PASSAGE_BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
      path.join(root, "packages/cli/bin/passage.js"),
      "--data-dir",
      dataDir,
      "serve",
      "--port",
      "0",
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, PASSAGE_LOG_LEVEL: "warn" },
    },
  );
  await new Promise<void>((resolve, reject) => {
    server!.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("serving") && resolve());
    server!.once("exit", (code) => reject(new Error(`passage serve exited with ${code}`)));
  });

  if (warmupSeconds > 0) {
    console.error(`warming up: ${Math.round(rate * warmupSeconds)} departures, not measured`);
    results.warmup = await streamDepartures(Math.round(rate * warmupSeconds));
  }
  results.departures = await streamDepartures(Math.round(rate * seconds));
} finally {
  if (server && server.exitCode === null) {
    // Waited for: it stops its consumers and writes its profile (if asked) before it exits.
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await app.shutdown();
}

console.log(JSON.stringify(results, null, 2));
fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
fs.writeFileSync(path.join(root, "bench/results/lifecycle.json"), `${JSON.stringify(results, null, 2)}\n`);

/**
 * Streams `count` departures at the rate into the running `passage serve`, waits until the
 * projections have applied them, and measures each departure's delay to its status and the CPU
 * of the three parties.
 */
async function streamDepartures(count: number) {
  const [now] = await executeSql<{ start: string; position: string }>(
    app.store.db,
    "SELECT now()::text AS start, coalesce(max(position), 0)::text AS position FROM outbox_event",
  );
  const start = now!.start;
  // CPU of the three parties while the departures are sent and applied: what a departure costs,
  // a steadier figure than the rate on a shared machine.
  const cpuSeconds = () => {
    const projections = readProcessStat(server!.pid!);
    const sender = process.cpuUsage();
    return {
      projections: projections ? (projections.utime + projections.stime) / CLOCK_TICKS_PER_SECOND : undefined,
      database: postgresCpuSeconds(path.join(dataDir, "postgres")),
      sender: (sender.user + sender.system) / 1e6,
    };
  };
  const cpuBeforeStream = cpuSeconds();
  console.error(`streaming ${count} departures at ${rate}/s`);
  const sendStarted = Date.now();
  const sent = await simulateDepartures(app.store, { rate, count, selfReportShare: 0 });
  const sendSeconds = (Date.now() - sendStarted) / 1000;
  console.error(
    `  sent ${sent.sent} in ${sendSeconds.toFixed(1)} s (${Math.round(sent.sent / sendSeconds)}/s); waiting for the projections`,
  );

  const deadline = Date.now() + 120_000;
  // Not every departure changes a status (a person may have departed already), so the wait ends
  // when the count of status changes since the stream began has risen and then stood still for
  // 10 s. The CPU figures stop at the last poll that saw it rise, so the idle wait is left out.
  // Every 2 s, reading only the outbox's new events by position: a count over person_status
  // (as before) ran as a parallel scan, about 0.2 ms of PostgreSQL CPU a departure.
  let applied = 0;
  let stillSince = Date.now();
  let cpuAfterStream = cpuSeconds();
  while (Date.now() < deadline && (applied === 0 || Date.now() - stillSince < 10_000)) {
    const [row] = await executeSql<{ applied: number }>(
      app.store.db,
      `SELECT count(*)::int AS applied FROM outbox_event
       WHERE position > $1::bigint AND event_type = 'PersonStatusChanged'`,
      [now!.position],
    );
    if (row!.applied !== applied) {
      stillSince = Date.now();
      cpuAfterStream = cpuSeconds();
    }
    applied = row!.applied;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const latencies = await executeSql<{ milliseconds: number; since_start: number }>(
    app.store.db,
    // The first DEPARTED status event of each person since the stream began (one pass over the
    // outbox), then each simulated departure's delay to it.
    `WITH departed AS (
       SELECT partition_key AS person_id, min(created_at) AS created_at FROM outbox_event
       WHERE event_type = 'PersonStatusChanged' AND created_at >= $1::timestamptz
         AND payload->>'state' = 'DEPARTED'
       GROUP BY 1
     )
     SELECT extract(epoch FROM (d.created_at - r.received_at)) * 1000 AS milliseconds,
            extract(epoch FROM (d.created_at - $1::timestamptz))::float8 AS since_start
     FROM source_record r
     JOIN person_member m ON m.feed = r.feed AND m.key_value = r.key_value
     JOIN departed d ON d.person_id = m.person_id AND d.created_at >= r.received_at
     WHERE r.feed = 'departure' AND r.source_name = 'simulator:departures' AND r.received_at >= $1::timestamptz
     ORDER BY 1`,
    [start],
  );
  const values = latencies.map((row) => Number(row.milliseconds));
  // What the projections kept up with: the persons made DEPARTED over the time from the stream's
  // start to the last of them (below the offered rate, the backlog grows and so does latency).
  const appliedSeconds = latencies.reduce((latest, row) => Math.max(latest, Number(row.since_start)), 0);
  return {
    sent: sent.sent,
    rejected: sent.rejected,
    sendRatePerSecond: Math.round(sent.sent / sendSeconds),
    visible: values.length,
    appliedRatePerSecond: appliedSeconds > 0 ? Math.round(values.length / appliedSeconds) : null,
    // Departures that changed no status: the person had departed already, or it was not visible in time.
    withoutStatusChange: sent.sent - sent.rejected - values.length,
    latencyMilliseconds: {
      p50: percentile(values, 0.5),
      p95: percentile(values, 0.95),
      p99: percentile(values, 0.99),
      max: values.at(-1) ?? null,
    },
    // From the stream's start until the last status had stood still for 10 s (polling aside, idle).
    cpuMillisecondsPerDeparture: Object.fromEntries(
      (["projections", "database", "sender"] as const).map((party) => {
        const before = cpuBeforeStream[party];
        const after = cpuAfterStream[party];
        const perDeparture =
          before === undefined || after === undefined
            ? null
            : ((after - before) * 1000) / Math.max(1, sent.sent);
        return [party, perDeparture === null ? null : Math.round(perDeparture * 1000) / 1000];
      }),
    ),
    targets: { p99Milliseconds: 250, eventsPerSecond: 2000 },
  };
}

function percentile(sorted: number[], q: number): number | null {
  const value = percentileOf(sorted, q);
  return value === undefined ? null : Math.round(value * 10) / 10;
}

function machine() {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg(),
  };
}

function throttled<T>(report: (value: T) => void): (value: T) => void {
  let last = 0;
  return (value) => {
    if (Date.now() - last < 5000) return;
    last = Date.now();
    report(value);
  };
}
