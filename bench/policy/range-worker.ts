import { parentPort } from "node:worker_threads";
import { evaluateRange } from "./evaluate-range.ts";

/** A slice to evaluate; the worker stays up for every policy of the run (started and warmed once). */
interface RangeRequest {
  root: string;
  policyName: string;
  from: number;
  to: number;
  seed: number;
}

parentPort!.on("message", (request: RangeRequest) => {
  parentPort!.postMessage(
    evaluateRange(request.root, request.policyName, request.from, request.to, request.seed),
  );
});
