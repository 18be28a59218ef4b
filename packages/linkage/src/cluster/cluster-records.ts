import { damerauLevenshteinDistance } from "../compare/damerau-levenshtein.ts";
import type { StrongIdentifier } from "../compare/field-comparator.ts";
import { LinkageErrors } from "../linkage-errors.ts";
import { LINK_BANDS, type LinkBand, REVIEW_REASONS, type ReviewReason } from "../model/classify-pair.ts";
import { probabilityOfWeight } from "../model/compiled-model.ts";
import { UnionFind } from "./union-find.ts";

/** A scored pair given to clustering (record indexes); only auto-link and review bands matter. */
export interface ScoredEdge {
  readonly left: number;
  readonly right: number;
  readonly weight: number;
  readonly probability: number;
  readonly band: LinkBand;
  readonly reason?: ReviewReason | undefined;
}

export const HUMAN_DECISIONS = ["must_link", "cannot_link"] as const;
export type HumanDecisionKind = (typeof HUMAN_DECISIONS)[number];

/** A reviewer's decision on a pair of records; every run honours it. */
export interface HumanDecision {
  readonly leftId: string;
  readonly rightId: string;
  readonly decision: HumanDecisionKind;
  /**
   * On a must-link that places a record in a person outside linkage (a redress correction, a data
   * load): the record placed (one of the two). The placement, not the record's content, decides
   * where it is: its auto-links join no clusters (see `clusterRecords`).
   */
  readonly placedRecordId?: string | undefined;
}

/**
 * Scored pairs as columns (what batch scoring produces): band and reason are indexes into
 * LINK_BANDS and REVIEW_REASONS (255: no reason). Millions of pairs cost no objects.
 */
export interface EdgeColumns {
  readonly count: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly weight: Float64Array;
  readonly band: Uint8Array;
  readonly reason: Uint8Array;
}

export interface ClusterInput {
  readonly recordIds: readonly string[];
  readonly edges: readonly ScoredEdge[] | EdgeColumns;
  readonly decisions?: readonly HumanDecision[];
  /** Strong identifiers of each record (A-number, passport with country): conflicts block merges. */
  readonly strongIdentifiers?: (index: number) => readonly StrongIdentifier[];
}

/** A link that holds a cluster together: a spanning edge of the cluster, or a must-link decision. */
export interface ClusterLink {
  readonly left: number;
  readonly right: number;
  readonly weight: number;
  readonly probability: number;
  readonly kind: "auto_link" | "must_link";
}

/** A pair a person must look at, and why. */
export interface ReviewItem {
  readonly left: number;
  readonly right: number;
  readonly weight: number;
  readonly probability: number;
  readonly reason: ReviewReason;
}

export interface Clustering {
  /** Cluster index of each record; clusters are numbered in order of their first record. */
  readonly clusterOf: Int32Array;
  readonly clusters: readonly (readonly number[])[];
  /** The spanning links of every cluster (which links hold it together). */
  readonly links: readonly ClusterLink[];
  /** Auto-link pairs that were already joined through stronger links, per cluster index. */
  readonly supportingLinks: Int32Array;
  readonly review: readonly ReviewItem[];
  /** Auto-link pairs not merged because a cannot-link decision separates their clusters. */
  readonly blockedByDecision: number;
  /** Auto-link pairs of a placed record not merged: its placement decides where it is. */
  readonly heldByPlacement: number;
}

/**
 * Forms persons from scored pairs with Passage's safeguards. Must-link decisions are joined
 * first and never split; auto-link pairs are then merged strongest first (a maximum spanning
 * forest), refusing any merge that would put a cannot-linked pair, or two different values of a
 * strong identifier (two A-numbers; two passports of one country), into one cluster — such a
 * pair goes to review instead. Review-band pairs between different clusters go to review.
 *
 * A record a must-link places (`placedRecordId`: put in a person outside linkage, without being
 * matched) is where its must-links put it: its auto-links join no two clusters, neither drawing
 * the record elsewhere nor drawing another person into its own (a correction carrying another
 * person's identifiers would otherwise merge the two persons on no one's word). Such a pair still
 * goes to review when its clusters conflict, as any auto-link does; otherwise it is only counted
 * (`heldByPlacement`), as the incremental path attaches a placed record to its person alone.
 */
