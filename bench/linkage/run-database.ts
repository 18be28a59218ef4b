// Linkage through the database (issue 3, database phase): generates a `passage synth` population
// of about N linkage records, ingests it into a fresh embedded PostgreSQL, runs `passage link`
// end to end (read the records table, the engine, write persons, pairs, blocking index, review
// queue, identity issues and search projection), then links held-out records incrementally
// through the `linkage` outbox handler: sustained records/s with batches of 500 events, and
// per-record latency (one record committed, then the handler's catch-up timed) p50/p99.
// Targets on a 2-core machine: engine part of the batch <= 60 s for 1M records (the database
// read and write are reported separately), incremental p99 <= 25 ms, >= 1,000 records/s.
// Usage: npx tsx bench/linkage/run-database.ts [--records N] [--latency N] [--seed S] [--keep]
// Writes bench/results/linkage-database.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createAccess, LOCAL_OPERATOR } from "@passage/access";
import {
  createConsumerRunner,
  createLinkageHandler,
  createLinkageService,
  createModelCache,
  createRowIngestor,
  ingestFile,
  readLinkageTruthFileOrThrow,
  writeSyntheticPopulation,
} from "@passage/engine";
import { type Database, openStore } from "@passage/store";
import { parse } from "csv-parse/sync";
import { Kysely, PostgresDialect } from "kysely";
import { commandLineOption, wholeNumberOption } from "../command-line.ts";
import { percentileOf } from "../percentile.ts";

const TARGET_ENGINE_SECONDS = 60;
const TARGET_P99_MS = 25;
const TARGET_PER_SECOND = 1_000;
/** Linkage records (feed keys) per person of `passage synth` at default settings (measured). */
const RECORDS_PER_PERSON = 4.4;
/** Rows held out for the incremental throughput run: 1 in this many of each feed. */
const THROUGHPUT_EVERY = 200;

const records = wholeNumberOption("records", 1_000_000, 1);
const latencyRecords = wholeNumberOption("latency", 1_000, 1);
const seed = commandLineOption("seed") ?? "1";
const keep = process.argv.includes("--keep");
const here = path.dirname(fileURLToPath(import.meta.url));
const resultFile = path.resolve(here, "../results/linkage-database.json");
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-bench-linkage-db-"));
fs.chmodSync(directory, 0o755);
const seconds = (since: number) => (performance.now() - since) / 1000;
const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const percentile = (sorted: readonly number[], fraction: number) => percentileOf(sorted, fraction) ?? 0;
const log = (text: string) => console.error(`[linkage-db] ${text}`);

// 1. The population, as `passage synth` writes it.
const persons = Math.max(50, Math.round(records / RECORDS_PER_PERSON));
log(`generating ${persons} persons (about ${records} records) in ${directory}`);
let mark = performance.now();
const synthDir = path.join(directory, "synth");
await writeSyntheticPopulation({ outDir: synthDir, synth: { persons, seed } });
const generateSeconds = seconds(mark);

// 2. Held-out rows: a throughput set and a latency set, spread through every feed.
const base: { feed: string; file: string }[] = [];
const arrivals: { feed: string; file: string }[] = [];
const latencyRows: { feed: string; row: Record<string, string> }[] = [];
const latencyEvery = Math.max(2, Math.floor((records * 1.1) / latencyRecords));
for (const name of fs.readdirSync(synthDir).filter((file) => file.endsWith(".csv") && file !== "truth.csv")) {
  const feed = name.replace(/\.csv$/, "");
  const [header, ...rows] = fs.readFileSync(path.join(synthDir, name), "utf8").trimEnd().split("\n");
  const kept: string[] = [header!];
  const held: string[] = [header!];
  rows.forEach((line, index) => {
    if (feed !== "flight" && index % latencyEvery === latencyEvery - 1) {
      latencyRows.push({
        feed,
        row: (parse(`${header}\n${line}\n`, { columns: true }) as Record<string, string>[])[0]!,
      });
    } else if (feed !== "flight" && index % THROUGHPUT_EVERY === 11) held.push(line);
    else kept.push(line);
  });
  fs.writeFileSync(path.join(directory, `${feed}.base.csv`), `${kept.join("\n")}\n`);
  fs.writeFileSync(path.join(directory, `${feed}.arrivals.csv`), `${held.join("\n")}\n`);
  base.push({ feed, file: path.join(directory, `${feed}.base.csv`) });
  arrivals.push({ feed, file: path.join(directory, `${feed}.arrivals.csv`) });
}
const truth = await readLinkageTruthFileOrThrow(path.join(synthDir, "truth.csv"));

