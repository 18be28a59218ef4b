import { compileBlockingRule } from "../blocking/blocking-keys.ts";
import type { CandidateGeneration } from "../blocking/generate-candidate-pairs.ts";
import { buildBlocks } from "../blocking/generate-candidate-pairs.ts";
import { LinkageErrors } from "../linkage-errors.ts";
import { createSeededRandom, randomInteger } from "../seeded-random.ts";
import { compareRecords } from "./compare-records.ts";
import {
  defaultPrior,
  estimateUFromRandomPairs,
  M_PRIOR_MATCHES,
  MINIMUM_TRAINING_RECORDS,
  normalisedLevels,
  startingMOf,
  startingUOf,
} from "./default-parameters.ts";
import { type EmParameters, expectationMaximisation, PatternCounter } from "./expectation-maximisation.ts";
import {
  type ComparisonParameters,
  type LinkageModel,
  MODEL_SCHEMA,
  MODEL_SCHEMA_VERSION,
  type TrainingSession,
  type TrainingStatistics,
} from "./linkage-model.ts";
import { levelOrderOf, monotoneLevelM } from "./monotone-level-weights.ts";
import { namesakeBirthYearsOf } from "./namesake-birth-years.ts";
import type { ComparisonPlan, PreparedRecord } from "./prepared-record.ts";
import { countTermFrequencies, fullNameHoldersOf } from "./term-frequencies.ts";

/** Knobs of unsupervised training; every one has a default. */
export interface TrainingOptions {
  readonly seed?: number;
  /** Random pairs compared to estimate u (default 500,000, capped by the number of pairs). */
  readonly randomPairs?: number;
  /** Candidate pairs sampled per EM session (default 100,000). */
  readonly pairsPerSession?: number;
  readonly maximumIterations?: number;
  readonly tolerance?: number;
  readonly trainedAt?: string;
}

/**
 * Trains a Fellegi-Sunter model without labels (as Splink does): u from random pairs (nearly
 * all non-matches; the pairs EM reads as matches are left out, and u has a prior toward the
 * comparisons' `startingU`), m by EM over each blocking rule's candidate pairs with that rule's
 * own fields held out (they agree by construction there), m averaged over sessions by their
 * expected matches with a prior toward `startingM`, and the prior from the expected number of
 * matches over all pairs. A table of fewer than MINIMUM_TRAINING_RECORDS records is not trained
 * on: it gets the built-in default parameters, and `training.defaultParameters` says so.
 */
export function trainModel(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
  candidates: CandidateGeneration,
  options: TrainingOptions = {},
): LinkageModel {
  return finishTraining(startTraining(plan, records, options), candidates);
}

/** What training learns before blocking: u, term frequencies, full-name holders, namesakes' birth years. */
export interface TrainingStart {
  readonly plan: ComparisonPlan;
  readonly records: readonly PreparedRecord[];
  readonly options: TrainingOptions;
  readonly seed: number;
  readonly totalPairs: number;
  readonly randomPairsWanted: number;
  readonly random: () => number;
  readonly u: number[][];
  readonly termFrequencies: LinkageModel["termFrequencies"];
  readonly fullNameHolders: Pick<LinkageModel, "fullNameHolders">;
  readonly namesakeBirthYears: Pick<LinkageModel, "namesakeBirthYears">;
  /** Why the built-in default parameters are used rather than training, or undefined when training. */
  readonly defaultsBecause: string | undefined;
}

/**
 * The part of training that needs no candidate pairs, so it can run while another thread
 * blocks: u from random pairs, term frequencies, full-name holders and namesakes' birth years.
 */
export function startTraining(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
  options: TrainingOptions = {},
): TrainingStart {
  const seed = options.seed ?? 42;
  const totalPairs = countAllPairs(plan, records);
  if (totalPairs < 1) throw LinkageErrors.trainingImpossible.create("fewer than two records to compare");
  const random = createSeededRandom(seed);
  const defaultsBecause =
    records.length < MINIMUM_TRAINING_RECORDS
      ? `${records.length} records, fewer than the ${MINIMUM_TRAINING_RECORDS} needed to train on`
      : undefined;
  const randomPairsWanted =
    defaultsBecause === undefined ? Math.min(options.randomPairs ?? 500_000, totalPairs) : 0;
  let u: number[][];
  if (defaultsBecause === undefined) {
    u = estimateU(plan, records, randomPairsWanted, random);
    estimateUAmongNamesakes(plan, records, u, Math.min(200_000, randomPairsWanted), random);
  } else u = startingUOf(plan);
  return {
    plan,
    records,
    options,
    seed,
    totalPairs,
    randomPairsWanted,
    random,
    u,
    termFrequencies: countTermFrequencies(plan, records),
    fullNameHolders: fullNameHoldersOf(plan, records),
    namesakeBirthYears: namesakeBirthYearsOf(plan, records),
    defaultsBecause,
  };
}

