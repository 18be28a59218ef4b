// Where the incremental pipeline spends its time per departure: streams departures into a
// populated database with no projections running, then drains each projection handler in
// pipeline order and reports its wall time per event and its Node and PostgreSQL CPU time per
// departure (the PostgreSQL figure counts all of the server's processes, background ones too).
//
// Usage: npx tsx bench/lifecycle/pipeline.ts [--data-dir DIR] [--persons N] [--count N] [--batch-size N]
//   [--rate R] [--warmup N] [--statement-cpu] [--profile DIR]
// --profile writes a V8 CPU profile of each handler's drain to DIR/<handler>.cpuprofile.
// A data directory that already holds records is reused (no population is generated); departures
// go to persons who have not departed, so each run on the same directory picks different ones.
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import {
  catchUpProjections,
  createOutboxConsumer,
  createProjectionHandlers,
  hasRecords,
  loadDemoPopulation,
  simulateDepartures,
  WHOLE_OUTBOX,
} from "@passage/engine";
import pg from "pg";
import { commandLineOption, openBenchApp } from "../bench-app.ts";
import { CLOCK_TICKS_PER_SECOND, postgresCpuSeconds, readProcessStat } from "../process-cpu.ts";

// Time spent per SQL statement (by its text), so the report shows which queries cost what; with
// --statement-cpu also the CPU its backend used meanwhile (from /proc, in 10 ms ticks: summed over
// many calls, a fair share; reading /proc twice a statement adds Node CPU, so it is left off by
// default).
const statements = new Map<string, { calls: number; milliseconds: number; backendTicks: number }>();
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
const statementCpu = process.argv.includes("--statement-cpu");
const backendTicks = (client: unknown): number => {
  if (!statementCpu) return 0;
  const stat = readProcessStat((client as { processID?: number }).processID ?? 0);
  return stat === undefined ? 0 : stat.utime + stat.stime;
};
pg.Client.prototype.query = function timedQuery(this: unknown, ...args: unknown[]) {
  const config = args[0] as string | { text?: string };
  const text = (typeof config === "string" ? config : (config?.text ?? "?"))
    .replace(/\s+/g, " ")
    .slice(0, 140);
  const result = originalQuery.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === "function") {
    const started = performance.now();
    const ticks = backendTicks(this);
    const done = () => {
      const entry = statements.get(text) ?? { calls: 0, milliseconds: 0, backendTicks: 0 };
      entry.calls++;
      entry.milliseconds += performance.now() - started;
      entry.backendTicks += backendTicks(this) - ticks;
      statements.set(text, entry);
    };
    (result as Promise<unknown>).then(done, done);
  }
  return result;
} as typeof pg.Client.prototype.query;

