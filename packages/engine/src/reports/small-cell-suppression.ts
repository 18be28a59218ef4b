/** The smallest count an oversight report publishes (cells of 1 to 10 people are withheld). */
export const SMALL_CELL_THRESHOLD = 11;

/** One published cell: its count, or null when withheld. */
export interface PublishedCell {
  readonly key: string;
  readonly count: number | null;
  readonly suppressed: boolean;
}

/** A table after suppression: the cells and the total (null when it too must be withheld). */
export interface PublishedTable {
  readonly cells: readonly PublishedCell[];
  readonly total: number | null;
}

/**
 * Small-cell suppression of a one-way table published with its total. Every count from 1 to
 * threshold - 1 is withheld, and when any cell is withheld the total is withheld too; zeros and
 * counts of at least the threshold are published.
 *
 * Why the total goes: with it, the withheld cells' sum is known, and a reader who knows the rule
 * (say, "the extra withheld cell is the smallest published one") can bound each withheld cell from
 * both sides until one value is left (11, 10 and 10 published as 11, withheld, withheld, total 31
 * gave both withheld cells away as 10). Without it, a reader knows of a withheld cell only that it
 * is from 1 to threshold - 1, whatever the other cells are: no withheld cell is ever pinned to one
 * value or to an interval narrower than that. No extra (complementary) cell is withheld: it would
 * protect nothing more.
 *
 * `total` is the table's total when it is not the sum of its cells (persons counted once in a table
 * where one person may be in several cells); it is published under the same rule.
 */
export function suppressSmallCells(
  rows: readonly { key: string; count: number }[],
  options: { threshold?: number; total?: number } = {},
): PublishedTable {
  const threshold = options.threshold ?? SMALL_CELL_THRESHOLD;
  const small = (count: number) => count > 0 && count < threshold;
  const total = options.total ?? rows.reduce((sum, row) => sum + row.count, 0);
  const anyWithheld = small(total) || rows.some((row) => small(row.count));
  return {
    cells: rows.map((row) => ({
      key: row.key,
      count: small(row.count) ? null : row.count,
      suppressed: small(row.count),
    })),
    total: anyWithheld ? null : total,
  };
}
