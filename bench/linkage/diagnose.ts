// Where linkage goes wrong on a `passage synth` directory: batch-links it, then sorts every true
// person split across clusters by what kept the pieces apart (never a candidate pair; scored below
// the review threshold; review band; name and date only; conflicting identifiers, by scheme), with
// the missed pairs each cause costs, and lists the links that merged two true persons. Prints a
// summary and, with --examples N, that many explained examples per cause.
// Usage: npx tsx bench/linkage/diagnose.ts --dir DIR [--examples N]
import {
  type CompiledModel,
  explainPair,
  FEED_LINKAGE_SETTINGS,
  linkBatch,
  type PreparedRecord,
} from "@passage/linkage";
import { commandLineOption } from "../command-line.ts";
import { readSynthDirectory } from "./read-synth-directory.ts";
import { analyseSplits } from "./split-causes.ts";

const directory = commandLineOption("dir");
if (directory === undefined) throw new Error("--dir DIR is required");
const examplesWanted = Number(commandLineOption("examples") ?? 5);

const data = readSynthDirectory(directory);
const batch = linkBatch(FEED_LINKAGE_SETTINGS, data.records);
const records = batch.records;
const personOf = records.map((record) => data.truth.get(record.id) ?? "?");

/** A compact view of a record: the fields linkage reads. */
function show(record: PreparedRecord): string {
  const raw = data.records.find((candidate) => candidate.id === record.id)!.values;
  return `${record.id} ${JSON.stringify(raw)}`;
}

function levels(compiled: CompiledModel, left: PreparedRecord, right: PreparedRecord): string {
  const explanation = explainPair(compiled, left, right);
  const bars = explanation.fields
    .filter((field) => field.level !== 0)
    .map(
      (field) =>
        `${field.comparison}=${field.label}(${(field.weight + field.termFrequencyAdjustment).toFixed(1)})`,
    );
  return `w=${explanation.matchWeight.toFixed(2)} p=${explanation.matchProbability.toFixed(4)} corroborating=${explanation.corroboratingWeight.toFixed(1)} ${explanation.band}${explanation.reviewReason ? `/${explanation.reviewReason}` : ""} swapped=${explanation.namesSwapped} ${bars.join(" ")}${explanation.fullNameAdjustment ? ` fullname=${explanation.fullNameAdjustment.toFixed(1)}` : ""}`;
}

const analysis = analyseSplits(batch, personOf, examplesWanted);
console.log(
  `${records.length} records, ${analysis.truePairs} true pairs, prior ${batch.model.parameters.prior}`,
);
for (const [cause, entry] of [...analysis.causes.entries()].sort(
  (a, b) => b[1].missedPairs - a[1].missedPairs,
)) {
  console.log(
    `${cause}: ${entry.pieces} split pieces, ~${entry.missedPairs} missed pairs (${((entry.missedPairs / analysis.truePairs) * 100).toFixed(3)}% recall)`,
  );
  for (const example of entry.examples) {
    if (example.pair) {
      const [left, right] = example.pair.map((index) => records[index]!);
      console.log(`  ${levels(batch.compiled, left!, right!)}\n    ${show(left!)}\n    ${show(right!)}`);
    } else {
      console.log("  never a candidate:");
      for (const member of example.members ?? []) console.log(`    ${show(records[member]!)}`);
      for (const member of example.main ?? []) console.log(`    vs ${show(records[member]!)}`);
    }
  }
}

// False merges: links joining records of two true persons.
let wrongLinks = 0;
const wrongExamples: string[] = [];
for (const link of batch.clustering.links) {
  if (personOf[link.left] === personOf[link.right]) continue;
  wrongLinks += 1;
  if (wrongExamples.length < examplesWanted * 4)
    wrongExamples.push(
      `  ${levels(batch.compiled, records[link.left]!, records[link.right]!)}\n    ${personOf[link.left]} ${show(records[link.left]!)}\n    ${personOf[link.right]} ${show(records[link.right]!)}`,
    );
}
console.log(`links joining two true persons: ${wrongLinks}`);
for (const example of wrongExamples) console.log(example);
console.log(
  `model: ${JSON.stringify(
    Object.fromEntries(
      Object.entries(batch.model.parameters.comparisons).map(([name, { m, u }]) => [
        name,
        m.map((value, level) => (level === 0 ? 0 : Number(Math.log2(value / u[level]!).toFixed(2)))),
      ]),
    ),
  )}`,
);
