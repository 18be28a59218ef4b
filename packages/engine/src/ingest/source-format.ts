import fs from "node:fs";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
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

/** Byte-order marks of the encodings a source might be in instead of UTF-8; longest first. */
const FOREIGN_BYTE_ORDER_MARKS: ReadonlyArray<readonly [encoding: string, mark: readonly number[]]> = [
  ["UTF-32BE", [0x00, 0x00, 0xfe, 0xff]],
  ["UTF-32LE", [0xff, 0xfe, 0x00, 0x00]],
  ["UTF-16BE", [0xfe, 0xff]],
  ["UTF-16LE", [0xff, 0xfe]],
];

/**
 * The text of a source, decoded as UTF-8 (SOURCES.md). A file that starts with a UTF-16 or
 * UTF-32 byte-order mark is refused (PASSAGE_ERR_INGEST_NOT_UTF8) before any text is handed on:
 * read as UTF-8 it would be NUL-riddled text that matches no column. A UTF-8 byte-order mark is
 * passed on (the readers skip it).
 */
export async function* decodeUtf8OrThrow(input: Readable, source: string): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  // The first bytes, held until there are enough to tell a byte-order mark.
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let bytes = chunk;
    if (head !== undefined) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) continue;
      refuseForeignByteOrderMark(head, source);
      bytes = head;
      head = undefined;
    }
    const text = decoder.write(bytes);
    if (text.length > 0) yield text;
  }
  if (head !== undefined) {
    refuseForeignByteOrderMark(head, source);
    const text = decoder.write(head);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

function refuseForeignByteOrderMark(head: Buffer, source: string): void {
  for (const [encoding, mark] of FOREIGN_BYTE_ORDER_MARKS) {
    if (head.length >= mark.length && mark.every((byte, index) => head[index] === byte)) {
      const hex = mark.map((byte) => byte.toString(16).toUpperCase().padStart(2, "0")).join(" ");
      throw IngestErrors.notUtf8.create(source, `it starts with the ${encoding} byte-order mark ${hex}`);
    }
  }
}