export function clusterRecords(input: ClusterInput): Clustering {
  const count = input.recordIds.length;
  const sets = new UnionFind(count);
  const indexOfId = new Map(input.recordIds.map((id, index) => [id, index]));
  const cannotLinks = new Map<number, number[]>();
  // Per root: the strong identifiers its records hold (a short list; absent when none).
  const identifiers: (StrongIdentifier[] | undefined)[] = new Array(count);
  const links: ClusterLink[] = [];
  const review: ReviewItem[] = [];
  const decisions = (input.decisions ?? []).flatMap((decision) => {
    const left = indexOfId.get(decision.leftId);
    const right = indexOfId.get(decision.rightId);
    return left === undefined || right === undefined || left === right ? [] : [{ ...decision, left, right }];
  });
  const placed = new Set<number>();
  for (const decision of decisions) {
    if (decision.decision !== "must_link" || decision.placedRecordId === undefined) continue;
    const index = indexOfId.get(decision.placedRecordId);
    if (index === decision.left || index === decision.right) placed.add(index!);
  }
  for (const decision of decisions) {
    if (decision.decision !== "cannot_link") continue;
    pushTo(cannotLinks, decision.left, decision.right);
    pushTo(cannotLinks, decision.right, decision.left);
  }
  if (input.strongIdentifiers) {
    for (let index = 0; index < count; index += 1) {
      const held = input.strongIdentifiers(index);
      if (held.length > 0) identifiers[index] = [...held];
    }
  }
  const cannotSeparate = (rootA: number, rootB: number): [number, number] | undefined => {
    const listA = cannotLinks.get(rootA);
    const listB = cannotLinks.get(rootB);
    const [smaller, other] = (listA?.length ?? 0) <= (listB?.length ?? 0) ? [listA, rootB] : [listB, rootA];
    for (const partner of smaller ?? []) if (sets.find(partner) === other) return [partner, other];
    return undefined;
  };
  const join = (rootA: number, rootB: number): void => {
    const root = sets.union(rootA, rootB);
    const absorbed = root === rootA ? rootB : rootA;
    const absorbedCannot = cannotLinks.get(absorbed);
    if (absorbedCannot) {
      const kept = cannotLinks.get(root);
      if (kept) kept.push(...absorbedCannot);
      else cannotLinks.set(root, absorbedCannot);
      cannotLinks.delete(absorbed);
    }
    const absorbedIdentifiers = identifiers[absorbed];
    if (absorbedIdentifiers) {
      const kept = identifiers[root];
      if (kept) kept.push(...absorbedIdentifiers);
      else identifiers[root] = absorbedIdentifiers;
      identifiers[absorbed] = undefined;
    }
  };
  for (const decision of decisions) {
    if (decision.decision !== "must_link") continue;
    const rootA = sets.find(decision.left);
    const rootB = sets.find(decision.right);
    if (rootA === rootB) continue;
    const conflict = cannotSeparate(rootA, rootB);
    if (conflict)
      throw LinkageErrors.decisionsConflict.create(
        input.recordIds[decision.left]!,
        input.recordIds[decision.right]!,
      );
    join(rootA, rootB);
    links.push({
      left: decision.left,
      right: decision.right,
      weight: Infinity,
      probability: 1,
      kind: "must_link",
    });
  }
  const edges = columnsOf(input.edges);
  const figures = (edge: number) => ({
    left: edges.left[edge]!,
    right: edges.right[edge]!,
    weight: edges.weight[edge]!,
    probability: probabilityOfWeight(edges.weight[edge]!),
  });
  const supporting: number[] = [];
  let blockedByDecision = 0;
  let heldByPlacement = 0;
  for (const edge of strongestAutoLinksFirst(edges, rankOfRecords(input.recordIds))) {
    const rootA = sets.find(edges.left[edge]!);
    const rootB = sets.find(edges.right[edge]!);
    if (rootA === rootB) {
      supporting.push(edges.left[edge]!);
      continue;
    }
    if (cannotSeparate(rootA, rootB)) {
      blockedByDecision += 1;
      continue;
    }
    if (identifiersConflict(identifiers[rootA], identifiers[rootB])) {
      review.push({ ...figures(edge), reason: "conflicting_identifiers" });
      continue;
    }
    if (placed.size > 0 && (placed.has(edges.left[edge]!) || placed.has(edges.right[edge]!))) {
      heldByPlacement += 1;
      continue;
    }
    join(rootA, rootB);
    links.push({ ...figures(edge), kind: "auto_link" });
  }
  for (let edge = 0; edge < edges.count; edge += 1) {
    if (edges.band[edge] !== REVIEW_BAND) continue;
    const rootA = sets.find(edges.left[edge]!);
    const rootB = sets.find(edges.right[edge]!);
    if (rootA === rootB || cannotSeparate(rootA, rootB)) continue;
    const reasonIndex = edges.reason[edge]!;
    review.push({ ...figures(edge), reason: REVIEW_REASONS[reasonIndex] ?? "below_auto_link_threshold" });
  }
  const { clusterOf, clusters } = numberClusters(sets, count);
  const supportingLinks = new Int32Array(clusters.length);
  for (const node of supporting) supportingLinks[clusterOf[node]!]! += 1;
  return { clusterOf, clusters, links, supportingLinks, review, blockedByDecision, heldByPlacement };
}

