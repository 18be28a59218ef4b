import { parentPort, workerData } from "node:worker_threads";
import { evaluateRange } from "./evaluate-range.ts";

const { root, policyName, from, to, seed } = workerData as {
  root: string;
  policyName: string;
  from: number;
  to: number;
  seed: number;
};
parentPort!.postMessage(evaluateRange(root, policyName, from, to, seed));
