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
  identifiersConflict,
  LINK_BANDS,
  linkBatch,
  type PreparedRecord,
  REVIEW_REASONS,
} from "@passage/linkage";
import { readSynthDirectory } from "./read-synth-directory.ts";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const directory = option("dir");
if (directory === undefined) throw new Error("--dir DIR is required");
const examplesWanted = Number(option("examples") ?? 5);

const data = readSynthDirectory(directory);
const batch = linkBatch(FEED_LINKAGE_SETTINGS, data.records);
const records = batch.records;
const personOf = records.map((record) => data.truth.get(record.id) ?? "?");
const { clusterOf, clusters } = batch.clustering;

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

// The best candidate pair between every two clusters.
const best = new Map<string, number>();
const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
for (let pair = 0; pair < batch.pairs.count; pair += 1) {
  const a = clusterOf[batch.pairs.left[pair]!]!;
  const b = clusterOf[batch.pairs.right[pair]!]!;
  if (a === b) continue;
  const key = pairKey(a, b);
  const current = best.get(key);
  if (current === undefined || batch.pairs.weight[pair]! > batch.pairs.weight[current]!) best.set(key, pair);
}

// Per true person: its records by cluster.
const piecesOf = new Map<string, Map<number, number[]>>();
records.forEach((_, index) => {
  const person = personOf[index]!;
  const pieces = piecesOf.get(person) ?? new Map<number, number[]>();
  const list = pieces.get(clusterOf[index]!) ?? [];
  list.push(index);
  pieces.set(clusterOf[index]!, list);
  piecesOf.set(person, pieces);
});

const causes = new Map<string, { missedPairs: number; splits: number; examples: string[] }>();
const note = (cause: string, missed: number, example: () => string) => {
  const entry = causes.get(cause) ?? { missedPairs: 0, splits: 0, examples: [] };
  entry.missedPairs += missed;
  entry.splits += 1;
  if (entry.examples.length < examplesWanted) entry.examples.push(example());
  causes.set(cause, entry);
};
const strong = (cluster: readonly number[]) =>
  cluster.flatMap((index) => batch.compiled.strongIdentifiers(records[index]!));
for (const pieces of piecesOf.values()) {
  if (pieces.size < 2) continue;
  // Each smaller piece against the largest piece of the person.
  const ordered = [...pieces.entries()].sort((a, b) => b[1].length - a[1].length);
  const [mainCluster, mainMembers] = ordered[0]!;
  for (const [cluster, members] of ordered.slice(1)) {
    const missed = members.length * mainMembers.length;
    const pair = best.get(pairKey(mainCluster, cluster));
    if (pair === undefined) {
      note("never a candidate", missed, () =>
        [
          "  never a candidate:",
          ...members.map((m) => `    ${show(records[m]!)}`),
          ...mainMembers.slice(0, 3).map((m) => `    vs ${show(records[m]!)}`),
        ].join("\n"),
      );
      continue;
    }
    const left = records[batch.pairs.left[pair]!]!;
    const right = records[batch.pairs.right[pair]!]!;
    const band = LINK_BANDS[batch.pairs.band[pair]!]!;
    let cause: string = band;
    if (band === "review") cause = `review/${REVIEW_REASONS[batch.pairs.reason[pair]!] ?? "?"}`;
    if (band === "auto_link") {
      const conflicting = identifiersConflict(strong(clusters[mainCluster]!), strong(clusters[cluster]!));
      const schemes = new Set<string>();
      for (const a of strong(clusters[mainCluster]!))
        for (const b of strong(clusters[cluster]!))
          if (a.scheme === b.scheme && a.value !== b.value) schemes.add(a.scheme.split(":")[0]!);
      cause = conflicting
        ? `conflicting ${[...schemes].sort().join("+")}`
        : "auto_link not merged (decision?)";
    }
    note(
      cause,
      missed,
      () => `  ${levels(batch.compiled, left, right)}\n    ${show(left)}\n    ${show(right)}`,
    );
  }
}

const totalTruePairs = [...piecesOf.values()].reduce((sum, pieces) => {
  const size = [...pieces.values()].reduce((s, m) => s + m.length, 0);
  return sum + (size * (size - 1)) / 2;
}, 0);
console.log(`${records.length} records, ${totalTruePairs} true pairs, prior ${batch.model.parameters.prior}`);
for (const [cause, entry] of [...causes.entries()].sort((a, b) => b[1].missedPairs - a[1].missedPairs)) {
  console.log(
    `${cause}: ${entry.splits} split pieces, ~${entry.missedPairs} missed pairs (${((entry.missedPairs / totalTruePairs) * 100).toFixed(3)}% recall)`,
  );
  for (const example of entry.examples) console.log(example);
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
