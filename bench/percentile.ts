/**
 * The value at `fraction` (0 to 1) of ascending values: the one `fraction` of the way along
 * (index floor(fraction x n), the last for 1), or undefined when there are none.
 */
export function percentileOf(sorted: ArrayLike<number>, fraction: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}