const count = Number(commandLineOption("count") ?? "3000");
const persons = Number(commandLineOption("persons") ?? "50000");
// Small batches show the fixed cost per transaction that a steady stream pays.
const batchSize = Number(commandLineOption("batch-size") ?? "500");
// Departures offered per second: the default sends them all at once (large ingest batches); 2000
// gives the small batches of a steady stream.
const rate = Number(commandLineOption("rate") ?? "100000");
// Departures sent and drained before the measured ones (0: measure a cold process).
const warmup = Number(commandLineOption("warmup") ?? "3000");
const profileDir = commandLineOption("profile");
const inspector = profileDir === undefined ? undefined : new Session();
if (inspector) {
  inspector.connect();
  await inspector.post("Profiler.enable");
  fs.mkdirSync(profileDir!, { recursive: true });
}
const { app, dataDir } = await openBenchApp("passage-bench-pipeline");
try {
  if (!(await hasRecords(app))) {
    console.error(`populating ${persons} synthetic persons into ${dataDir}`);
    const actor = await app.access.commandLineActor(undefined);
    await loadDemoPopulation(app, {
      access: app.access.forRequest({ actor, purpose: "benchmark", requestId: "bench-pipeline" }),
      persons,
      seed: "bench",
      directory: path.join(dataDir, "population"),
    });
  }
  console.error("catching up the projections");
  await catchUpProjections(app);
  // PostgreSQL's CPU (all its processes) beside Node's: on two shared cores, CPU per event is the
  // figure to compare between versions, not wall time.
  const clusterDir = path.join(dataDir, "postgres");
  const postgresSeconds = () => postgresCpuSeconds(clusterDir) ?? Number.NaN;
  const handlers = createProjectionHandlers({ config: app.config, db: app.store.db });
  const printStatements = () => {
    for (const [text, entry] of [...statements]
      .sort((a, b) => b[1].milliseconds - a[1].milliseconds)
      .slice(0, 12))
      console.error(
        `  ${Math.round(entry.milliseconds)} ms${statementCpu ? ` (backend CPU ${Math.round((entry.backendTicks * 1000) / CLOCK_TICKS_PER_SECOND)} ms)` : ""} ${entry.calls}x ${text}`,
      );
    statements.clear();
  };
  // A first round (unreported) lets the JIT compile the handlers' hot code, as in a serve process
  // that has run for a while: cold, deriving 3,000 persons cost about three times the CPU.
  if (warmup > 0) {
    console.error(`warming up with ${warmup} departures`);
    await simulateDepartures(app.store, { rate, count: warmup, selfReportShare: 0 });
    for (const handler of handlers)
      await createOutboxConsumer({ db: app.store.db, handler, partition: WHOLE_OUTBOX, batchSize }).drain();
  }
  statements.clear();
  const sendCpu = process.cpuUsage();
  const sendPostgres = postgresSeconds();
  const sendStarted = performance.now();
  const sent = await simulateDepartures(app.store, { rate, count, selfReportShare: 0 });
  const sendMilliseconds = performance.now() - sendStarted;
  const sendUsed = process.cpuUsage(sendCpu);
  const report: Record<string, unknown> = {};
  report.send = {
    events: sent.sent,
    milliseconds: Math.round(sendMilliseconds),
    nodeCpuMsPerEvent: +((sendUsed.user + sendUsed.system) / 1000 / sent.sent).toFixed(3),
    postgresCpuMsPerEvent: +(((postgresSeconds() - sendPostgres) * 1000) / sent.sent).toFixed(3),
  };
  console.error("send", JSON.stringify(report.send));
  printStatements();
  for (const handler of handlers) {
    let batches = 0;
    const consumer = createOutboxConsumer({
      db: app.store.db,
      handler,
      partition: WHOLE_OUTBOX,
      batchSize,
      onBatch: () => batches++,
    });
    await inspector?.post("Profiler.start");
    const cpu = process.cpuUsage();
    const postgres = postgresSeconds();
    const started = performance.now();
    const events = await consumer.drain();
    const milliseconds = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (inspector) {
      const { profile } = await inspector.post("Profiler.stop");
      fs.writeFileSync(path.join(profileDir!, `${handler.name}.cpuprofile`), JSON.stringify(profile));
    }
    const postgresMs = (postgresSeconds() - postgres) * 1000;
    report[handler.name] = {
      events,
      batches,
      milliseconds: Math.round(milliseconds),
      perEventMs: events ? +(milliseconds / events).toFixed(3) : null,
      nodeCpuMs: Math.round((used.user + used.system) / 1000),
      postgresCpuMs: Math.round(postgresMs),
      // Per departure sent (a handler's events may each carry several persons, or none).
      nodeCpuMsPerDeparture: +((used.user + used.system) / 1000 / sent.sent).toFixed(3),
      postgresCpuMsPerDeparture: +(postgresMs / sent.sent).toFixed(3),
    };
    console.error(handler.name, JSON.stringify(report[handler.name]));
    printStatements();
  }
  console.log(JSON.stringify(report, null, 2));
} finally {
  await app.shutdown();
}
