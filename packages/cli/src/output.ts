/**
 * Where a command's results go. With `--json`, stdout carries exactly one JSON document;
 * everything else (progress, logs, PostgreSQL's output) goes to stderr (CLI.md "Output").
 */
export interface Output {
  readonly json: boolean;
  /** A line of human-readable output on stdout (suppressed under --json). */
  line(text: string): void;
  /** The one JSON document of a --json run. */
  document(value: unknown): void;
  /** A line on stderr: notes and warnings that are not the command's result. */
  note(text: string): void;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    line(text) {
      if (!json) stdout.write(`${text}\n`);
    },
    document(value) {
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
  };
}
