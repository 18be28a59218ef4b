// Where the incremental pipeline spends its time per departure: streams departures into a
// populated database with no projections running, then drains each projection handler in
// pipeline order and reports its wall and Node CPU time per event.
//
// Usage: npx tsx bench/lifecycle/pipeline.ts [--data-dir DIR] [--persons N] [--count N] [--batch-size N]
// A data directory that already holds records is reused (no population is generated); departures
// go to persons who have not departed, so each run on the same directory picks different ones.
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

// Time spent per SQL statement (by its text), so the report shows which queries cost what.
const statements = new Map<string, { calls: number; milliseconds: number }>();
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function timedQuery(this: unknown, ...args: unknown[]) {
  const config = args[0] as string | { text?: string };
  const text = (typeof config === "string" ? config : (config?.text ?? "?"))
    .replace(/\s+/g, " ")
    .slice(0, 140);
  const result = originalQuery.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === "function") {
    const started = performance.now();
    const done = () => {
      const entry = statements.get(text) ?? { calls: 0, milliseconds: 0 };
      entry.calls++;
      entry.milliseconds += performance.now() - started;
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
  const sent = await simulateDepartures(app.store, { rate: 100_000, count, selfReportShare: 0 });
  console.error(`sent ${sent.sent} departures`);
  const handlers = createProjectionHandlers({ config: app.config, db: app.store.db });
  const report: Record<string, unknown> = {};
  statements.clear();
  for (const handler of handlers) {
    let batches = 0;
    const consumer = createOutboxConsumer({
      db: app.store.db,
      handler,
      partition: WHOLE_OUTBOX,
      batchSize,
      onBatch: () => batches++,
    });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const events = await consumer.drain();
    const milliseconds = performance.now() - started;
    const used = process.cpuUsage(cpu);
    report[handler.name] = {
      events,
      batches,
      milliseconds: Math.round(milliseconds),
      perEventMs: events ? +(milliseconds / events).toFixed(3) : null,
      nodeCpuMs: Math.round((used.user + used.system) / 1000),
    };
    console.error(handler.name, JSON.stringify(report[handler.name]));
    for (const [text, entry] of [...statements]
      .sort((a, b) => b[1].milliseconds - a[1].milliseconds)
      .slice(0, 12))
      console.error(`  ${Math.round(entry.milliseconds)} ms ${entry.calls}x ${text}`);
    statements.clear();
  }
  console.log(JSON.stringify(report, null, 2));
} finally {
  await app.shutdown();
}
