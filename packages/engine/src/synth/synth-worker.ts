import { parentPort, workerData } from "node:worker_threads";
import { createPopulationPlan, type SynthOptions } from "@passage/synth";
import { chunkBuffers, SynthChunkRenderer } from "./synth-chunk.ts";

/**
 * A worker thread of `writeSyntheticPopulation`: renders the chunks of persons it is sent.
 * Generation is CPU-bound and every person is independent, so chunks spread over cores.
 */
const renderer = new SynthChunkRenderer(createPopulationPlan(workerData.options as SynthOptions));
parentPort!.on("message", (request: { id: number; from: number; to: number }) => {
  try {
    const chunk = renderer.render(request.from, request.to);
    parentPort!.postMessage({ id: request.id, chunk }, chunkBuffers(chunk));
  } catch (error) {
    parentPort!.postMessage({
      id: request.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