const store = await openStore({ dataDir: path.join(directory, "data") });
const access = createAccess({ database: store, dataDir: path.join(directory, "data") });
const operator = access.forRequest({
  actor: LOCAL_OPERATOR,
  purpose: "benchmark",
  requestId: "bench-linkage-db",
});
try {
  // 3. Ingest the base population.
  log("ingesting");
  mark = performance.now();
  let rowsIngested = 0;
  for (const { feed, file } of base) rowsIngested += (await ingestFile({ pool: store.pool, feed, file })).new;
  const ingestSeconds = seconds(mark);
  log(`ingested ${rowsIngested} rows in ${ingestSeconds.toFixed(1)} s`);

  // 4. passage link, end to end through the database.
  const linkage = createLinkageService({ store });
  const cpuBefore = cpuSeconds();
  mark = performance.now();
  const report = await linkage.linkAll(operator, {
    truth,
    onProgress: (phase, done) => log(done === undefined ? phase : `${phase} ${done}`),
  });
  const batchWall = seconds(mark);
  const batchCpu = cpuSeconds() - cpuBefore;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const evaluation = report.evaluation!;
  log(
    `linked ${report.records} records into ${report.persons} persons: engine ${report.seconds.engine.toFixed(1)} s, ` +
      `read ${report.seconds.read.toFixed(1)} s, prepare ${report.seconds.prepare.toFixed(1)} s, write ${report.seconds.write.toFixed(1)} s`,
  );

  // 5. Incremental: the held-out rows through the handler, as the projection runner applies them.
  log("ingesting the held-out rows");
  mark = performance.now();
  for (const { feed, file } of arrivals) await ingestFile({ pool: store.pool, feed, file });
  const arrivalIngestSeconds = seconds(mark);
  const actions: Record<string, number> = {};
  let linkedRecords = 0;
  const handler = createLinkageHandler(createModelCache(), (changes) => {
    for (const decision of changes.decisions) actions[decision.action] = (actions[decision.action] ?? 0) + 1;
    linkedRecords += changes.decisions.length;
  });
  // The handler's statements timed one by one (Kysely's query log), to show where the time goes.
  const statements = new Map<string, { count: number; milliseconds: number }>();
  let profiling = false;
  const profiled = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: store.pool }),
    log(event) {
      if (!profiling || event.level !== "query") return;
      const name = event.query.sql.replace(/\s+/g, " ").trim().slice(0, 90);
      const entry = statements.get(name) ?? { count: 0, milliseconds: 0 };
      entry.count += 1;
      entry.milliseconds += event.queryDurationMillis;
      statements.set(name, entry);
    },
  });
  const runner = createConsumerRunner({
    db: profiled,
    pool: store.pool,
    handlers: [handler],
    batchSize: 500,
  });
  const throughputCpuBefore = cpuSeconds();
  mark = performance.now();
  const throughput = await runner.catchUp();
  const throughputSeconds = seconds(mark);
  const throughputCpu = cpuSeconds() - throughputCpuBefore;
  const throughputRecords = linkedRecords;
  log(
    `incremental: ${linkedRecords} records (${throughput.applied} events) in ${throughputSeconds.toFixed(2)} s`,
  );

  log(`latency: ${latencyRows.length} records one at a time`);
  const ingestor = createRowIngestor({ pool: store.pool, sourceName: "bench latency", maxDelayMs: 0 });
  const latencies: number[] = [];
  profiling = true;
  for (const { feed, row } of latencyRows) {
    const outcome = await ingestor.ingest(feed, row);
    if (outcome.outcome === "rejected") continue;
    const started = performance.now();
    await runner.catchUp();
    latencies.push(performance.now() - started);
  }
  profiling = false;
  await ingestor.close();
  latencies.sort((a, b) => a - b);
  const latencyTotal = latencies.reduce((sum, value) => sum + value, 0);
  const sqlTotal = [...statements.values()].reduce((sum, entry) => sum + entry.milliseconds, 0);
  const profile = {
    perRecordMilliseconds: latencyTotal / Math.max(1, latencies.length),
    sqlShare: sqlTotal / Math.max(1, latencyTotal),
    statementsPerRecord:
      [...statements.values()].reduce((sum, entry) => sum + entry.count, 0) / Math.max(1, latencies.length),
    statements: [...statements]
      .sort((a, b) => b[1].milliseconds - a[1].milliseconds)
      .slice(0, 25)
      .map(([sql, entry]) => ({
        sql,
        count: entry.count,
        milliseconds: Math.round(entry.milliseconds * 10) / 10,
      })),
  };

  const result = {
    benchmark: "linkage-database",
    machine: {
      cpus: os.availableParallelism(),
      model: os.cpus()[0]?.model ?? "unknown",
      loadAverage: os.loadavg(),
    },
    node: process.version,
    population: { persons, seed, records: report.records, rowsIngested, generateSeconds, ingestSeconds },
    batch: {
      records: report.records,
      persons: report.persons,
      threads: report.threads,
      wallSeconds: batchWall,
      cpuSecondsOfThisProcess: batchCpu,
      seconds: report.seconds,
      enginePhasesMilliseconds: report.enginePhases,
      writePhasesMilliseconds: report.writePhases,
      autoLinkPairs: report.autoLinkPairs,
      reviewBandPairs: report.reviewBandPairs,
      reviewItems: report.reviewItems,
      reviewReasons: report.reviewReasons,
      personsWithIdentityIssues: report.personsWithIdentityIssues,
      peakRssBytes,
    },
    accuracy: {
      pairwise: evaluation.pairwise,
      clusters: evaluation.clusters,
      reviewBand: evaluation.reviewBand,
    },
    incremental: {
      populationRecords: report.records,
      throughput: {
        records: throughputRecords,
        events: throughput.applied,
        seconds: throughputSeconds,
        recordsPerSecond: throughputRecords / throughputSeconds,
        cpuSecondsOfThisProcess: throughputCpu,
        ingestSeconds: arrivalIngestSeconds,
        actions,
      },
      latency: {
        records: latencies.length,
        p50Milliseconds: percentile(latencies, 0.5),
        p99Milliseconds: percentile(latencies, 0.99),
        maxMilliseconds: latencies.at(-1) ?? 0,
        profile,
      },
    },
    targets: {
      engineSeconds: {
        target: TARGET_ENGINE_SECONDS,
        value: report.seconds.engine,
        met: report.seconds.engine <= TARGET_ENGINE_SECONDS,
      },
      incrementalP99Milliseconds: {
        target: TARGET_P99_MS,
        value: percentile(latencies, 0.99),
        met: percentile(latencies, 0.99) <= TARGET_P99_MS,
      },
      incrementalRecordsPerSecond: {
        target: TARGET_PER_SECOND,
        value: throughputRecords / throughputSeconds,
        met: throughputRecords / throughputSeconds >= TARGET_PER_SECOND,
      },
    },
  };
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });
  fs.writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    [
      `records=${report.records} persons=${report.persons} threads=${report.threads}`,
      `batch: engine=${report.seconds.engine.toFixed(1)}s read=${report.seconds.read.toFixed(1)}s prepare=${report.seconds.prepare.toFixed(1)}s write=${report.seconds.write.toFixed(1)}s wall=${batchWall.toFixed(1)}s peak_rss=${(peakRssBytes / 1024 ** 3).toFixed(2)}GiB`,
      `accuracy: precision=${evaluation.pairwise.precision?.toFixed(6) ?? "n/a"} recall=${evaluation.pairwise.recall?.toFixed(6) ?? "n/a"} f1=${evaluation.pairwise.f1?.toFixed(6) ?? "n/a"} merges_with_different_a_numbers=${evaluation.clusters.mergesWithConflictingIdentifiers}`,
      `incremental: ${(throughputRecords / throughputSeconds).toFixed(0)} records/s over ${throughputRecords} records; latency p50=${percentile(latencies, 0.5).toFixed(2)}ms p99=${percentile(latencies, 0.99).toFixed(2)}ms (${latencies.length} records)`,
      `written to ${path.relative(process.cwd(), resultFile)}`,
    ].join("\n"),
  );
} finally {
  await access.close();
  await store.close();
  if (!keep) fs.rmSync(directory, { recursive: true, force: true });
}
