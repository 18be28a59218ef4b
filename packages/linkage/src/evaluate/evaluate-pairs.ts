import type { LinkType } from "../model/linkage-settings.ts";

/** Pairwise figures at one threshold. */
export interface PairwiseFigures {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** What a truth mapping and the comparison space give: the pairs that should be linked. */
export interface TruthSpace {
  /** Record id -> true person. Records absent here are left out of every figure. */
  readonly truth: ReadonlyMap<string, string>;
  readonly linkType: LinkType;
  /** For `link_only`: which source each record came from (0 or 1). */
  readonly sourceOf?: (id: string) => number;
}

/** Number of record pairs of one true person that the comparison space holds. */
export function countTruePairs(space: TruthSpace): number {
  const sizes = new Map<string, [number, number]>();
  for (const [id, person] of space.truth) {
    const side = space.linkType === "link_only" ? (space.sourceOf?.(id) ?? 0) : 0;
    const entry = sizes.get(person) ?? [0, 0];
    entry[side === 0 ? 0 : 1] += 1;
    sizes.set(person, entry);
  }
  let pairs = 0;
  for (const [first, second] of sizes.values()) {
    pairs += space.linkType === "link_only" ? first * second : (first * (first - 1)) / 2;
  }
  return pairs;
}

/** Precision, recall and F1 of a set of predicted links (each pair once) against the truth. */
export function evaluatePairs(
  links: Iterable<readonly [string, string]>,
  space: TruthSpace,
): PairwiseFigures {
  let truePositives = 0;
  let falsePositives = 0;
  for (const [left, right] of links) {
    const leftPerson = space.truth.get(left);
    const rightPerson = space.truth.get(right);
    if (leftPerson === undefined || rightPerson === undefined) continue;
    if (leftPerson === rightPerson) truePositives += 1;
    else falsePositives += 1;
  }
  return figures(truePositives, falsePositives, countTruePairs(space));
}

function figures(truePositives: number, falsePositives: number, truePairs: number): PairwiseFigures {
  const precision =
    truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives);
  const recall = truePairs === 0 ? 1 : truePositives / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives, falsePositives, falseNegatives: truePairs - truePositives, precision, recall, f1 };
}

/** One row of the precision-recall table. */
export interface ThresholdRow extends PairwiseFigures {
  readonly threshold: number;
}

/** Default thresholds of the table: match probabilities from 0.1 to 0.999999. */
export const DEFAULT_THRESHOLDS = [0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 0.999, 0.9999, 0.99999, 0.999999];

/** Precision, recall and F1 of "probability >= threshold" for each threshold, over scored pairs. */
export function precisionRecallTable(
  scored: Iterable<{ readonly left: string; readonly right: string; readonly probability: number }>,
  space: TruthSpace,
  thresholds: readonly number[] = DEFAULT_THRESHOLDS,
): ThresholdRow[] {
  const sorted = [...thresholds].sort((a, b) => a - b);
  const truePositives = new Float64Array(sorted.length);
  const falsePositives = new Float64Array(sorted.length);
  for (const pair of scored) {
    const leftPerson = space.truth.get(pair.left);
    const rightPerson = space.truth.get(pair.right);
    if (leftPerson === undefined || rightPerson === undefined) continue;
    const same = leftPerson === rightPerson;
    for (let index = 0; index < sorted.length && pair.probability >= sorted[index]!; index += 1) {
      if (same) truePositives[index]! += 1;
      else falsePositives[index]! += 1;
    }
  }
  const truePairs = countTruePairs(space);
  return sorted.map((threshold, index) => ({
    threshold,
    ...figures(truePositives[index]!, falsePositives[index]!, truePairs),
  }));
}

/**
 * Pairwise figures of a clustering without listing its pairs: every two records in one cluster
 * are a predicted link (for `link_only`, two records of different sources), counted per
 * cluster, per true person and per (cluster, person) cell.
 */
export function evaluateClusterPairs(
  clusterOf: ReadonlyMap<string, string>,
  space: TruthSpace,
): PairwiseFigures {
  const linkOnly = space.linkType === "link_only";
  const cells = new Map<string, [number, number]>();
  const clusters = new Map<string, [number, number]>();
  const add = (map: Map<string, [number, number]>, key: string, side: number) => {
    const entry = map.get(key) ?? [0, 0];
    entry[side === 1 ? 1 : 0] += 1;
    map.set(key, entry);
  };
  for (const [id, person] of space.truth) {
    const cluster = clusterOf.get(id);
    if (cluster === undefined) continue;
    const side = linkOnly ? (space.sourceOf?.(id) ?? 0) : 0;
    add(cells, `${cluster}\u0000${person}`, side);
    add(clusters, cluster, side);
  }
  const pairsOf = ([first, second]: [number, number]) =>
    linkOnly ? first * second : (first * (first - 1)) / 2;
  let truePositives = 0;
  for (const cell of cells.values()) truePositives += pairsOf(cell);
  let predicted = 0;
  for (const cluster of clusters.values()) predicted += pairsOf(cluster);
  return figures(truePositives, predicted - truePositives, countTruePairs(space));
}
