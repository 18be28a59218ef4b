import { FEED_SCHEMAS, FEEDS, type Feed } from "@passage/core";
import {
  generatePerson,
  PopulationCounter,
  type PopulationCounts,
  type PopulationPlan,
} from "@passage/synth";
import {
  type CsvLineWriter,
  compileCsvLineWriter,
  compilePlainCsvLineWriter,
  csvField,
  isPlainCsv,
} from "./csv-line.ts";

/** The CSV columns of each feed, in contract order. */
export const FEED_COLUMNS: ReadonlyMap<Feed, readonly string[]> = new Map(
  FEEDS.map((feed) => [feed, FEED_SCHEMAS[feed].fields.map((field) => field.name)]),
);

/** A compiled line writer per feed. */
export const FEED_LINE_WRITERS: ReadonlyMap<Feed, CsvLineWriter> = new Map(
  FEEDS.map((feed) => [feed, compileCsvLineWriter(FEED_COLUMNS.get(feed)!)]),
);

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

/** The line writers of every feed, and whether they quote fields. */
interface LineWriters {
  readonly quoting: boolean;
  readonly feeds: ReadonlyMap<Feed, CsvLineWriter>;
}

const QUOTING: LineWriters = { quoting: true, feeds: FEED_LINE_WRITERS };
const PLAIN: LineWriters = {
  quoting: false,
  feeds: new Map(FEEDS.map((feed) => [feed, compilePlainCsvLineWriter(FEED_COLUMNS.get(feed)!)])),
};

const encoder = new TextEncoder();

/**
 * Renders chunks of a run: generates persons `from` (included) to `to` (excluded) and writes
 * them as bytes. The bytes depend only on the plan and the indexes, so chunks made anywhere (this
 * thread or a worker) concatenate to the same files.
 */
export class SynthChunkRenderer {
  constructor(private readonly plan: PopulationPlan) {}

  render(from: number, to: number): SynthChunk {
    // Fields are joined unquoted (a regex test per field cost more than the join), then the
    // bytes are checked to hold no comma, quote or line break inside a field. Should one ever
    // (a name list gaining a comma), the chunk is generated again, identically, with quoting.
    return this.renderWith(PLAIN, from, to) ?? this.renderWith(QUOTING, from, to)!;
  }

  /** The chunk, or null when plain lines would differ from quoted ones. */
  private renderWith(writers: LineWriters, from: number, to: number): SynthChunk | null {
    const counter = new PopulationCounter();
    // Lines gathered in arrays and joined once per chunk: concatenating millions of small
    // strings makes ropes that cost more to flatten and collect than the generation itself.
    const parts = new Map<Feed, string[]>();
    const truth: string[] = [];
    const lifecycle: string[] = [];
    let truthLines = 0;
    for (let index = from; index < to; index++) {
      const person = generatePerson(this.plan, index, counter.tally);
      counter.count(person);
      for (const { feed, row } of person.rows) partsOf(parts, feed).push(writers.feeds.get(feed)!(row));
      for (const { feed, row } of person.malformedRows)
        partsOf(parts, feed).push(writers.feeds.get(feed)!(row));
      truthLines += person.truth.records.length;
      for (const reference of person.truth.records) {
        if (!writers.quoting) {
          // FEED:KEY becomes FEED,KEY (a string pattern replaces the first colon only).
          truth.push(reference.replace(":", ","), ",", person.personId, "\n");
          continue;
        }
        const colon = reference.indexOf(":");
        truth.push(
          reference.slice(0, colon),
          ",",
          csvField(reference.slice(colon + 1)),
          ",",
          person.personId,
          "\n",
        );
      }
      lifecycle.push(JSON.stringify(person.truth), "\n");
    }
    const feeds: Partial<Record<Feed, Uint8Array>> = {};
    // Flat lines joined by the separator: appending "\n" to each line would make a rope per line.
    // TextEncoder gives each text its own buffer (never a shared pool), so it can be transferred.
    for (const [feed, lines] of parts) {
      const bytes = encoder.encode(`${lines.join("\n")}\n`);
      if (!writers.quoting && !isPlainCsv(bytes, lines.length, FEED_COLUMNS.get(feed)!.length)) return null;
      feeds[feed] = bytes;
    }
    const truthBytes = encoder.encode(truth.join(""));
    if (!writers.quoting && !isPlainCsv(truthBytes, truthLines, 3)) return null;
    return {
      from,
      to,
      feeds,
      truth: truthBytes,
      lifecycle: encoder.encode(lifecycle.join("")),
      counts: counter.counts(),
    };
  }
}

function partsOf(parts: Map<Feed, string[]>, feed: Feed): string[] {
  let pieces = parts.get(feed);
  if (pieces === undefined) {
    pieces = [];
    parts.set(feed, pieces);
  }
  return pieces;
}