/** The rest of training, on the candidate pairs: m by EM per blocking rule, the prior, exact agreements. */
export function finishTraining(start: TrainingStart, candidates: CandidateGeneration): LinkageModel {
  const { plan, records, options, totalPairs, randomPairsWanted, random, u } = start;
  if (start.defaultsBecause !== undefined) return defaultModel(start, candidates);
  if (candidates.pairs.count === 0) {
    throw LinkageErrors.trainingImpossible.create("blocking found no pair of records sharing a key");
  }
  const starting = startingMOf(plan);
  const sessions: TrainingSession[] = [];
  const mSums = plan.comparators.map((comparator) => new Float64Array(comparator.levels.length));
  const mWeights = new Float64Array(plan.comparators.length);
  const emOptions = {
    maximumIterations: options.maximumIterations ?? 100,
    tolerance: options.tolerance ?? 1e-5,
  };
  const levels = new Uint8Array(plan.comparators.length);
  for (const [ruleIndex, rule] of plan.settings.blockingRules.entries()) {
    // A rule limited to pairs of record classes compares few of its blocks' pairs: its blocks
    // are no sample of the pairs blocking finds.
    if (rule.classPairs !== undefined) continue;
    const compiled = compileBlockingRule(rule, plan);
    const heldOut = new Set(compiled.comparisonIndexes);
    // Every pair the rule blocks (not only those no earlier rule found): a rule's residual
    // pairs lack exactly the matches earlier rules caught, which would bias m.
    const blocks =
      candidates.blocks[ruleIndex] ?? buildBlocks(compiled, records, compiled.blockSizeCap).blocks;
    const sample = sampleBlockPairs(plan, blocks, records, options.pairsPerSession ?? 100_000, random);
    if (sample.pairs === 0) continue;
    const counter = new PatternCounter(plan.comparators.length);
    for (let index = 0; index < sample.left.length; index += 1) {
      compareRecords(plan, records[sample.left[index]!]!, records[sample.right[index]!]!, levels);
      counter.add(levels);
    }
    const start: EmParameters = {
      m: starting.map((row) => [...row]),
      u: u.map((row) => [...row]),
      lambda: 0.3,
    };
    const result = expectationMaximisation(counter.result(), start, {
      heldOut,
      estimateU: true,
      ...emOptions,
    });
    const matchesInSample = result.lambda * sample.left.length;
    const used = matchesInSample >= 5 && agreementFavoursMatches(result.m, u, heldOut);
    if (used) {
      for (let k = 0; k < plan.comparators.length; k += 1) {
        if (heldOut.has(k)) continue;
        for (let level = 1; level < mSums[k]!.length; level += 1) {
          mSums[k]![level]! += result.m[k]![level]! * matchesInSample;
        }
        mWeights[k]! += matchesInSample;
      }
    }
    sessions.push({
      blockingRule: rule.name,
      pairs: sample.pairs,
      sampledPairs: sample.left.length,
      heldOut: [...heldOut].map((k) => plan.settings.comparisons[k]!.name),
      iterations: result.iterations,
      converged: result.converged,
      matchShare: result.lambda,
      used,
    });
  }
  // The prior's M_PRIOR_MATCHES pseudo-matches weigh nothing beside the thousands of matches of
  // a large table's sessions, but keep a session of a few matches from setting m on its own.
  const m = plan.comparators.map((_, k) =>
    mWeights[k]! > 0
      ? floorM(
          Array.from(
            mSums[k]!,
            (sum, level) => (sum + M_PRIOR_MATCHES * starting[k]![level]!) / (mWeights[k]! + M_PRIOR_MATCHES),
          ),
        )
      : starting[k]!,
  );
  const { expectedMatches, matchesAgreeingExactly } = estimateCandidateMatches(
    plan,
    records,
    candidates,
    m,
    u,
    random,
    options,
  );
  countExactAgreements(plan, records, u, matchesAgreeingExactly);
  const comparisons: Record<string, ComparisonParameters> = {};
  const untrained: string[] = [];
  plan.settings.comparisons.forEach((comparison, k) => {
    if (mWeights[k] === 0) untrained.push(comparison.name);
    // Last, on the final u: the exact level's u of identifiers is only counted above.
    const ordered = monotoneLevelM(m[k]!, u[k]!, levelOrderOf(comparison.kind, plan.comparators[k]!.levels));
    comparisons[comparison.name] = { m: withMissingLevel(ordered), u: withMissingLevel(u[k]!) };
  });
  const prior = Math.min(0.5, Math.max(1e-12, expectedMatches / totalPairs));
  return modelOf(start, candidates, prior, comparisons, {
    randomPairsSampled: randomPairsWanted,
    sessions,
    untrainedComparisons: untrained,
    expectedMatches,
  });
}

