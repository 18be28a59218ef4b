import { Worker } from "node:worker_threads";
import type { SynthOptions } from "@passage/synth";
import type { SynthChunk } from "./synth-chunk.ts";

interface Pending {
  resolve(chunk: SynthChunk): void;
  reject(error: Error): void;
}

/** Worker threads that render chunks of a synthetic population; requests go round-robin. */
export class SynthWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(options: SynthOptions, size: number) {
    const entry = new URL("./synth-worker-entry.mjs", import.meta.url);
    for (let index = 0; index < size; index++) {
      // A large young generation: a chunk's rows and lines die young instead of being promoted.
      const worker = new Worker(entry, {
        workerData: { options },
        resourceLimits: { maxYoungGenerationSizeMb: 64 },
      });
      worker.on("message", (message: { id: number; chunk?: SynthChunk; error?: string }) => {
        const pending = this.pending.get(message.id);
        if (pending === undefined) return;
        this.pending.delete(message.id);
        if (message.chunk !== undefined) pending.resolve(message.chunk);
        else pending.reject(new Error(`synth worker failed: ${message.error}`));
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`synth worker exited with code ${code}`));
      });
      this.workers.push(worker);
    }
  }

  /** Renders persons `from`..`to` on the next worker. */
  render(from: number, to: number): Promise<SynthChunk> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<SynthChunk>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, from, to });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
