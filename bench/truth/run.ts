// Lifecycle against the synthetic ground truth (issue 4 "Must show") and truly barred persons on
// worklists and manifests (issue 5 "Must show"), on the embedded database:
// generate a population with its truth (default noise), ingest every feed, link (`passage link`),
// derive every status as of the truth's date, build the worklist (active policy, and both example
// policies ranked on the fly) and a 30-day transport plan over the synthetic flights; then compare
// every person's derived status with the truth, classify every mismatch (linkage error,
// deliberately ambiguous record, engine disagreement), and count persons whose TRUE state carries
// a §1.9 blocker or a gate that are on any worklist or manifest. Then (unless --review no) it works
// the review queue as a reviewer who knows the truth would, through the officers' review
// decisions, and derives, lists and compares again: the figures once human review is done.
//
// Usage: npx tsx bench/truth/run.ts [--persons N] [--seed S] [--as-of YYYY-MM-DD] [--data-dir DIR]
//   [--review yes|no]
// Writes bench/results/truth.json (`npm run bench -- truth`).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hasRecords, runSyntheticTruthTrial } from "@passage/engine";
import { commandLineOption, openBenchApp, REPOSITORY_ROOT } from "../bench-app.ts";

const root = REPOSITORY_ROOT;
const option = (name: string, fallback: string): string => commandLineOption(name) ?? fallback;

const persons = Number(option("persons", "20000"));
const seed = option("seed", "truth");
// A fixed reference date, so figures are reproducible (the truth is the status at this date).
const asOf = option("as-of", "2025-06-30");
const review = option("review", "yes");
if (review !== "yes" && review !== "no") throw new Error(`--review must be yes or no, not ${review}`);
const { app, dataDir } = await openBenchApp("passage-bench-truth");
const started = Date.now();
let results: Record<string, unknown>;
try {
  if (await hasRecords(app)) throw new Error(`${dataDir} already holds records: give an empty --data-dir`);
  const actor = await app.access.commandLineActor(undefined);
  const access = app.access.forRequest({ actor, purpose: "benchmark", requestId: "bench-lifecycle-truth" });
  console.error(`synthetic truth trial: ${persons} persons, seed ${seed}, as of ${asOf}, in ${dataDir}`);
  const report = await runSyntheticTruthTrial(app, {
    access,
    directory: path.join(dataDir, "population"),
    synth: { persons, seed, asOf },
    workReviewQueue: review === "yes",
    onProgress: throttled((step, done, total) => console.error(`  ${step} ${done}/${total}`)),
  });
  const { lifecycle, barredOnLists } = report;
  results = {
    benchmark: "truth",
    measuredAt: new Date().toISOString(),
    machine: machine(),
    persons,
    seed,
    asOf,
    noise: "default",
    records: report.records,
    enginePersons: report.enginePersons,
    linkage: report.linkage,
    matchRate: lifecycle.matchRate,
    matched: lifecycle.matched,
    mismatches: lifecycle.persons - lifecycle.matched,
    mismatchClasses: lifecycle.byClass,
    ambiguityReasons: lifecycle.ambiguityReasons,
    mismatchesByField: lifecycle.byField,
    examples: Object.fromEntries(
      Object.entries(lifecycle.examples).map(([kind, list]) => [kind, list.slice(0, 5)]),
    ),
    trulyBarredPersons: barredOnLists.trulyBarredPersons,
    barredOnWorklistsOrManifests: barredOnLists.barred,
    barredByBar: barredOnLists.byBar,
    barredByCause: barredOnLists.byCause,
    barredExamples: barredOnLists.examples,
    lists: barredOnLists.lists,
    transport: report.transport,
    afterReview: report.afterReview && {
      enginePersons: report.afterReview.enginePersons,
      decisions: report.afterReview.decisions,
      stillOpen: report.afterReview.stillOpen,
      matchRate: report.afterReview.lifecycle.matchRate,
      matched: report.afterReview.lifecycle.matched,
      mismatchClasses: report.afterReview.lifecycle.byClass,
      ambiguityReasons: report.afterReview.lifecycle.ambiguityReasons,
      mismatchesByField: report.afterReview.lifecycle.byField,
      examples: Object.fromEntries(
        Object.entries(report.afterReview.lifecycle.examples).map(([kind, list]) => [kind, list.slice(0, 5)]),
      ),
      barredOnWorklistsOrManifests: report.afterReview.barredOnLists.barred,
      barredByBar: report.afterReview.barredOnLists.byBar,
      barredByCause: report.afterReview.barredOnLists.byCause,
      barredExamples: report.afterReview.barredOnLists.examples,
      lists: report.afterReview.barredOnLists.lists,
      transport: report.afterReview.transport,
    },
    seconds: { ...report.seconds, total: (Date.now() - started) / 1000 },
    targets: { matchRate: 0.995, engineDisagreements: 0, barredOnWorklistsOrManifests: 0 },
  };
} finally {
  await app.shutdown();
}

console.log(JSON.stringify(results, null, 2));
fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
fs.writeFileSync(path.join(root, "bench/results/truth.json"), `${JSON.stringify(results, null, 2)}\n`);
if (option("data-dir", "") === "") fs.rmSync(dataDir, { recursive: true, force: true });

function machine() {
  return {
    node: process.version,
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg(),
  };
}

function throttled<A extends unknown[]>(report: (...values: A) => void): (...values: A) => void {
  let last = 0;
  return (...values) => {
    if (Date.now() - last < 5000) return;
    last = Date.now();
    report(...values);
  };
}
