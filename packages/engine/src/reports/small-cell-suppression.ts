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
 * Small-cell suppression of a one-way table published with its total. Primary: every count from 1
 * to threshold - 1 is withheld. Complementary: a withheld cell must not be recoverable as the total
 * minus the published cells, so while exactly one cell is withheld, or the withheld cells add up to
 * less than the threshold (their sum is what the total gives away), the smallest published non-zero
 * cell is withheld too; when no cell is left to withhold, the total is withheld. A total under the
 * threshold withholds everything. Zeros are published: they describe no one.
 */
export function suppressSmallCells(
  rows: readonly { key: string; count: number }[],
  threshold = SMALL_CELL_THRESHOLD,
): PublishedTable {
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  if (total > 0 && total < threshold) {
    return {
      cells: rows.map((row) => ({
        key: row.key,
        count: row.count === 0 ? 0 : null,
        suppressed: row.count > 0,
      })),
      total: null,
    };
  }
  const withheld = new Set(
    rows.filter((row) => row.count > 0 && row.count < threshold).map((row) => row.key),
  );
  const withheldSum = () =>
    rows.filter((row) => withheld.has(row.key)).reduce((sum, row) => sum + row.count, 0);
  let totalWithheld = false;
  while (withheld.size > 0 && (withheld.size === 1 || withheldSum() < threshold)) {
    const candidates = rows
      .filter((row) => row.count > 0 && !withheld.has(row.key))
      .sort((a, b) => a.count - b.count);
    if (candidates.length === 0) {
      totalWithheld = true;
      break;
    }
    withheld.add(candidates[0]!.key);
  }
  return {
    cells: rows.map((row) => ({
      key: row.key,
      count: withheld.has(row.key) ? null : row.count,
      suppressed: withheld.has(row.key),
    })),
    total: totalWithheld ? null : total,
  };
}
