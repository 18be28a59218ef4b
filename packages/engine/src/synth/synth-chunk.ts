import { FEED_SCHEMAS, FEEDS, type Feed } from "@passage/core";
import {
  generatePerson,
  PopulationCounter,
  type PopulationCounts,
  type PopulationPlan,
} from "@passage/synth";
import { type CsvRowWriter, compileCsvRowWriter } from "./csv-line.ts";
import { COMMA, LINE_FEED, Utf8Buffer } from "./utf8-buffer.ts";

/** The CSV columns of each feed, in contract order. */
export const FEED_COLUMNS: ReadonlyMap<Feed, readonly string[]> = new Map(
  FEEDS.map((feed) => [feed, FEED_SCHEMAS[feed].fields.map((field) => field.name)]),
);

/** A compiled row writer per feed. */
export const FEED_ROW_WRITERS: ReadonlyMap<Feed, CsvRowWriter> = new Map(
  FEEDS.map((feed) => [feed, compileCsvRowWriter(FEED_COLUMNS.get(feed)!)]),
);

/**
 * Persons per chunk: about 4,900 rows, a megabyte or so of bytes. A chunk's output is written
 * straight into bytes outside the JavaScript heap, so its size no longer burdens collections,
 * and each chunk costs a message, a counter and fresh buffers: 1,000 measured about 10% less
 * CPU per record than 250 (alternated runs at 200k persons, same load), 2,500 no better.
 */
export const CHUNK_PERSONS = 1000;

/**
 * Persons `from`..`to` of a run, already written as UTF-8 file bytes, with their counts. Bytes
 * rather than strings: a worker encodes them and hands their memory over (transfer, no copy), so
 * the writing thread neither clones nor encodes a gigabyte of text and its heap stays small.
 */
export interface SynthChunk {
  readonly from: number;
  readonly to: number;
  /** CSV lines (no header) per feed; feeds without rows are absent. */
  readonly feeds: Partial<Record<Feed, Uint8Array>>;
  /** `truth.csv` lines: feed,key,person_id. */
  readonly truth: Uint8Array;
  /** `truth.lifecycle.ndjson` lines. */
  readonly lifecycle: Uint8Array;
  readonly counts: PopulationCounts;
}

/** The memory of a chunk's bytes, to transfer to another thread (each array owns its whole buffer). */
export function chunkBuffers(chunk: SynthChunk): ArrayBuffer[] {
  const arrays = [...Object.values(chunk.feeds), chunk.truth, chunk.lifecycle];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}

/** The outputs of one chunk: a buffer per feed with rows, the linkage truth and the lifecycle truth. */
interface ChunkBuffers {
  readonly feeds: Map<Feed, Utf8Buffer>;
  readonly truth: Utf8Buffer;
  readonly lifecycle: Utf8Buffer;
}

/** The smallest buffer a chunk's output starts with. */
const MINIMUM_CAPACITY = 4 * 1024;

/**
 * Renders chunks of a run: generates persons `from` (included) to `to` (excluded) and writes
 * them as bytes. The bytes depend only on the plan and the indexes, so chunks made anywhere (this
 * thread or a worker) concatenate to the same files.
 */
export class SynthChunkRenderer {
  /** Bytes each output took in the last chunk: the next one starts with room for about as many. */
  private readonly lastSizes = new Map<string, number>();

  constructor(private readonly plan: PopulationPlan) {}

  render(from: number, to: number): SynthChunk {
    const counter = new PopulationCounter();
    const out: ChunkBuffers = {
      feeds: new Map(),
      truth: this.buffer("truth"),
      lifecycle: this.buffer("lifecycle"),
    };
    for (let index = from; index < to; index++) {
      const person = generatePerson(this.plan, index, counter.tally);
      counter.count(person);
      for (const { feed, row } of person.rows) FEED_ROW_WRITERS.get(feed)!(row, this.feedBuffer(out, feed));
      for (const { feed, row } of person.malformedRows)
        FEED_ROW_WRITERS.get(feed)!(row, this.feedBuffer(out, feed));
      for (const reference of person.truth.records) {
        // FEED:KEY becomes FEED,KEY,PERSON: the feed name and person id never need quoting.
        const colon = reference.indexOf(":");
        out.truth.text(reference, 0, colon);
        out.truth.byte(COMMA);
        out.truth.csvField(reference, colon + 1);
        out.truth.byte(COMMA);
        out.truth.text(person.personId);
        out.truth.byte(LINE_FEED);
      }
      out.lifecycle.json(person.truth);
      out.lifecycle.byte(LINE_FEED);
    }
    const feeds: Partial<Record<Feed, Uint8Array>> = {};
    for (const [feed, buffer] of out.feeds) feeds[feed] = this.finish(feed, buffer);
    return {
      from,
      to,
      feeds,
      truth: this.finish("truth", out.truth),
      lifecycle: this.finish("lifecycle", out.lifecycle),
      counts: counter.counts(),
    };
  }

  private feedBuffer(out: ChunkBuffers, feed: Feed): Utf8Buffer {
    let buffer = out.feeds.get(feed);
    if (buffer === undefined) {
      buffer = this.buffer(feed);
      out.feeds.set(feed, buffer);
    }
    return buffer;
  }

  private buffer(output: string): Utf8Buffer {
    const last = this.lastSizes.get(output) ?? 0;
    // A little more than last time, so that a chunk rarely grows (copies) its buffer.
    return new Utf8Buffer(Math.max(MINIMUM_CAPACITY, Math.ceil(last * 1.25)));
  }

  private finish(output: string, buffer: Utf8Buffer): Uint8Array {
    this.lastSizes.set(output, buffer.byteLength);
    return buffer.finish();
  }
}
