import { once } from "node:events";
import fs from "node:fs";
import type { Writable } from "node:stream";
import zlib from "node:zlib";

/** Bytes gathered before a write: large enough that writes are few, small enough to stay bounded. */
const CHUNK_BYTES = 256 * 1024;

/**
 * A file written through a temporary `.partial` name (renamed by `commit`, removed by
 * `discard`), optionally gzipped, with lines gathered into large chunks and back-pressure
 * honoured: `add` never lets more than one chunk wait in memory.
 */
export class BufferedFileWriter {
  private readonly file: fs.WriteStream;
  private readonly sink: Writable;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly temporaryPath: string;
  /** Rejects with the first error of the file or the compressor. */
  private readonly failed: Promise<never>;

  constructor(
    readonly path: string,
    gzip: boolean,
  ) {
    this.temporaryPath = `${path}.partial`;
    this.file = fs.createWriteStream(this.temporaryPath, { highWaterMark: 1024 * 1024 });
    if (gzip) {
      const compressor = zlib.createGzip({ level: 6, chunkSize: 256 * 1024 });
      compressor.pipe(this.file);
      compressor.on("error", (error) => this.file.destroy(error));
      this.sink = compressor;
    } else {
      this.sink = this.file;
    }
    // Errors surface through `flush` and `commit`, never as an unhandled event.
    this.failed = new Promise<never>((_, reject) => {
      this.file.on("error", reject);
      this.sink.on("error", reject);
    });
    this.failed.catch(() => undefined);
  }

  /** Adds text or UTF-8 bytes; resolves at once unless a full chunk had to wait for the disk. */
  add(content: string | Uint8Array): Promise<void> | undefined {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    this.pending.push(bytes);
    this.pendingBytes += bytes.byteLength;
    return this.pendingBytes >= CHUNK_BYTES ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const pieces = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.failIfBroken();
    // Corked writes reach the file as one writev of the pieces as they are: no copy into one
    // buffer (on the writing thread, copying and then collecting those buffers cost more than
    // the write itself).
    let room = true;
    this.sink.cork();
    for (const piece of pieces) room = this.sink.write(piece);
    this.sink.uncork();
    if (!room) await Promise.race([once(this.sink, "drain"), this.failed]);
  }

  /** Writes what is left, closes the file and gives it its final name. */
  async commit(): Promise<void> {
    await this.flush();
    const closed = once(this.file, "close");
    this.sink.end();
    await Promise.race([closed, this.failed]);
    this.failIfBroken();
    await fs.promises.rename(this.temporaryPath, this.path);
  }

  /** Abandons the file: nothing half-written is left behind. */
  async discard(): Promise<void> {
    this.sink.destroy();
    this.file.destroy();
    await fs.promises.rm(this.temporaryPath, { force: true });
  }

  private failIfBroken(): void {
    const error = this.file.errored ?? this.sink.errored;
    if (error) throw error;
  }
}