/** The model of a training start: its parameters, the start's counts, and what training did. */
function modelOf(
  start: TrainingStart,
  candidates: CandidateGeneration,
  prior: number,
  comparisons: Record<string, ComparisonParameters>,
  training: Omit<TrainingStatistics, "records" | "candidatePairs" | "seed" | "trainedAt">,
): LinkageModel {
  const { plan, records, seed, options } = start;
  const { randomPairsSampled, ...rest } = training;
  return {
    schema: MODEL_SCHEMA,
    schemaVersion: MODEL_SCHEMA_VERSION,
    settings: plan.settings,
    parameters: { prior, comparisons },
    termFrequencies: start.termFrequencies,
    ...start.fullNameHolders,
    ...start.namesakeBirthYears,
    training: {
      records: records.length,
      candidatePairs: candidates.pairs.count,
      // In the order models have always been written.
      randomPairsSampled,
      seed,
      ...rest,
      ...(options.trainedAt === undefined ? {} : { trainedAt: options.trainedAt }),
    },
  };
}

/** All comparable pairs: n(n-1)/2 for dedupe, n0 * n1 for link_only. */
export function countAllPairs(plan: ComparisonPlan, records: readonly PreparedRecord[]): number {
  if (plan.settings.linkType === "dedupe") return (records.length * (records.length - 1)) / 2;
  let left = 0;
  for (const record of records) if (record.source === 0) left += 1;
  return left * (records.length - left);
}

/**
 * The built-in parameters of a table too small to train on: `startingM` and `startingU` of each
 * comparison and `defaultPrior`. Term frequencies, full-name holders and namesakes' birth years
 * are still counted: they are counts, not estimates.
 */
function defaultModel(start: TrainingStart, candidates: CandidateGeneration): LinkageModel {
  const { plan, records } = start;
  const left = records.filter((record) => record.source === 0).length;
  const prior = defaultPrior(plan.settings.linkType, records.length, left);
  const m = startingMOf(plan);
  const comparisons: Record<string, ComparisonParameters> = {};
  plan.settings.comparisons.forEach((comparison, k) => {
    comparisons[comparison.name] = { m: withMissingLevel(m[k]!), u: withMissingLevel(start.u[k]!) };
  });
  return modelOf(start, candidates, prior, comparisons, {
    randomPairsSampled: 0,
    sessions: [],
    untrainedComparisons: plan.settings.comparisons.map((comparison) => comparison.name),
    expectedMatches: prior * start.totalPairs,
    defaultParameters: { minimumRecords: MINIMUM_TRAINING_RECORDS, reason: start.defaultsBecause! },
  });
}

function estimateU(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
  wanted: number,
  random: () => number,
): number[][] {
  const counter = new PatternCounter(plan.comparators.length);
  const levels = new Uint8Array(plan.comparators.length);
  const sides =
    plan.settings.linkType === "link_only"
      ? [0, 1].map((source) => records.filter((record) => record.source === source))
      : undefined;
  for (let sample = 0; sample < wanted; sample += 1) {
    let left: PreparedRecord;
    let right: PreparedRecord;
    if (sides) {
      left = sides[0]![randomInteger(random, sides[0]!.length)]!;
      right = sides[1]![randomInteger(random, sides[1]!.length)]!;
    } else {
      const first = randomInteger(random, records.length);
      let second = randomInteger(random, records.length - 1);
      if (second >= first) second += 1;
      left = records[first]!;
      right = records[second]!;
    }
    compareRecords(plan, left, right, levels);
    counter.add(levels);
  }
  return estimateUFromRandomPairs(counter.result(), startingMOf(plan), startingUOf(plan));
}

/**
 * For fields that go with the family name (nationality, country of birth), u among pairs
 * sharing a family-name sound. Such pairs include some matches, which only raises u: the
 * field then counts for less, the safe direction.
 */
