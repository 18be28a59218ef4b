import { type BlockingRuleStatistics, generateCandidatePairs } from "./blocking/generate-candidate-pairs.ts";
import type { CandidatePairs } from "./blocking/pair-buffer.ts";
import {
  type Clustering,
  clusterRecords,
  type HumanDecision,
  type ScoredEdge,
} from "./cluster/cluster-records.ts";
import { LinkageErrors } from "./linkage-errors.ts";
import { classifyPair, LINK_BANDS, REVIEW_REASONS } from "./model/classify-pair.ts";
import { type CompiledModel, compileModel, probabilityOfWeight } from "./model/compiled-model.ts";
import type { LinkageModel } from "./model/linkage-model.ts";
import type { LinkageSettings } from "./model/linkage-settings.ts";
import { PairScorer } from "./model/pair-scorer.ts";
import { createComparisonPlan, type LinkageRecord, type PreparedRecord } from "./model/prepared-record.ts";
import { type TrainingOptions, trainModel } from "./model/train-model.ts";

/** Every scored candidate pair, as columns. Band and reason are indexes into LINK_BANDS / REVIEW_REASONS (255: none). */
export interface ScoredPairs {
  readonly count: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly weight: Float64Array;
  readonly band: Uint8Array;
  readonly reason: Uint8Array;
}

export interface BatchLinkOptions {
  /** A trained model to score with; without one, a model is trained on these records. */
  readonly model?: LinkageModel;
  readonly training?: TrainingOptions;
  readonly decisions?: readonly HumanDecision[];
  /**
   * A second clock for the phase profile, e.g. the process's CPU time (milliseconds), so a
   * benchmark on a busy machine can tell work from waiting. Phases are always timed by wall clock.
   */
  readonly cpuClock?: () => number;
}

export interface BatchLinkResult {
  readonly model: LinkageModel;
  readonly compiled: CompiledModel;
  readonly records: readonly PreparedRecord[];
  readonly blocking: readonly BlockingRuleStatistics[];
  readonly pairs: ScoredPairs;
  readonly clustering: Clustering;
  /** Milliseconds spent in each phase, in order: where the time goes. */
  readonly timings: Readonly<Record<string, number>>;
  /** The same phases by `cpuClock`, when one was given. */
  readonly cpuTimings: Readonly<Record<string, number>>;
}

export const NO_REASON = 255;

/**
 * Links a whole population: standardise, block, train (unless a model is given), score every
 * candidate pair, band it, and cluster with the identity safeguards and human decisions.
 */
export function linkBatch(
  settingsOrModel: LinkageSettings,
  records: readonly LinkageRecord[],
  options: BatchLinkOptions = {},
): BatchLinkResult {
  const clock = createPhaseClock(options.cpuClock);
  const { phase } = clock;
  const settings = options.model?.settings ?? settingsOrModel;
  const plan = createComparisonPlan(settings);
  const seen = new Set<string>();
  const prepared = records.map((record) => {
    if (seen.has(record.id)) throw LinkageErrors.recordDuplicate.create(record.id);
    seen.add(record.id);
    return plan.prepare(record);
  });
  phase("standardise");
  const candidates = generateCandidatePairs(plan, prepared);
  phase("block");
  const model = options.model ?? trainModel(plan, prepared, candidates, options.training);
  if (!options.model) phase("train");
  const compiled = compileModel(model, plan);
  const pairs = scoreCandidatePairs(compiled, prepared, candidates.pairs);
  phase("score");
  return clusterScoredPairs({ model, compiled, prepared, candidates, pairs, options, clock });
}

/** Wall (and optionally CPU) milliseconds per named phase; a phase named twice adds up. */
export interface PhaseClock {
  readonly timings: Record<string, number>;
  readonly cpuTimings: Record<string, number>;
  /** Ends the phase `name` (the time since the previous phase ended). */
  readonly phase: (name: string) => void;
}