const AUTO_LINK_BAND = LINK_BANDS.indexOf("auto_link");
const REVIEW_BAND = LINK_BANDS.indexOf("review");

function columnsOf(edges: readonly ScoredEdge[] | EdgeColumns): EdgeColumns {
  if (!Array.isArray(edges)) return edges as EdgeColumns;
  const list = edges as readonly ScoredEdge[];
  return {
    count: list.length,
    left: Int32Array.from(list, (edge) => edge.left),
    right: Int32Array.from(list, (edge) => edge.right),
    weight: Float64Array.from(list, (edge) => edge.weight),
    band: Uint8Array.from(list, (edge) => LINK_BANDS.indexOf(edge.band)),
    reason: Uint8Array.from(list, (edge) =>
      edge.reason === undefined ? 255 : REVIEW_REASONS.indexOf(edge.reason),
    ),
  };
}

/**
 * Each record's place in the order of record ids. Pairs of equal weight are common (records alike in
 * every compared field score alike), and which of them merges first decides who a conflicting
 * record joins: ties break by the records' ids, never by where they stand in the input, so persons
 * re-formed from a few records after a decision come out as the batch over every record forms them.
 * The batch reads records in id order already; then the rank is the index and nothing is sorted.
 */
function rankOfRecords(recordIds: readonly string[]): Int32Array {
  const rank = new Int32Array(recordIds.length);
  let sorted = true;
  for (let index = 0; index < recordIds.length; index += 1) {
    rank[index] = index;
    if (index > 0 && recordIds[index - 1]! >= recordIds[index]!) sorted = false;
  }
  if (sorted) return rank;
  const order = Array.from(rank).sort((a, b) =>
    recordIds[a]! < recordIds[b]! ? -1 : recordIds[a]! > recordIds[b]! ? 1 : a - b,
  );
  order.forEach((record, position) => {
    rank[record] = position;
  });
  return rank;
}