function estimateUAmongNamesakes(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
  u: number[][],
  wanted: number,
  random: () => number,
): void {
  const dependent = plan.settings.comparisons.flatMap((comparison, k) =>
    comparison.dependsOnFamilyName ? [k] : [],
  );
  const family = plan.settings.comparisons.find((comparison) => comparison.kind === "family_name");
  if (dependent.length === 0 || family === undefined) return;
  const rule = compileBlockingRule(
    { name: "family sound", parts: [{ transform: "phonetic", comparisons: [family.name] }], refinements: [] },
    plan,
  );
  const sample = sampleBlockPairs(
    plan,
    buildBlocks(rule, records, Number.MAX_SAFE_INTEGER).blocks,
    records,
    wanted,
    random,
  );
  if (sample.left.length === 0) return;
  const levels = new Uint8Array(plan.comparators.length);
  const counts = dependent.map((k) => new Float64Array(plan.comparators[k]!.levels.length));
  for (let index = 0; index < sample.left.length; index += 1) {
    compareRecords(plan, records[sample.left[index]!]!, records[sample.right[index]!]!, levels);
    dependent.forEach((k, position) => {
      counts[position]![levels[k]!]! += 1;
    });
  }
  dependent.forEach((k, position) => {
    u[k] = normalisedLevels(Array.from(counts[position]!, (count, level) => (level === 0 ? 0 : count + 0.5)));
  });
}

/** The pairs within blocks: all of them when few, else a uniform sample (with replacement). */
function sampleBlockPairs(
  plan: ComparisonPlan,
  blocks: readonly (readonly number[])[],
  records: readonly PreparedRecord[],
  wanted: number,
  random: () => number,
): { pairs: number; left: number[]; right: number[] } {
  const linkOnly = plan.settings.linkType === "link_only";
  const cumulative = new Float64Array(blocks.length);
  let pairs = 0;
  blocks.forEach((members, index) => {
    pairs += (members.length * (members.length - 1)) / 2;
    cumulative[index] = pairs;
  });
  const left: number[] = [];
  const right: number[] = [];
  const take = (a: number, b: number) => {
    if (linkOnly && records[a]!.source === records[b]!.source) return;
    left.push(a);
    right.push(b);
  };
  if (pairs <= wanted) {
    for (const members of blocks) {
      for (let a = 0; a < members.length; a += 1) {
        for (let b = a + 1; b < members.length; b += 1) take(members[a]!, members[b]!);
      }
    }
    return { pairs: left.length, left, right };
  }
  for (let draw = 0; draw < wanted; draw += 1) {
    const target = random() * pairs;
    let low = 0;
    let high = blocks.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! <= target) low = middle + 1;
      else high = middle;
    }
    const members = blocks[low]!;
    const first = randomInteger(random, members.length);
    let second = randomInteger(random, members.length - 1);
    if (second >= first) second += 1;
    take(members[first]!, members[second]!);
  }
  return { pairs, left, right };
}

/**
 * Expected matching pairs among the candidates: EM over a sample of them with m fixed and the
 * candidates' own u free (blocked non-matches agree more than random pairs do), scaled up.
 */