/** A phase clock for both batch paths. */
export function createPhaseClock(cpuClock: (() => number) | undefined): PhaseClock {
  const timings: Record<string, number> = {};
  const cpuTimings: Record<string, number> = {};
  let mark = performance.now();
  let cpuMark = cpuClock?.() ?? 0;
  const phase = (name: string) => {
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + now - mark;
    mark = now;
    if (cpuClock) {
      const cpuNow = cpuClock();
      cpuTimings[name] = (cpuTimings[name] ?? 0) + cpuNow - cpuMark;
      cpuMark = cpuNow;
    }
  };
  return { timings, cpuTimings, phase };
}

/** The last step of both batch paths: cluster the scored pairs and gather the result. */
export function clusterScoredPairs(input: {
  readonly model: LinkageModel;
  readonly compiled: CompiledModel;
  readonly prepared: readonly PreparedRecord[];
  readonly candidates: { readonly statistics: readonly BlockingRuleStatistics[] };
  readonly pairs: ScoredPairs;
  readonly options: BatchLinkOptions;
  readonly clock: PhaseClock;
}): BatchLinkResult {
  const { model, compiled, prepared, pairs, clock } = input;
  const clustering = clusterRecords({
    recordIds: prepared.map((record) => record.id),
    edges: pairs,
    decisions: input.options.decisions ?? [],
    strongIdentifiers: (index) => compiled.strongIdentifiers(prepared[index]!),
  });
  clock.phase("cluster");
  return {
    model,
    compiled,
    records: prepared,
    blocking: input.candidates.statistics,
    pairs,
    clustering,
    timings: clock.timings,
    cpuTimings: clock.cpuTimings,
  };
}

/** Scores and bands candidate pairs (a contiguous slice of them, for parallel workers). */
export function scoreCandidatePairs(
  compiled: CompiledModel,
  records: readonly PreparedRecord[],
  candidates: CandidatePairs,
  start = 0,
  end = candidates.count,
): ScoredPairs {
  const count = end - start;
  const weight = new Float64Array(count);
  const band = new Uint8Array(count);
  const reason = new Uint8Array(count);
  const scorer = new PairScorer(compiled);
  const settings = compiled.artefact.settings;
  for (let offset = 0; offset < count; offset += 1) {
    const pair = start + offset;
    const left = records[candidates.left[pair]!]!;
    const right = records[candidates.right[pair]!]!;
    const pairWeight = scorer.score(left, right);
    weight[offset] = pairWeight;
    const classification = classifyPair(settings, {
      probability: probabilityOfWeight(pairWeight),
      corroboratingWeight: scorer.corroboratingWeight,
      sharedIdentifier: scorer.sharedIdentifier,
      leftId: left.id,
      rightId: right.id,
    });
    band[offset] = LINK_BANDS.indexOf(classification.band);
    reason[offset] =
      classification.reason === undefined ? NO_REASON : REVIEW_REASONS.indexOf(classification.reason);
  }
  return {
    count,
    left: candidates.left.subarray(start, end),
    right: candidates.right.subarray(start, end),
    weight,
    band,
    reason,
  };
}

/** The auto-link and review pairs, as clustering edges. */
export function edgesOf(pairs: ScoredPairs): ScoredEdge[] {
  const edges: ScoredEdge[] = [];
  for (let pair = 0; pair < pairs.count; pair += 1) {
    const band = LINK_BANDS[pairs.band[pair]!]!;
    if (band === "no_link") continue;
    const reasonIndex = pairs.reason[pair]!;
    edges.push({
      left: pairs.left[pair]!,
      right: pairs.right[pair]!,
      weight: pairs.weight[pair]!,
      probability: probabilityOfWeight(pairs.weight[pair]!),
      band,
      reason: reasonIndex === NO_REASON ? undefined : REVIEW_REASONS[reasonIndex],
    });
  }
  return edges;
}
