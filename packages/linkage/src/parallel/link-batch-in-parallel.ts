import type { BlockingRuleStatistics, CandidateGeneration } from "../blocking/generate-candidate-pairs.ts";
import { generateCandidatePairs } from "../blocking/generate-candidate-pairs.ts";
import type { CandidatePairs } from "../blocking/pair-buffer.ts";
import {
  type BatchLinkOptions,
  type BatchLinkResult,
  clusterScoredPairs,
  createPhaseClock,
  type ScoredPairs,
  scoreCandidatePairs,
} from "../link-batch.ts";
import { LinkageErrors } from "../linkage-errors.ts";
import { compileModel } from "../model/compiled-model.ts";
import type { LinkageModel } from "../model/linkage-model.ts";
import type { LinkageSettings } from "../model/linkage-settings.ts";
import { createComparisonPlan, type LinkageRecord, type PreparedRecord } from "../model/prepared-record.ts";
import { finishTraining, startTraining } from "../model/train-model.ts";
import { type FlatBlocks, flattenBlocks, unflattenBlocks } from "./flat-blocks.ts";

/** The scores of a slice of candidate pairs, as batch scoring gives them. */
export interface ScoredSlice {
  readonly weight: Float64Array;
  readonly band: Uint8Array;
  readonly reason: Uint8Array;
  /** Wall milliseconds the helper spent scoring. */
  readonly milliseconds?: number;
}

/** Candidate pairs and blocks as another thread returns them (flat arrays). */
export interface HelperCandidates {
  readonly pairs: CandidatePairs;
  readonly statistics: readonly BlockingRuleStatistics[];
  readonly blocks: readonly FlatBlocks[];
  /** Wall milliseconds the helper spent standardising and blocking. */
  readonly timings?: Readonly<Record<string, number>>;
}

/**
 * Another thread linking alongside: it standardises the same records and blocks them while
 * this thread trains, then scores a share of the candidate pairs. `createInProcessHelper` is
 * one (for tests); `@passage/linkage/threads` gives one on a worker thread.
 */
export interface LinkageHelper {
  /** Hands over the records: the helper standardises and blocks them from now on. */
  start(settings: LinkageSettings, records: readonly LinkageRecord[]): void;
  /** The candidate pairs the helper's blocking found (exactly what `generateCandidatePairs` gives). */
  candidates(): Promise<HelperCandidates>;
  /** Scores candidate pairs [start, end) with the model. */
  score(model: LinkageModel, start: number, end: number): Promise<ScoredSlice>;
}

export interface ParallelBatchLinkOptions extends BatchLinkOptions {
  readonly helper: LinkageHelper;
  /** Share of the candidate pairs the helper scores (default 0.5). */
  readonly helperShare?: number;
}

/**
 * `linkBatch` with a helper thread: the helper blocks while this thread standardises and learns
 * what training needs no pairs for; the pairs are scored half here, half there. Pairs, scores,
 * model and clusters are identical to `linkBatch`'s. `timings` keys starting with "helper" are
 * the helper thread's own (they overlap this thread's phases).
 */
export async function linkBatchInParallel(
  settingsOrModel: LinkageSettings,
  records: readonly LinkageRecord[],
  options: ParallelBatchLinkOptions,
): Promise<BatchLinkResult> {
  const clock = createPhaseClock(options.cpuClock);
  const { phase, timings } = clock;
  const settings = options.model?.settings ?? settingsOrModel;
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.id)) throw LinkageErrors.recordDuplicate.create(record.id);
    seen.add(record.id);
  }
  options.helper.start(settings, records);
  phase("hand over");
  const plan = createComparisonPlan(settings);
  const prepared = records.map((record) => plan.prepare(record));
  phase("standardise");
  const training = options.model ? undefined : startTraining(plan, prepared, options.training);
  phase("train");
  const found = await options.helper.candidates();
  const candidates: CandidateGeneration = {
    pairs: found.pairs,
    statistics: found.statistics,
    blocks: found.blocks.map(unflattenBlocks),
  };
  phase("block");
  for (const [name, milliseconds] of Object.entries(found.timings ?? {}))
    timings[`helper ${name}`] = milliseconds;
  const model = options.model ?? finishTraining(training!, candidates);
  phase("train");
  const compiled = compileModel(model, plan);
  const count = candidates.pairs.count;
  const split = Math.round(count * Math.min(1, Math.max(0, options.helperShare ?? 0.5)));
  const helped = split > 0 ? options.helper.score(model, 0, split) : undefined;
  const own = scoreCandidatePairs(compiled, prepared, candidates.pairs, split, count);
  const theirs = helped ? await helped : undefined;
  const pairs = joinScores(candidates.pairs, theirs, own, split);
  phase("score");
  if (theirs?.milliseconds !== undefined) timings["helper score"] = theirs.milliseconds;
  return clusterScoredPairs({ model, compiled, prepared, candidates, pairs, options, clock });
}

function joinScores(
  candidates: CandidatePairs,
  first: ScoredSlice | undefined,
  rest: ScoredPairs,
  split: number,
): ScoredPairs {
  const weight = new Float64Array(candidates.count);
  const band = new Uint8Array(candidates.count);
  const reason = new Uint8Array(candidates.count);
  if (first) {
    weight.set(first.weight, 0);
    band.set(first.band, 0);
    reason.set(first.reason, 0);
  }
  weight.set(rest.weight, split);
  band.set(rest.band, split);
  reason.set(rest.reason, split);
  return { count: candidates.count, left: candidates.left, right: candidates.right, weight, band, reason };
}

/**
 * The helper's side of the work, wherever it runs: standardise, block, and score slices. A
 * worker thread wraps one; `createInProcessHelper` calls one directly.
 */
export class HelperWork {
  private readonly prepared: PreparedRecord[];
  private readonly generation: CandidateGeneration;
  private compiled: { model: LinkageModel; compiled: ReturnType<typeof compileModel> } | undefined;
  readonly plan: ReturnType<typeof createComparisonPlan>;

  private readonly timings: Record<string, number> = {};

  constructor(
    settings: LinkageSettings,
    records: readonly LinkageRecord[],
    timings: Record<string, number> = {},
  ) {
    Object.assign(this.timings, timings);
    let mark = performance.now();
    this.plan = createComparisonPlan(settings);
    this.prepared = records.map((record) => this.plan.prepare(record));
    this.timings.standardise = performance.now() - mark;
    mark = performance.now();
    this.generation = generateCandidatePairs(this.plan, this.prepared);
    this.timings.block = performance.now() - mark;
  }

  candidates(): HelperCandidates {
    return {
      pairs: this.generation.pairs,
      statistics: this.generation.statistics,
      blocks: this.generation.blocks.map(flattenBlocks),
      timings: this.timings,
    };
  }

  score(model: LinkageModel, start: number, end: number): ScoredSlice {
    const started = performance.now();
    if (this.compiled?.model !== model) this.compiled = { model, compiled: compileModel(model, this.plan) };
    const scored = scoreCandidatePairs(
      this.compiled.compiled,
      this.prepared,
      this.generation.pairs,
      start,
      end,
    );
    return {
      weight: scored.weight,
      band: scored.band,
      reason: scored.reason,
      milliseconds: performance.now() - started,
    };
  }
}

/** A helper that does its share on this thread (for tests, and where threads are not wanted). */
export function createInProcessHelper(): LinkageHelper {
  let work: HelperWork | undefined;
  return {
    start(settings, records) {
      work = new HelperWork(settings, records);
    },
    candidates: async () => work!.candidates(),
    score: async (model, start, end) => work!.score(model, start, end),
  };
}