/** Indexes of the auto-link edges, strongest first (ties by the ranks of their records, so runs agree). */
function strongestAutoLinksFirst(edges: EdgeColumns, rank: Int32Array): Uint32Array {
  let autoLinks = 0;
  for (let edge = 0; edge < edges.count; edge += 1) if (edges.band[edge] === AUTO_LINK_BAND) autoLinks += 1;
  const order = new Uint32Array(autoLinks);
  let next = 0;
  for (let edge = 0; edge < edges.count; edge += 1)
    if (edges.band[edge] === AUTO_LINK_BAND) order[next++] = edge;
  const { weight, left, right } = edges;
  const lower = (edge: number) => Math.min(rank[left[edge]!]!, rank[right[edge]!]!);
  const upper = (edge: number) => Math.max(rank[left[edge]!]!, rank[right[edge]!]!);
  return order.sort((a, b) => weight[b]! - weight[a]! || lower(a) - lower(b) || upper(a) - upper(b));
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Two clusters (or a record and a cluster) conflict when they hold different values of one strong
 * identifier scheme (see `identifierValuesConflict` for the one-typo difference), unless the value
 * is one the other side already holds: a cluster holds two values of a scheme only because a
 * reviewer confirmed them as one person's (automatic merges never join them), and a record that
 * agrees with one of them is no more that person's than one agreeing with the only value would be.
 */
export function identifiersConflict(
  left: readonly StrongIdentifier[] | undefined,
  right: readonly StrongIdentifier[] | undefined,
): boolean {
  if (!left || !right) return false;
  const corroborated = identifiersCorroborate(left, right);
  for (const a of left) {
    for (const b of right) if (identifiersOfSidesConflict(a, b, left, right, corroborated)) return true;
  }
  return false;
}

/** The schemes on which two sets of strong identifiers conflict (the scoped one's name where one lacks its scope). */
export function conflictingSchemes(
  left: readonly StrongIdentifier[],
  right: readonly StrongIdentifier[],
): string[] {
  const corroborated = identifiersCorroborate(left, right);
  const schemes = new Set<string>();
  for (const a of left) {
    for (const b of right) {
      if (identifiersOfSidesConflict(a, b, left, right, corroborated))
        schemes.add(a.scheme.includes(":") ? a.scheme : b.scheme);
    }
  }
  return [...schemes].sort();
}

/** Whether `a` of the left side and `b` of the right conflict, neither value being held by the other side already. */
function identifiersOfSidesConflict(
  a: StrongIdentifier,
  b: StrongIdentifier,
  left: readonly StrongIdentifier[],
  right: readonly StrongIdentifier[],
  corroborated: boolean,
): boolean {
  return strongIdentifiersConflict(a, b, corroborated) && !holdsValueOf(left, b) && !holdsValueOf(right, a);
}

function holdsValueOf(held: readonly StrongIdentifier[], identifier: StrongIdentifier): boolean {
  return held.some(
    (other) => other.value === identifier.value && schemesMeet(other.scheme, identifier.scheme),
  );
}

/** Whether the two sides hold one strong identifier with exactly the same value. */
export function identifiersCorroborate(
  left: readonly StrongIdentifier[],
  right: readonly StrongIdentifier[],
): boolean {
  return left.some((a) => right.some((b) => a.value === b.value && schemesMeet(a.scheme, b.scheme)));
}

/**
 * Two strong identifiers conflict when they are of one scheme and their values differ. A scoped
 * identifier that lost its scope (a passport number without its issuing country) is of every
 * scope of its kind: it may be a passport of the same country as the other, so a different
 * number is a conflict, as it is when both countries are known and equal (issue 3: two different
 * passports of the same country block an automatic merge). Knowing less never makes a merge
 * safer; only two known, different countries make two numbers compatible (a dual national).
 */
export function strongIdentifiersConflict(
  a: StrongIdentifier,
  b: StrongIdentifier,
  corroborated = false,
): boolean {
  return schemesMeet(a.scheme, b.scheme) && identifierValuesConflict(a, b, corroborated);
}

function schemesMeet(a: string, b: string): boolean {
  if (a === b) return true;
  const aScoped = a.indexOf(":");
  const bScoped = b.indexOf(":");
  if (aScoped === -1 && bScoped !== -1) return b.slice(0, bScoped) === a;
  if (bScoped === -1 && aScoped !== -1) return a.slice(0, aScoped) === b;
  return false;
}

/**
 * Different values conflict. One typo apart, on a scheme that tolerates typos, they do not only
 * where the two sides are `corroborated`: they hold another strong identifier with exactly the
 * same value. Alone, a typo'd A-number and another person's A-number cannot be told apart by their
 * digits, and A-numbers are given out in sequence (a family processed together holds consecutive
 * ones): tolerated alone, records of ten persons alike in name, with A-numbers and passports one
 * digit apart, chained into one person, each pair one typo apart. The comparison still scores a
 * one-typo difference as near agreement, so such a pair reaches the review band.
 */
export function identifierValuesConflict(
  a: StrongIdentifier,
  b: StrongIdentifier,
  corroborated = false,
): boolean {
  if (a.value === b.value) return false;
  if (corroborated && a.toleratesTypos && damerauLevenshteinDistance(a.value, b.value, 1) <= 1) return false;
  return true;
}

function numberClusters(sets: UnionFind, count: number): { clusterOf: Int32Array; clusters: number[][] } {
  const clusterOf = new Int32Array(count).fill(-1);
  const indexOfRoot = new Map<number, number>();
  const clusters: number[][] = [];
  for (let node = 0; node < count; node += 1) {
    const root = sets.find(node);
    let cluster = indexOfRoot.get(root);
    if (cluster === undefined) {
      cluster = clusters.length;
      indexOfRoot.set(root, cluster);
      clusters.push([]);
    }
    clusters[cluster]!.push(node);
    clusterOf[node] = cluster;
  }
  return { clusterOf, clusters };
}
