import type { ComparisonKind } from "./linkage-settings.ts";

/** How a comparison's levels are ordered by similarity, by level label. */
export interface LevelOrder {
  /** Degrees of one likeness, most similar first: their weights must not increase down the list. */
  readonly chain: readonly string[];
  /**
   * Kinds of likeness rather than degrees of it: each weighs no more than the chain's first
   * level (exact agreement) and no less than its last (disagreement), and is otherwise left as trained.
   */
  readonly between: readonly string[];
}

const NAME_ORDER: LevelOrder = {
  chain: ["exact", "variant", "close", "similar", "different"],
  // A name contained in the other (García / García López) is a missing part, not a misspelling.
  between: ["partial"],
};

/** The order of every comparison kind's levels (their labels in compare/). */
export const LEVEL_ORDERS: Readonly<Record<ComparisonKind, LevelOrder>> = {
  given_name: NAME_ORDER,
  family_name: NAME_ORDER,
  full_name: NAME_ORDER,
  // A shared placeholder date is weak evidence by design; a swap or a year off is a kind of error.
  date: {
    chain: ["exact", "typo", "same_year", "different"],
    between: ["placeholder", "day_month_swap", "year_off", "placeholder_year"],
  },
  identifier: { chain: ["exact", "typo", "conflict"], between: [] },
  exact: { chain: ["exact", "different"], between: [] },
  postcode: { chain: ["exact", "typo", "district", "different"], between: [] },
  text: { chain: ["exact", "close", "similar", "different"], between: [] },
  number: { chain: ["exact", "near", "within_10_percent", "different"], between: [] },
};

/** A comparison's level order as level indexes (labels its levels lack are skipped). */
export interface LevelIndexOrder {
  readonly chain: readonly number[];
  readonly between: readonly number[];
}

/** The level order of a comparator with these levels (level 0, missing, is never ordered). */
export function levelOrderOf(
  kind: ComparisonKind,
  levels: readonly { readonly label: string }[],
): LevelIndexOrder {
  const indexes = (labels: readonly string[]) =>
    labels.flatMap((label) => {
      const index = levels.findIndex((level) => level.label === label);
      return index > 0 ? [index] : [];
    });
  return { chain: indexes(LEVEL_ORDERS[kind].chain), between: indexes(LEVEL_ORDERS[kind].between) };
}

/**
 * m of one comparison with its weights log2(m/u) in order of similarity. EM on unlabelled pairs
 * can give a typo more weight than exact agreement (a given name's `close` +5.71 bits against
 * `exact` +5.48), so an exact duplicate scored below the same record with a typo. Pool adjacent
 * violators (Barlow et al. 1972), weighted by u: where a level outweighs the one before it in the
 * chain, the two are merged and each takes the pooled ratio (sum of m) / (sum of u). A `between`
 * level above exact agreement is pooled with it, one below disagreement with that. u is kept and
 * m keeps its sum, so it stays a distribution; a row already in order is returned unchanged.
 */
export function monotoneLevelM(m: readonly number[], u: readonly number[], order: LevelIndexOrder): number[] {
  let chain = [...order.chain];
  let result = poolAdjacentViolators(m, u, chain);
  if (chain.length < 2) return result;
  const ratio = (level: number) => result[level]! / u[level]!;
  for (const level of order.between) {
    const first = chain[0]!;
    const last = chain[chain.length - 1]!;
    if (ratio(level) > ratio(first)) chain = [first, level, ...chain.slice(1)];
    else if (ratio(level) < ratio(last)) chain = [...chain.slice(0, -1), level, last];
    else continue;
    result = poolAdjacentViolators(m, u, chain);
  }
  return result;
}

function poolAdjacentViolators(
  m: readonly number[],
  u: readonly number[],
  chain: readonly number[],
): number[] {
  const blocks: { levels: number[]; m: number; u: number }[] = [];
  for (const level of chain) {
    blocks.push({ levels: [level], m: m[level]!, u: u[level]! });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      // In order when last.m / last.u <= previous.m / previous.u (written without dividing).
      if (last.m * previous.u <= previous.m * last.u) break;
      previous.levels.push(...last.levels);
      previous.m += last.m;
      previous.u += last.u;
      blocks.pop();
    }
  }
  const result = [...m];
  for (const block of blocks) {
    if (block.levels.length < 2 || block.u <= 0) continue;
    for (const level of block.levels) result[level] = (u[level]! * block.m) / block.u;
  }
  return result;
}
