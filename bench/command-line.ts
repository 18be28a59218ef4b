// Command-line options of the benchmarks: `--name value`, checked where a number is expected.

/** The value after `--name` on the command line, if given. */
export function commandLineOption(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** `--name` as a whole number of at least `minimum`, or `fallback` when not given. */
export function wholeNumberOption(name: string, fallback: number, minimum = 0): number {
  const value = Number(commandLineOption(name) ?? fallback);
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`--${name} must be a whole number of at least ${minimum}`);
  }
  return value;
}

/** `--name` as a number above zero, or `fallback` when not given. */
export function positiveNumberOption(name: string, fallback: number): number {
  const value = Number(commandLineOption(name) ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}
