// The helper thread of `linkBatchInParallel`: standardises and blocks the records it is handed,
// then scores the slices of candidate pairs it is asked for. Messages and replies are plain
// data; arrays travel as transferred buffers.
import { parentPort } from "node:worker_threads";
import type { LinkageModel } from "../model/linkage-model.ts";
import type { LinkageSettings } from "../model/linkage-settings.ts";
import { HelperWork } from "../parallel/link-batch-in-parallel.ts";
import { type PackedLinkageRecords, unpackLinkageRecords } from "../parallel/pack-records.ts";

/** What the main thread asks of the helper thread. */
export type LinkageWorkerRequest =
  | { readonly type: "start"; readonly settings: LinkageSettings; readonly packed: PackedLinkageRecords }
  | { readonly type: "score"; readonly model: LinkageModel; readonly start: number; readonly end: number };

const port = parentPort;
if (port === null) throw new Error("linkage-worker.ts runs only as a worker thread");
let work: HelperWork | undefined;

port.on("message", (request: LinkageWorkerRequest) => {
  try {
    if (request.type === "start") {
      const started = performance.now();
      const records = unpackLinkageRecords(request.packed);
      work = new HelperWork(request.settings, records, { unpack: performance.now() - started });
      const found = work.candidates();
      // Copies: the helper keeps its own pairs to score from.
      const pairs = {
        count: found.pairs.count,
        left: found.pairs.left.slice(),
        right: found.pairs.right.slice(),
        rule: found.pairs.rule.slice(),
      };
      const buffers = [
        pairs.left,
        pairs.right,
        pairs.rule,
        ...found.blocks.flatMap((block) => [block.offsets, block.members]),
      ];
      port.postMessage(
        {
          type: "candidates",
          pairs,
          statistics: found.statistics,
          blocks: found.blocks,
          timings: found.timings,
        },
        buffers.map((array) => array.buffer as ArrayBuffer),
      );
      return;
    }
    if (work === undefined) throw new Error("score asked before start");
    const scored = work.score(request.model, request.start, request.end);
    port.postMessage(
      { type: "scored", ...scored },
      [scored.weight, scored.band, scored.reason].map((array) => array.buffer as ArrayBuffer),
    );
  } catch (error) {
    port.postMessage({ type: "failed", message: (error as Error).stack ?? String(error) });
  }
});
