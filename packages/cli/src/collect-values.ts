/** Commander's accumulator for a repeatable option: `--x a --x b` gives `["a", "b"]`. */
export function collectValues(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