function estimateCandidateMatches(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
  candidates: CandidateGeneration,
  m: readonly number[][],
  u: readonly number[][],
  random: () => number,
  options: TrainingOptions,
): { expectedMatches: number; matchesAgreeingExactly: Float64Array } {
  const wanted = Math.min(candidates.pairs.count, options.pairsPerSession ?? 100_000);
  const counter = new PatternCounter(plan.comparators.length);
  const levels = new Uint8Array(plan.comparators.length);
  for (let draw = 0; draw < wanted; draw += 1) {
    const pair = wanted === candidates.pairs.count ? draw : randomInteger(random, candidates.pairs.count);
    compareRecords(
      plan,
      records[candidates.pairs.left[pair]!]!,
      records[candidates.pairs.right[pair]!]!,
      levels,
    );
    counter.add(levels);
  }
  const patterns = counter.result();
  let estimate = { m: m.map((row) => [...row]), u: u.map((row) => [...row]), lambda: 0.3 };
  // m stays fixed: each single EM step re-estimates it, so it is restored before the next.
  for (let pass = 0; pass < 100; pass += 1) {
    const result = expectationMaximisation(patterns, estimate, {
      estimateU: true,
      maximumIterations: 1,
      tolerance: 0,
    });
    const converged = Math.abs(result.lambda - estimate.lambda) < 1e-7;
    estimate = { m: m.map((row) => [...row]), u: result.u, lambda: result.lambda };
    if (converged) break;
  }
  // Expected matches among candidates that agree exactly on each field. The posteriors use the
  // random-pair u: among candidates blocked on an A-number, u of agreeing is high by
  // construction, which would leave real matches counted as chance agreement.
  const scale = candidates.pairs.count / wanted;
  const matchesAgreeingExactly = new Float64Array(plan.comparators.length);
  const width = patterns.width;
  for (let p = 0; p < patterns.counts.length; p += 1) {
    let matchLikelihood = estimate.lambda;
    let nonMatchLikelihood = 1 - estimate.lambda;
    for (let k = 0; k < width; k += 1) {
      const level = patterns.levels[p * width + k]!;
      if (level === 0) continue;
      matchLikelihood *= estimate.m[k]![level]!;
      nonMatchLikelihood *= u[k]![level]!;
    }
    const matches = (patterns.counts[p]! * scale * matchLikelihood) / (matchLikelihood + nonMatchLikelihood);
    for (let k = 0; k < width; k += 1)
      if (patterns.levels[p * width + k] === 1) matchesAgreeingExactly[k]! += matches;
  }
  return { expectedMatches: estimate.lambda * candidates.pairs.count, matchesAgreeingExactly };
}

/**
 * Replaces the sampled u of exact agreement on identifier and exact columns by a count over
 * every pair: pairs sharing a value (from value counts) minus the candidate pairs agreeing on
 * it that the model expects to be matches.
 * Random sampling cannot see how rarely two different persons share an A-number — in a sample
 * the few agreeing pairs are mostly the same person — so it would understate its weight.
 * A residual within sampling noise, or below one pair, counts as half a pair.
 */
function countExactAgreements(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
  u: number[][],
  matchesAgreeingExactly: Float64Array,
): void {
  const linkOnly = plan.settings.linkType === "link_only";
  plan.comparators.forEach((comparator, k) => {
    if (comparator.kind !== "identifier" && comparator.kind !== "exact") return;
    if (plan.settings.comparisons[k]!.dependsOnFamilyName) return;
    const counts = new Map<string, [number, number]>();
    const present: [number, number] = [0, 0];
    for (const record of records) {
      const value = record.values[k];
      if (value === undefined) continue;
      const key = comparator.blockingKey(value, "value");
      if (key === undefined) continue;
      const side = linkOnly && record.source === 1 ? 1 : 0;
      present[side] += 1;
      const entry = counts.get(key) ?? [0, 0];
      entry[side] += 1;
      counts.set(key, entry);
    }
    let sharing = 0;
    for (const [first, second] of counts.values())
      sharing += linkOnly ? first * second : (first * (first - 1)) / 2;
    const pairsWithBoth = linkOnly ? present[0] * present[1] : (present[0] * (present[0] - 1)) / 2;
    if (pairsWithBoth === 0) return;
    // The expected matches come from a sample: a residual within its noise is no evidence of
    // non-matching pairs sharing a value.
    const residual = sharing - matchesAgreeingExactly[k]!;
    const exact = (residual > 3 * Math.sqrt(sharing) ? residual : 0.5) / pairsWithBoth;
    const row = u[k]!;
    const rest = 1 - row[1]!;
    for (let level = 2; level < row.length; level += 1) row[level] = ((row[level] ?? 0) / rest) * (1 - exact);
    row[1] = exact;
  });
}

// No agreement pattern is impossible among matches (a sex recorded wrongly, an A-number
// mistyped): m never falls below this, so no single field can veto a link outright.
const MINIMUM_M = 1e-3;

function floorM(row: readonly number[]): number[] {
  return normalisedLevels(row.map((value, level) => (level === 0 ? 0 : Math.max(MINIMUM_M, value))));
}

/**
 * A session is trusted only if, on most of its free fields, exact agreement is likelier among
 * its matches than among random pairs: otherwise EM has settled on some other split.
 */
function agreementFavoursMatches(
  m: readonly number[][],
  u: readonly number[][],
  heldOut: ReadonlySet<number>,
): boolean {
  let favour = 0;
  let against = 0;
  m.forEach((row, k) => {
    if (heldOut.has(k)) return;
    if (row[1]! > u[k]![1]!) favour += 1;
    else against += 1;
  });
  return favour > against;
}

function withMissingLevel(row: readonly number[]): number[] {
  return row.map((value, level) => (level === 0 ? 1 : value));
}
