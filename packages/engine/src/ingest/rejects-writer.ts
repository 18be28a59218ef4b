import { once } from "node:events";
import fs from "node:fs";

/** One line of a rejects file: where, which field (null for a row that could not be read), why. */
export interface RejectLine {
  readonly line: number;
  readonly field: string | null;
  readonly reason: string;
}

/** The rejects file of a source: `FILE.rejects.ndjson` beside it (CLI.md). */
export function rejectsFileOf(file: string): string {
  return `${file}.rejects.ndjson`;
}

/**
 * The warnings file of a source: `FILE.warnings.ndjson` beside it, one line per warning on a row that
 * was stored: a malformed optional identifier dropped (SOURCES.md: "dropped with a warning on the
 * row"), or an impossible date kept as received (`implausibleDates`).
 */
export function warningsFileOf(file: string): string {
  return `${file}.warnings.ndjson`;
}

/**
 * Writes rejects (or warnings) as NDJSON, one line per issue, honouring back-pressure. The file is
 * created on the first line; when there were none, `close()` leaves an empty file (`whenNone:
 * "empty"`, the rejects file CLI.md promises) or removes it (`"remove"`), so a stale file of an
 * earlier run never outlives a clean one.
 */
export class RejectsWriter {
  readonly path: string;
  readonly #whenNone: "empty" | "remove";
  #stream: fs.WriteStream | undefined;
  // A write error (disk full) arrives as an event; it is kept and thrown by the next call.
  #error: Error | undefined;

  constructor(path: string, options: { readonly whenNone?: "empty" | "remove" } = {}) {
    this.path = path;
    this.#whenNone = options.whenNone ?? "empty";
  }

  /** Whether a line was written. */
  get written(): boolean {
    return this.#stream !== undefined;
  }

  async write(rejects: readonly RejectLine[]): Promise<void> {
    if (this.#error) throw this.#error;
    if (rejects.length === 0) return;
    if (this.#stream === undefined) {
      this.#stream = fs.createWriteStream(this.path, { flags: "w" });
      this.#stream.on("error", (error) => {
        this.#error = error;
      });
    }
    const text = rejects
      .map(
        (reject) => `${JSON.stringify({ line: reject.line, field: reject.field, reason: reject.reason })}\n`,
      )
      .join("");
    if (!this.#stream.write(text)) await once(this.#stream, "drain");
  }

  async close(): Promise<void> {
    if (this.#stream === undefined) {
      if (this.#whenNone === "empty") fs.writeFileSync(this.path, "");
      else fs.rmSync(this.path, { force: true });
      return;
    }
    const stream = this.#stream;
    if (this.#error) throw this.#error;
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  /** Closes without the empty-file guarantee (a failed run). */
  abandon(): void {
    this.#stream?.end();
  }
}
