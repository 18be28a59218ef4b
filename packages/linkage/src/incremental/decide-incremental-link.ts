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
   * Only `get` is called, and only for persons an auto-link would join: a caller may compute them then.
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
 * a must-link decision attaches; cannot-linked persons are excluded; auto-links to exactly one
 * person attach (unless that person holds a conflicting strong identifier); auto-links to two
 * or more persons go to review, because joining persons is a merge a reviewer confirms.
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
  const scored: ScoredCandidate[] = input.candidates.map((candidate) => {
    const weight = scorer.score(input.record, candidate.record);
    const probability = probabilityOfWeight(weight);
    const classification = classifyPair(
      settings,
      probability,
      scorer.corroboratingWeight,
      input.record.id,
      candidate.record.id,
    );
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
  const conflicts = (clusterId: string): boolean => {
    const held = input.clusterIdentifiers?.get(clusterId) ?? [];
    return identifiersConflict(ownIdentifiers, held);
  };
  const review: ScoredCandidate[] = [];
  const linkedClusters = new Set<string>();
  for (const candidate of scored) {
    if (excluded.has(candidate.clusterId)) continue;
    if (candidate.band === "review") review.push(candidate);
    if (candidate.band !== "auto_link") continue;
    if (conflicts(candidate.clusterId))
      review.push({ ...candidate, band: "review", reason: "conflicting_identifiers" });
    else linkedClusters.add(candidate.clusterId);
  }
  const forcedClusters = [...forced].filter((clusterId) => !excluded.has(clusterId));
  if (forcedClusters.length === 1) {
    const clusterId = forcedClusters[0]!;
    return {
      action: "attach",
      clusterId,
      scored,
      review: review.filter((item) => item.clusterId !== clusterId),
    };
  }
  if (forcedClusters.length > 1 || linkedClusters.size > 1) {
    const joining = scored.filter(
      (candidate) => linkedClusters.has(candidate.clusterId) && candidate.band === "auto_link",
    );
    return { action: "review", reason: "joins_two_persons", scored, review: [...joining, ...review] };
  }
  if (linkedClusters.size === 1) {
    const clusterId = [...linkedClusters][0]!;
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
