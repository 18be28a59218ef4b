/** Comparison vectors aggregated by pattern: EM then costs patterns, not pairs. */
export interface PatternCounts {
  /** Number of comparisons in each pattern. */
  readonly width: number;
  /** Pattern `p`'s levels are `levels[p * width .. p * width + width)`. */
  readonly levels: Uint8Array;
  readonly counts: Float64Array;
}

export interface EmParameters {
  /** Per comparison, per level; level 0 (missing) is ignored. */
  readonly m: number[][];
  readonly u: number[][];
  readonly lambda: number;
}

export interface EmOptions {
  /** Comparisons whose m and u are fixed and ignored (a blocking rule's own fields). */
  readonly heldOut?: ReadonlySet<number>;
  readonly estimateU: boolean;
  readonly maximumIterations: number;
  readonly tolerance: number;
}

export interface EmResult extends EmParameters {
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Counts level vectors by pattern. Levels are below 16, so up to 13 comparisons pack into one
 * exact double and the count map needs no string keys; wider vectors fall back to strings.
 */
export class PatternCounter {
  readonly width: number;
  private readonly numeric = new Map<number, number>();
  private readonly textual = new Map<string, number>();
  private readonly levels: number[] = [];
  private readonly counts: number[] = [];

  constructor(width: number) {
    this.width = width;
  }

  add(vector: Uint8Array, count = 1): void {
    let slot: number | undefined;
    if (this.width <= 13) {
      let code = 0;
      for (let k = 0; k < this.width; k += 1) code = code * 16 + vector[k]!;
      slot = this.numeric.get(code);
      if (slot === undefined) {
        slot = this.newSlot(vector);
        this.numeric.set(code, slot);
      }
    } else {
      const key = Array.from(vector.subarray(0, this.width)).join(",");
      slot = this.textual.get(key);
      if (slot === undefined) {
        slot = this.newSlot(vector);
        this.textual.set(key, slot);
      }
    }
    this.counts[slot]! += count;
  }

  result(): PatternCounts {
    return {
      width: this.width,
      levels: Uint8Array.from(this.levels),
      counts: Float64Array.from(this.counts),
    };
  }

  private newSlot(vector: Uint8Array): number {
    for (let k = 0; k < this.width; k += 1) this.levels.push(vector[k]!);
    this.counts.push(0);
    return this.counts.length - 1;
  }
}

/** Aggregates level vectors into pattern counts. */
export function countPatterns(width: number, vectors: Iterable<Uint8Array>): PatternCounts {
  const counter = new PatternCounter(width);
  for (const vector of vectors) counter.add(vector);
  return counter.result();
}

// Probabilities are kept away from 0 and 1 so that no level's weight becomes infinite.
const FLOOR = 1e-6;

/**
 * Expectation-maximisation for the Fellegi-Sunter mixture (Winkler 1988): alternates the
 * posterior match probability of each pattern with re-estimates of m (and optionally u)
 * and lambda, until no parameter moves by more than the tolerance.
 */
export function expectationMaximisation(
  patterns: PatternCounts,
  start: EmParameters,
  options: EmOptions,
): EmResult {
  const { width, levels, counts } = patterns;
  const heldOut = options.heldOut ?? new Set<number>();
  const m = start.m.map((row) => [...row]);
  const u = start.u.map((row) => [...row]);
  let lambda = start.lambda;
  const patternCount = counts.length;
  let iterations = 0;
  let converged = false;
  while (iterations < options.maximumIterations && !converged) {
    iterations += 1;
    const mTotals = m.map((row) => new Float64Array(row.length));
    const uTotals = u.map((row) => new Float64Array(row.length));
    let matchMass = 0;
    let totalMass = 0;
    for (let p = 0; p < patternCount; p += 1) {
      let matchLikelihood = lambda;
      let nonMatchLikelihood = 1 - lambda;
      const offset = p * width;
      for (let k = 0; k < width; k += 1) {
        const level = levels[offset + k]!;
        if (level === 0 || heldOut.has(k)) continue;
        matchLikelihood *= m[k]![level]!;
        nonMatchLikelihood *= u[k]![level]!;
      }
      const posterior = matchLikelihood / (matchLikelihood + nonMatchLikelihood);
      const count = counts[p]!;
      matchMass += count * posterior;
      totalMass += count;
      for (let k = 0; k < width; k += 1) {
        const level = levels[offset + k]!;
        if (level === 0) continue;
        mTotals[k]![level]! += count * posterior;
        uTotals[k]![level]! += count * (1 - posterior);
      }
    }
    let change = 0;
    const nextLambda = Math.min(1 - FLOOR, Math.max(FLOOR, matchMass / totalMass));
    change = Math.max(change, Math.abs(nextLambda - lambda));
    lambda = nextLambda;
    for (let k = 0; k < width; k += 1) {
      if (heldOut.has(k)) continue;
      change = Math.max(change, renormalise(m[k]!, mTotals[k]!));
      if (options.estimateU) change = Math.max(change, renormalise(u[k]!, uTotals[k]!));
    }
    converged = change < options.tolerance;
  }
  return { m, u, lambda, iterations, converged };
}

/** Replaces row[1..] by the normalised totals (floored); returns the largest change. */
function renormalise(row: number[], totals: Float64Array): number {
  let sum = 0;
  for (let level = 1; level < totals.length; level += 1) sum += totals[level]!;
  if (sum <= 0) return 0;
  let flooredSum = 0;
  for (let level = 1; level < totals.length; level += 1) flooredSum += Math.max(FLOOR, totals[level]! / sum);
  let change = 0;
  for (let level = 1; level < totals.length; level += 1) {
    const next = Math.max(FLOOR, totals[level]! / sum) / flooredSum;
    change = Math.max(change, Math.abs(next - row[level]!));
    row[level] = next;
  }
  return change;
}
