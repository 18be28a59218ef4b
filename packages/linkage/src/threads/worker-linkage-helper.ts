import { Worker } from "node:worker_threads";
import type { LinkageModel } from "../model/linkage-model.ts";
import type { LinkageSettings } from "../model/linkage-settings.ts";
import type { LinkageRecord } from "../model/prepared-record.ts";
import type { HelperCandidates, LinkageHelper, ScoredSlice } from "../parallel/link-batch-in-parallel.ts";
import { packLinkageRecords } from "../parallel/pack-records.ts";
import type { LinkageWorkerRequest } from "./linkage-worker.ts";

type Reply =
  | ({ readonly type: "candidates" } & HelperCandidates)
  | ({ readonly type: "scored" } & ScoredSlice)
  | { readonly type: "failed"; readonly message: string };

/**
 * A `LinkageHelper` on a worker thread (the second core): `linkBatchInParallel(settings,
 * records, { helper })`, then `close()`. One helper serves one batch at a time.
 */
export class WorkerLinkageHelper implements LinkageHelper {
  private readonly worker: Worker;
  private waiting: { resolve(reply: Reply): void; reject(error: Error): void } | undefined;
  private failure: Error | undefined;

  constructor() {
    this.worker = new Worker(new URL("./linkage-worker-entry.mjs", import.meta.url));
    this.worker.on("message", (reply: Reply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (reply.type === "failed") waiting?.reject(new Error(`linkage worker failed: ${reply.message}`));
      else waiting?.resolve(reply);
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => {
      if (code !== 0) this.fail(new Error(`linkage worker exited with code ${code}`));
    });
  }

  start(settings: LinkageSettings, records: readonly LinkageRecord[]): void {
    this.send({ type: "start", settings, packed: packLinkageRecords(settings, records) });
  }

  async candidates(): Promise<HelperCandidates> {
    const reply = await this.reply();
    if (reply.type !== "candidates")
      throw new Error(`linkage worker sent ${reply.type}, expected candidates`);
    return reply;
  }

  async score(model: LinkageModel, start: number, end: number): Promise<ScoredSlice> {
    this.send({ type: "score", model, start, end });
    const reply = await this.reply();
    if (reply.type !== "scored") throw new Error(`linkage worker sent ${reply.type}, expected scores`);
    return reply;
  }

  /** Stops the worker thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private send(request: LinkageWorkerRequest): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage(request);
  }

  private reply(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  private fail(error: Error): void {
    this.failure = error;
    this.waiting?.reject(error);
    this.waiting = undefined;
  }
}
