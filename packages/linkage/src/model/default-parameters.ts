import type { PatternCounts } from "./expectation-maximisation.ts";
import type { ComparisonPlan } from "./prepared-record.ts";

/**
 * Below this many records a table is linked with the built-in default parameters rather than
 * trained on: u from a few dozen random pairs, and m and the prior from EM on a handful of
 * candidate pairs, say nothing about the population. On a table of one person's 4 records every
 * random pair agrees on the A-number, so trained u made agreeing on it no evidence at all and
 * the prior near 0: the person's order, appeal and termination stood as four persons, the order
 * alone actionable. `passage link` warns below the same count (FEW_TRAINING_RECORDS).
 */
export const MINIMUM_TRAINING_RECORDS = 100;

/**
 * Weight of the u prior, in random pairs: u is (non-matching pairs at each level + this many
 * pairs spread as the comparison's `startingU`) over (non-matching pairs + this many). Negligible
 * against the 500,000 random pairs of a large table; it is all of u where random pairs show
 * (nearly) no two different persons.
 */
export const U_PRIOR_PAIRS = 100;

/** Weight of the m prior, in expected matches: how much EM's m is pulled toward `startingM`. */
export const M_PRIOR_MATCHES = 20;

/** The comparisons' default m (level 0, missing, is 0), each row summing to 1. */
export function startingMOf(plan: ComparisonPlan): number[][] {
  return plan.comparators.map((comparator) =>
    normalisedLevels(comparator.levels.map((level) => level.startingM)),
  );
}

/** The comparisons' default u (level 0, missing, is 0), each row summing to 1. */
export function startingUOf(plan: ComparisonPlan): number[][] {
  return plan.comparators.map((comparator) =>
    normalisedLevels(comparator.levels.map((level) => level.startingU)),
  );
}

/**
 * The prior of the built-in parameters: as if each person held two records (dedupe: n / 2
 * matches among n (n - 1) / 2 pairs), or each record of the smaller input had its match in the
 * other (link_only), at most 0.5.
 */
export function defaultPrior(linkType: "dedupe" | "link_only", records: number, left: number): number {
  const expected = linkType === "dedupe" ? records / 2 : Math.min(left, records - left);
  const pairs = linkType === "dedupe" ? (records * (records - 1)) / 2 : left * (records - left);
  return pairs > 0 ? Math.min(0.5, Math.max(1e-12, expected / pairs)) : 0.5;
}

/**
 * u from random pairs, as the distribution among the pairs that are not matches: EM over the
 * pairs' patterns with m fixed at `m`, u and the match share free, u given a prior of
 * U_PRIOR_PAIRS pairs at `prior` (and half a pair per level, so a level no pair reaches still
 * has a finite weight). Random pairs of a large table are nearly all non-matches, and this is
 * their frequencies; on a table of few persons most random pairs are the same person, and
 * counting them as non-matches made an A-number's agreement look like chance (u near 1).
 * EM starts from the prior, so pairs agreeing on everything are read as one person, not as
 * different persons who happen to agree on everything.
 */
export function estimateUFromRandomPairs(
  patterns: PatternCounts,
  m: readonly (readonly number[])[],
  prior: readonly (readonly number[])[],
): number[][] {
  const { width, levels, counts } = patterns;
  let u = prior.map((row) => [...row]);
  let lambda = 0.01;
  for (let iteration = 0; iteration < 200; iteration += 1) {
    const totals = u.map((row) => new Float64Array(row.length));
    let matchMass = 0;
    let totalMass = 0;
    for (let p = 0; p < counts.length; p += 1) {
      let matchLikelihood = lambda;
      let nonMatchLikelihood = 1 - lambda;
      for (let k = 0; k < width; k += 1) {
        const level = levels[p * width + k]!;
        if (level === 0) continue;
        matchLikelihood *= m[k]![level]!;
        nonMatchLikelihood *= u[k]![level]!;
      }
      const posterior = matchLikelihood / (matchLikelihood + nonMatchLikelihood);
      matchMass += counts[p]! * posterior;
      totalMass += counts[p]!;
      for (let k = 0; k < width; k += 1) totals[k]![levels[p * width + k]!]! += counts[p]! * (1 - posterior);
    }
    const next = totals.map((row, k) =>
      normalisedLevels(
        Array.from(row, (count, level) =>
          level === 0 ? 0 : count + 0.5 + U_PRIOR_PAIRS * prior[k]![level]!,
        ),
      ),
    );
    const nextLambda = Math.min(1 - 1e-6, Math.max(1e-9, matchMass / totalMass));
    let change = Math.abs(nextLambda - lambda) / Math.max(lambda, 1e-6);
    next.forEach((row, k) => {
      for (let level = 1; level < row.length; level += 1)
        change = Math.max(change, Math.abs(row[level]! - u[k]![level]!));
    });
    u = next;
    lambda = nextLambda;
    if (change < 1e-7) break;
  }
  return u;
}

/** Level 0 (missing) set to 0, the rest scaled to sum to 1. */
export function normalisedLevels(row: readonly number[]): number[] {
  let sum = 0;
  for (let level = 1; level < row.length; level += 1) sum += row[level]!;
  return row.map((value, level) => (level === 0 ? 0 : value / sum));
}
