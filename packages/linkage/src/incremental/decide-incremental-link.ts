import type { HumanDecisionKind } from "../cluster/cluster-records.ts";
import { identifiersConflict } from "../cluster/cluster-records.ts";
import type { StrongIdentifier } from "../compare/field-comparator.ts";
import { classifyPair, type LinkBand, type ReviewReason } from "../model/classify-pair.ts";
import { type CompiledModel, probabilityOfWeight } from "../model/compiled-model.ts";
import { PairScorer } from "../model/pair-scorer.ts";
import type { PreparedRecord } from "../model/prepared-record.ts";

/** A candidate from the blocking index, with the person it currently belongs to. */
export interface IncrementalCandidate {
  readonly record: PreparedRecord;
  readonly clusterId: string;
  /**
   * A record placed in its person outside linkage (a placement must-link names it as placed): the
   * placement, not its content, holds it there, so its auto-link joins the arriving record to no
   * person (clustering's `placedRecordId`). It is scored, and reviewed when its person conflicts.
   */
  readonly placed?: boolean | undefined;
}

/** A human decision that names the new record and a record of an existing person. */
export interface IncrementalDecisionInput {
  readonly otherRecordId: string;
  readonly otherClusterId: string;
  readonly decision: HumanDecisionKind;
}

export interface IncrementalLinkInput {
  readonly record: PreparedRecord;
  readonly candidates: readonly IncrementalCandidate[];
  /**
   * Strong identifiers held by each candidate person (all its records, not only the candidates).
   * Only `get` is called, and only for persons an auto-link or a must-link would join: a caller may
   * compute them then.
   */
  readonly clusterIdentifiers?: Pick<ReadonlyMap<string, readonly StrongIdentifier[]>, "get">;
  readonly decisions?: readonly IncrementalDecisionInput[];
}

/** One scored candidate: the evidence the database phase stores beside the decision. */
export interface ScoredCandidate {
  readonly recordId: string;
  readonly clusterId: string;
  readonly weight: number;
  readonly probability: number;
  readonly band: LinkBand;
  readonly reason: ReviewReason | undefined;
}

export type IncrementalDecision =
  /** Join the person `clusterId` (auto-link or must-link); `review` lists pairs still to look at. */
  | {
      readonly action: "attach";
      readonly clusterId: string;
      readonly scored: readonly ScoredCandidate[];
      readonly review: readonly ScoredCandidate[];
    }
  /** A new person: nothing links. */
  | { readonly action: "create"; readonly scored: readonly ScoredCandidate[]; readonly review: readonly [] }
  /**
   * Hold the record as a new person and ask a reviewer: a possible link is uncertain, lacks
   * corroboration, conflicts with a strong identifier, or would join two persons.
   */
  | {
      readonly action: "review";
      readonly reason: ReviewReason;
      readonly scored: readonly ScoredCandidate[];
      readonly review: readonly ScoredCandidate[];
    };

/**
 * Decides what to do with one new record given its candidates, scoring each pair with the same
 * PairScorer as batch linking (same model, same comparison code, so the same score). Rules:
 * a must-link decision attaches; cannot-linked persons are excluded; auto-links are taken as
 * clustering takes them, strongest first (ties by the other record's id): each joins its person
 * unless that person holds a strong identifier conflicting with the record's and those of the
 * person joined before it, and then the pair is reviewed (`conflicting_identifiers`). So a record
 * auto-linking to two persons that could never be one joins the person of its strongest auto-link
 * and the other is asked about, as `passage rebuild` leaves them. Auto-links joining two or more
 * persons that do not conflict go to review (`joins_two_persons`): the batch would merge them, but
 * merging existing persons on one arriving record is a merge a reviewer confirms. A placed
 * candidate's auto-link joins nothing (as clustering holds a placed record's auto-links), and with a
 * must-link the record joins that person alone: a record placed outside linkage is held where its
 * placement puts it, whatever other persons its content resembles.
 */
