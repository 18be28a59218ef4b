import os from "node:os";
import path from "node:path";
import { FEEDS, type Feed } from "@passage/core";
import { createSyntheticPopulation, type SynthOptionsInput, type SynthSummary } from "@passage/synth";
import {
  isFileSystemError,
  prepareOutputDirectoryOrThrow,
  writeOutputFilesOrThrow,
} from "../output/output-files.ts";
import { BufferedFileWriter } from "./buffered-file-writer.ts";
import {
  CHUNK_PERSONS,
  FEED_COLUMNS,
  FEED_ROW_WRITERS,
  type SynthChunk,
  SynthChunkRenderer,
} from "./synth-chunk.ts";
import { SynthWorkerPool } from "./synth-worker-pool.ts";
import { SynthWriterErrors } from "./synth-writer-errors.ts";
import { Utf8Buffer } from "./utf8-buffer.ts";

/** Where and how to write a synthetic population. */
export interface WriteSyntheticPopulationOptions {
  /** The directory to write into (created if missing). */
  readonly outDir: string;
  readonly gzip?: boolean;
  readonly synth: SynthOptionsInput;
  /** Worker threads generating persons; 0 generates on this thread. Default: the cores available (none for small runs). */
  readonly workers?: number;
  /** Called after each chunk of persons is written. */
  readonly onProgress?: (personsWritten: number, personsTotal: number) => void;
  /** The clock for the default reference date (today in UTC). */
  readonly now?: Date;
}

/** `summary.json`: the generator's summary and the files written. */
export interface WrittenSyntheticPopulation extends SynthSummary {
  readonly gzip: boolean;
  /** File names written in the output directory. */
  readonly files: readonly string[];
}

/** Bytes of flight lines written at a time. */
const FLIGHT_BYTES = 64 * 1024;
/** Below this many persons, starting worker threads costs more than it saves. */
const WORKERS_FROM_PERSONS = 20_000;

/**
 * Writes a synthetic population: one CSV per feed of SOURCES.md (`.csv.gz` with gzip), the
 * linkage truth `truth.csv` (`feed,key,person_id`), each person's lifecycle truth
 * (`truth.lifecycle.ndjson`) and `summary.json`. Persons are generated in chunks (on worker
 * threads when there are many) and written in order with back-pressure, so memory stays flat
 * whatever the population size and the bytes never depend on the number of threads. Files
 * appear under their final names only when everything was written; on failure nothing is left.
 */
export async function writeSyntheticPopulation(
  options: WriteSyntheticPopulationOptions,
): Promise<WrittenSyntheticPopulation> {
  const population = createSyntheticPopulation(options.synth, options.now);
  const persons = population.options.persons;
  const gzip = options.gzip ?? false;
  const outDir = path.resolve(options.outDir);
  const unwritable = (reason: string) => SynthWriterErrors.outputUnwritable.create(outDir, reason);
  await prepareOutputDirectoryOrThrow(outDir, unwritable);
  const extension = gzip ? ".csv.gz" : ".csv";
  const feedWriters = new Map<Feed, BufferedFileWriter>(
    FEEDS.map((feed) => [feed, new BufferedFileWriter(path.join(outDir, feed + extension), gzip)]),
  );
  const truthWriter = new BufferedFileWriter(path.join(outDir, "truth.csv"), false);
  const lifecycleWriter = new BufferedFileWriter(path.join(outDir, "truth.lifecycle.ndjson"), false);
  const writers = [...feedWriters.values(), truthWriter, lifecycleWriter];
  const workerCount = options.workers ?? (persons < WORKERS_FROM_PERSONS ? 0 : os.availableParallelism());
  const pool = workerCount > 0 ? new SynthWorkerPool(population.options, workerCount) : null;
  const renderer = pool === null ? new SynthChunkRenderer(population.plan) : null;
  const render = (from: number, to: number): Promise<SynthChunk> =>
    renderer !== null ? Promise.resolve(renderer.render(from, to)) : pool!.render(from, to);
  try {
    for (const feed of FEEDS) await feedWriters.get(feed)!.add(`${FEED_COLUMNS.get(feed)!.join(",")}\n`);
    await truthWriter.add("feed,key,person_id\n");
    const chunks = Math.ceil(persons / CHUNK_PERSONS);
    // Keep a few chunks in flight per worker, but never more: memory stays bounded.
    const window = Math.max(1, workerCount * 4);
    const inFlight = new Map<number, Promise<SynthChunk>>();
    let dispatched = 0;
    for (let chunkIndex = 0; chunkIndex < chunks; chunkIndex++) {
      while (dispatched < chunks && dispatched < chunkIndex + window) {
        const from = dispatched * CHUNK_PERSONS;
        const rendering = render(from, Math.min(persons, from + CHUNK_PERSONS));
        // Awaited in order below; a failure of a later chunk must not surface as unhandled meanwhile.
        rendering.catch(() => undefined);
        inFlight.set(dispatched, rendering);
        dispatched++;
      }
      const chunk = await inFlight.get(chunkIndex)!;
      inFlight.delete(chunkIndex);
      for (const feed of FEEDS) {
        const text = chunk.feeds[feed];
        if (text !== undefined) await feedWriters.get(feed)!.add(text);
      }
      await truthWriter.add(chunk.truth);
      await lifecycleWriter.add(chunk.lifecycle);
      population.counter.add(chunk.counts);
      options.onProgress?.(chunk.to, persons);
    }
    const flightWriter = feedWriters.get("flight")!;
    const writeFlight = FEED_ROW_WRITERS.get("flight")!;
    let flights = new Utf8Buffer(FLIGHT_BYTES);
    for (const flight of population.flights()) {
      writeFlight(flight, flights);
      if (flights.byteLength < FLIGHT_BYTES) continue;
      await flightWriter.add(flights.finish());
      flights = new Utf8Buffer(FLIGHT_BYTES);
    }
    await flightWriter.add(flights.finish());
    for (const writer of writers) await writer.commit();
  } catch (error) {
    await Promise.all(writers.map((writer) => writer.discard()));
    throw isFileSystemError(error) ? unwritable(error.message) : error;
  } finally {
    await pool?.close();
  }
  const files = [
    ...FEEDS.map((feed) => feed + extension),
    "truth.csv",
    "truth.lifecycle.ndjson",
    "summary.json",
  ];
  const summary: WrittenSyntheticPopulation = { ...population.summary(), gzip, files };
  await writeOutputFilesOrThrow(
    outDir,
    [["summary.json", `${JSON.stringify(summary, null, 2)}\n`]],
    unwritable,
  );
  return summary;
}
