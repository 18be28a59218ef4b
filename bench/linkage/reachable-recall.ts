// The recall the identity safeguards allow at all on a `passage synth` directory, whatever the
// thresholds: scores every true pair (all pairs of each true person's records) with the trained
// model and counts a pair linkable when it carries evidence beyond name and date of birth (the
// corroboration safeguard) and no conflicting strong identifier. Within each true person the
// linkable pairs form components (transitive closure); pairs across components, and pairs whose
// records hold two different A-numbers or two passports of one country, are out of reach of an
// automatic merge by design and belong in the review queue. Prints the reachable recall and why
// the rest is out of reach (which noise or which feed's missing fields).
// Usage: npx tsx bench/linkage/reachable-recall.ts --dir DIR [--examples N]
import {
  evaluateClusterPairs,
  FEED_LINKAGE_SETTINGS,
  identifiersConflict,
  linkBatch,
  PairScorer,
  type PreparedRecord,
} from "@passage/linkage";
import { commandLineOption } from "../command-line.ts";
import { readSynthDirectory } from "./read-synth-directory.ts";

const directory = commandLineOption("dir");
if (directory === undefined) throw new Error("--dir DIR is required");
const examplesWanted = Number(commandLineOption("examples") ?? 0);

const data = readSynthDirectory(directory);
const batch = linkBatch(FEED_LINKAGE_SETTINGS, data.records);
const { records, compiled } = batch;
const minimum = compiled.artefact.settings.safeguards.minimumCorroboratingWeight;
const scorer = new PairScorer(compiled);
const rawOf = new Map(data.records.map((record) => [record.id, record.values]));

const personRecords = new Map<string, number[]>();
records.forEach((record, index) => {
  const person = data.truth.get(record.id) ?? `unknown:${record.id}`;
  const list = personRecords.get(person) ?? [];
  list.push(index);
  personRecords.set(person, list);
});

interface Reach {
  reachable: number;
  separatedByConflicts: number;
  unlinked: number;
}
const corroborated: Reach = { reachable: 0, separatedByConflicts: 0, unlinked: 0 };
const autoLinked: Reach = { reachable: 0, separatedByConflicts: 0, unlinked: 0 };
let truePairs = 0;
const unlinkedByFeedPair = new Map<string, number>();
const examples: string[] = [];
const feedOf = (record: PreparedRecord) => record.id.split(":")[0]!;
const autoLinkWeight = Math.log2(
  compiled.artefact.settings.thresholds.autoLinkProbability /
    (1 - compiled.artefact.settings.thresholds.autoLinkProbability),
);

/**
 * Pairs of one person's records an automatic clustering could join through `linked` pairs:
 * components of linked pairs, then within each component records holding strong identifiers
 * share a cluster only while their values agree (each record joins the largest compatible
 * group, records with the most identifiers first: an estimate of the best partition).
 */
function reach(
  members: readonly number[],
  linked: (a: number, b: number) => boolean,
  into: Reach,
): boolean[][] {
  const size = members.length;
  const parent = members.map((_, index) => index);
  const find = (node: number): number => {
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]!]!;
      node = parent[node]!;
    }
    return node;
  };
  for (let a = 0; a < size; a += 1)
    for (let b = a + 1; b < size; b += 1) if (linked(a, b)) parent[find(a)] = find(b);
  const held = members.map((member) => compiled.strongIdentifiers(records[member]!));
  const groupsOf = new Map<number, number[][]>();
  const order = members.map((_, index) => index).sort((a, b) => held[b]!.length - held[a]!.length);
  for (const node of order) {
    const groups = groupsOf.get(find(node)) ?? [];
    groupsOf.set(find(node), groups);
    const compatible = groups
      .filter((group) => group.every((other) => !identifiersConflict(held[node], held[other])))
      .sort((a, b) => b.length - a.length)[0];
    if (compatible) compatible.push(node);
    else groups.push([node]);
  }
  const groupOf = new Int32Array(size);
  let groupCount = 0;
  for (const groups of groupsOf.values())
    for (const group of groups) {
      groupCount += 1;
      for (const node of group) groupOf[node] = groupCount;
    }
  const apart: boolean[][] = members.map(() => []);
  for (let a = 0; a < size; a += 1) {
    for (let b = a + 1; b < size; b += 1) {
      if (groupOf[a] === groupOf[b]) into.reachable += 1;
      else if (find(a) === find(b)) into.separatedByConflicts += 1;
      else {
        into.unlinked += 1;
        apart[a]![b] = true;
      }
    }
  }
  return apart;
}

for (const members of personRecords.values()) {
  const size = members.length;
  truePairs += (size * (size - 1)) / 2;
  if (size < 2) continue;
  const corroboratedPair: boolean[][] = members.map(() => []);
  const autoLinkPair: boolean[][] = members.map(() => []);
  for (let a = 0; a < size; a += 1) {
    for (let b = a + 1; b < size; b += 1) {
      const weight = scorer.score(records[members[a]!]!, records[members[b]!]!);
      // Conflicts are the groups' business: here only whether the pair is corroborated.
      corroboratedPair[a]![b] = scorer.corroboratingWeight >= minimum;
      autoLinkPair[a]![b] = corroboratedPair[a]![b]! && weight >= autoLinkWeight;
    }
  }
  const apart = reach(members, (a, b) => corroboratedPair[a]![b]!, corroborated);
  reach(members, (a, b) => autoLinkPair[a]![b]!, autoLinked);
  for (let a = 0; a < size; a += 1) {
    for (let b = a + 1; b < size; b += 1) {
      if (!apart[a]![b]) continue;
      const left = records[members[a]!]!;
      const right = records[members[b]!]!;
      const key = [feedOf(left), feedOf(right)].sort().join("~");
      unlinkedByFeedPair.set(key, (unlinkedByFeedPair.get(key) ?? 0) + 1);
      if (examples.length < examplesWanted)
        examples.push(
          `  ${left.id} ${JSON.stringify(rawOf.get(left.id))}\n  ${right.id} ${JSON.stringify(rawOf.get(right.id))}`,
        );
    }
  }
}

const share = (count: number) => `${count} (${((count / truePairs) * 100).toFixed(3)}% of true pairs)`;
console.log(`${records.length} records, ${personRecords.size} true persons, ${truePairs} true pairs`);
const truth = new Map(
  records.map((record) => [record.id, data.truth.get(record.id) ?? `unknown:${record.id}`]),
);
const clusterOf = new Map(
  records.map((record, index) => [record.id, String(batch.clustering.clusterOf[index])]),
);
const linked = evaluateClusterPairs(clusterOf, { truth, linkType: "dedupe" });
console.log(
  `this engine: precision ${linked.precision.toFixed(5)} recall ${linked.recall.toFixed(5)} (${linked.truePositives} of the true pairs joined)`,
);
for (const [label, figures] of [
  ["every corroborated pair (the safeguards' bound)", corroborated],
  ["corroborated pairs at or above the auto-link probability (this model's bound)", autoLinked],
] as const) {
  console.log(
    `${label}: reachable ${share(figures.reachable)}, recall bound ${(figures.reachable / truePairs).toFixed(5)}`,
  );
  console.log(
    `  kept apart by a conflicting strong identifier (renewed passport, second A-number): ${share(figures.separatedByConflicts)}`,
  );
  console.log(`  no chain of linked pairs: ${share(figures.unlinked)}`);
}
console.log(
  `name and date of birth only, by feeds: ${JSON.stringify(Object.fromEntries([...unlinkedByFeedPair.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)))}`,
);
for (const example of examples) console.log(example);
