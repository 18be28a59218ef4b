import fs from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { IngestErrors } from "./ingest-errors.ts";

/** How a file is read: its row format and whether it is gzip-compressed (SOURCES.md "File format"). */
export interface SourceFormat {
  readonly rows: "csv" | "ndjson";
  readonly gzip: boolean;
}

const EXTENSIONS: Readonly<Record<string, SourceFormat["rows"]>> = {
  ".csv": "csv",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
};

/** The format a file name announces; anything else is refused before the file is opened. */
export function sourceFormatOrThrow(file: string): SourceFormat {
  const lower = file.toLowerCase();
  const gzip = lower.endsWith(".gz");
  const stem = gzip ? lower.slice(0, -3) : lower;
  const extension = Object.keys(EXTENSIONS).find((candidate) => stem.endsWith(candidate));
  if (extension === undefined) throw IngestErrors.unknownFormat.create(file);
  return { rows: EXTENSIONS[extension]!, gzip };
}

/** An open source file: its decompressed bytes, and how far into the file reading has got. */
export interface OpenedSource {
  readonly stream: Readable;
  readonly totalBytes: number;
  /** Bytes of the file itself (compressed, for .gz) read so far: progress against `totalBytes`. */
  bytesRead(): number;
}

const READ_CHUNK_BYTES = 64 * 1024; // 64 KiB: few system calls, and the rows of one chunk die young

/** Opens a file for streaming, decompressing gzip on the fly. */
export function openSource(file: string, format: SourceFormat): OpenedSource {
  const totalBytes = fs.statSync(file).size;
  const fileStream = fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  if (!format.gzip) return { stream: fileStream, totalBytes, bytesRead: () => fileStream.bytesRead };
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  fileStream.on("error", (error) => gunzip.destroy(error));
  fileStream.pipe(gunzip);
  return { stream: gunzip, totalBytes, bytesRead: () => fileStream.bytesRead };
}

/** Why `file` cannot be read as a source (missing, a directory, a device...), or undefined when it can. */
export function notARegularFile(file: string): string | undefined {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    return `cannot read ${file}: ${(error as Error).message}`;
  }
  if (stat === undefined) return `no such file: ${file}`;
  if (stat.isDirectory()) return `${file} is a directory, not a file`;
  if (!stat.isFile()) return `${file} is not a regular file`;
  return undefined;
}