export function decideIncrementalLink(
  model: CompiledModel,
  input: IncrementalLinkInput,
): IncrementalDecision {
  const scorer = new PairScorer(model);
  const settings = model.artefact.settings;
  const excluded = new Set<string>();
  const forced = new Set<string>();
  for (const decision of input.decisions ?? []) {
    if (decision.decision === "cannot_link") excluded.add(decision.otherClusterId);
    else forced.add(decision.otherClusterId);
  }
  const placed = new Set(
    input.candidates.filter((candidate) => candidate.placed === true).map((candidate) => candidate.record.id),
  );
  const scored: ScoredCandidate[] = input.candidates.map((candidate) => {
    const weight = scorer.score(input.record, candidate.record);
    const probability = probabilityOfWeight(weight);
    const classification = classifyPair(settings, {
      probability,
      corroboratingWeight: scorer.corroboratingWeight,
      sharedIdentifier: scorer.sharedIdentifier,
      leftId: input.record.id,
      rightId: candidate.record.id,
    });
    return {
      recordId: candidate.record.id,
      clusterId: candidate.clusterId,
      weight,
      probability,
      band: classification.band,
      reason: classification.reason,
    };
  });
  const ownIdentifiers = model.strongIdentifiers(input.record);
  const held = (clusterId: string): readonly StrongIdentifier[] =>
    input.clusterIdentifiers?.get(clusterId) ?? [];
  const review: ScoredCandidate[] = [];
  for (const candidate of scored)
    if (candidate.band === "review" && !excluded.has(candidate.clusterId)) review.push(candidate);
  // The auto-links as clustering takes them: strongest first, ties by the other record's id (every
  // pair holds this record, so the batch's order of the pairs' record ids comes to that). Each joins
  // its person unless that person holds a strong identifier conflicting with the record and the
  // persons joined before it (clustering's test on the merged cluster): then the pair is reviewed.
  // A must-link joins first, as clustering joins decisions before any auto-link.
  const forcedClusters = [...forced].filter((clusterId) => !excluded.has(clusterId));
  const linkedClusters: string[] = forcedClusters.length === 1 ? [...forcedClusters] : [];
  const joinedIdentifiers = [...ownIdentifiers, ...linkedClusters.flatMap(held)];
  for (const candidate of scored
    .filter((item) => item.band === "auto_link" && !excluded.has(item.clusterId))
    .sort(strongestFirst)) {
    if (linkedClusters.includes(candidate.clusterId)) continue;
    const identifiers = held(candidate.clusterId);
    if (identifiersConflict(joinedIdentifiers, identifiers)) {
      review.push({ ...candidate, band: "review", reason: "conflicting_identifiers" });
      continue;
    }
    // A placed candidate's auto-link joins nothing; with a must-link the record joins its person alone.
    if (placed.has(candidate.recordId) || forcedClusters.length === 1) continue;
    linkedClusters.push(candidate.clusterId);
    joinedIdentifiers.push(...identifiers);
  }
  if (forcedClusters.length === 1) {
    const clusterId = forcedClusters[0]!;
    return {
      action: "attach",
      clusterId,
      scored,
      review: review.filter((item) => item.clusterId !== clusterId),
    };
  }
  if (forcedClusters.length > 1 || linkedClusters.length > 1) {
    const joining = scored.filter(
      (candidate) => linkedClusters.includes(candidate.clusterId) && candidate.band === "auto_link",
    );
    return { action: "review", reason: "joins_two_persons", scored, review: [...joining, ...review] };
  }
  if (linkedClusters.length === 1) {
    const clusterId = linkedClusters[0]!;
    return {
      action: "attach",
      clusterId,
      scored,
      review: review.filter((item) => item.clusterId !== clusterId),
    };
  }
  if (review.length > 0) {
    const strongest = review.reduce((best, item) => (item.weight > best.weight ? item : best));
    return { action: "review", reason: strongest.reason ?? "below_auto_link_threshold", scored, review };
  }
  return { action: "create", scored, review: [] };
}

/** Clustering's order of a record's auto-links: the greater weight first, ties by the other record's id. */
function strongestFirst(a: ScoredCandidate, b: ScoredCandidate): number {
  if (a.weight !== b.weight) return b.weight - a.weight;
  return a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0;
}
