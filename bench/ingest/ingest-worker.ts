// The process whose throughput and peak memory the ingest benchmark measures: it ingests the
// files named on its command line (FEED=FILE ...) into DATABASE_URL through the same
// `ingestFile` the CLI uses, then prints one JSON line with its figures on stdout.
import { type IngestSummary, ingestFile } from "@passage/engine";
import { openDatabase } from "@passage/store";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL must name the benchmark database");
const batchSize = process.env.PASSAGE_BENCH_BATCH_SIZE
  ? Number(process.env.PASSAGE_BENCH_BATCH_SIZE)
  : undefined;
const database = await openDatabase(url, { maxConnections: 4 });
const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const summaries: Array<IngestSummary & { seconds: number }> = [];
for (const argument of process.argv.slice(2)) {
  const [feed, file] = argument.split("=") as [string, string];
  const fileStarted = process.hrtime.bigint();
  const summary = await ingestFile({ pool: database.pool, feed, file, batchSize });
  summaries.push({ ...summary, seconds: Number(process.hrtime.bigint() - fileStarted) / 1e9 });
  process.stderr.write(
    `  ${feed}: read=${summary.read} new=${summary.new} rejected=${summary.rejected} in ${summaries.at(-1)!.seconds.toFixed(1)} s\n`,
  );
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
await database.close();
// maxRSS is in KiB on Linux: the peak resident set of this process over its whole life.
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds, maxRssKiB: process.resourceUsage().maxRSS, summaries })}\n`,
);
