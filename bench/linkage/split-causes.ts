// Why true persons end up split across clusters: for each piece of a split person (against the
// person's largest piece), the best-scoring candidate pair between the two pieces says what kept
// them apart. Shared by run.ts (the recall budget) and diagnose.ts (with examples).
import {
  type BatchLinkResult,
  identifiersConflict,
  LINK_BANDS,
  type PreparedRecord,
  REVIEW_REASONS,
} from "@passage/linkage";

/** Causes of a split: the safeguards' own (review by design) and the engine's misses. */
export const SAFEGUARD_CAUSES = [
  "review/name_and_date_only",
  "conflicting passport",
  "conflicting a_number",
  "conflicting a_number+passport",
] as const;

export interface SplitCause {
  /** Split pieces with this cause. */
  pieces: number;
  /** True pairs lost with them (piece size times the main piece's size). */
  missedPairs: number;
  /** Up to `examples` pieces: the best pair between the pieces (record indexes), or the piece itself. */
  examples: { pair?: [number, number]; members?: number[]; main?: number[] }[];
}

export interface SplitAnalysis {
  readonly truePairs: number;
  readonly causes: Map<string, SplitCause>;
}

/** Sorts every split piece of every true person by cause. `personOf[i]` is record i's true person. */
export function analyseSplits(
  batch: BatchLinkResult,
  personOf: readonly string[],
  examples = 0,
): SplitAnalysis {
  const records = batch.records;
  const { clusterOf, clusters } = batch.clustering;
  const best = new Map<string, number>();
  const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  for (let pair = 0; pair < batch.pairs.count; pair += 1) {
    const a = clusterOf[batch.pairs.left[pair]!]!;
    const b = clusterOf[batch.pairs.right[pair]!]!;
    if (a === b) continue;
    const key = pairKey(a, b);
    const current = best.get(key);
    if (current === undefined || batch.pairs.weight[pair]! > batch.pairs.weight[current]!)
      best.set(key, pair);
  }
  const piecesOf = new Map<string, Map<number, number[]>>();
  records.forEach((_, index) => {
    const person = personOf[index]!;
    const pieces = piecesOf.get(person) ?? new Map<number, number[]>();
    const list = pieces.get(clusterOf[index]!) ?? [];
    list.push(index);
    pieces.set(clusterOf[index]!, list);
    piecesOf.set(person, pieces);
  });
  const causes = new Map<string, SplitCause>();
  const note = (cause: string, missed: number, example: () => SplitCause["examples"][number]) => {
    const entry = causes.get(cause) ?? { pieces: 0, missedPairs: 0, examples: [] };
    entry.missedPairs += missed;
    entry.pieces += 1;
    if (entry.examples.length < examples) entry.examples.push(example());
    causes.set(cause, entry);
  };
  const strong = (cluster: readonly number[]) =>
    cluster.flatMap((index) => batch.compiled.strongIdentifiers(records[index] as PreparedRecord));
  let truePairs = 0;
  for (const pieces of piecesOf.values()) {
    let size = 0;
    for (const members of pieces.values()) size += members.length;
    truePairs += (size * (size - 1)) / 2;
    if (pieces.size < 2) continue;
    const ordered = [...pieces.entries()].sort((a, b) => b[1].length - a[1].length);
    const [mainCluster, mainMembers] = ordered[0]!;
    for (const [cluster, members] of ordered.slice(1)) {
      const missed = members.length * mainMembers.length;
      const pair = best.get(pairKey(mainCluster, cluster));
      if (pair === undefined) {
        note("never a candidate", missed, () => ({ members, main: mainMembers.slice(0, 3) }));
        continue;
      }
      const band = LINK_BANDS[batch.pairs.band[pair]!]!;
      let cause: string = band;
      if (band === "review") cause = `review/${REVIEW_REASONS[batch.pairs.reason[pair]!] ?? "?"}`;
      if (band === "auto_link") {
        const mainHeld = strong(clusters[mainCluster]!);
        const held = strong(clusters[cluster]!);
        const schemes = new Set<string>();
        for (const a of mainHeld)
          for (const b of held)
            if (a.scheme === b.scheme && a.value !== b.value) schemes.add(a.scheme.split(":")[0]!);
        cause = identifiersConflict(mainHeld, held)
          ? `conflicting ${[...schemes].sort().join("+")}`
          : "auto_link not merged (decision)";
      }
      note(cause, missed, () => ({ pair: [batch.pairs.left[pair]!, batch.pairs.right[pair]!] }));
    }
  }
  return { truePairs, causes };
}

/** Recall lost per cause, and what recall would be were the safeguards' own reviews set aside. */
export function recallBudget(analysis: SplitAnalysis, truePositives: number) {
  const lost: Record<string, number> = {};
  let safeguardMissed = 0;
  for (const [cause, entry] of [...analysis.causes.entries()].sort(
    (a, b) => b[1].missedPairs - a[1].missedPairs,
  )) {
    lost[cause] = entry.missedPairs / analysis.truePairs;
    if ((SAFEGUARD_CAUSES as readonly string[]).includes(cause)) safeguardMissed += entry.missedPairs;
  }
  return {
    recallLostByCause: lost,
    recallLostToSafeguards: safeguardMissed / analysis.truePairs,
    recallOfPairsTheSafeguardsAllow: truePositives / Math.max(1, analysis.truePairs - safeguardMissed),
  };
}
