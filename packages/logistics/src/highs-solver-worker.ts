import { parentPort, workerData } from "node:worker_threads";
import {
  loadHighsSolver,
  type MixedIntegerProgram,
  type SolveOptions,
  type SolveResult,
} from "./highs-solver.ts";

/** What a solver worker is started with. */
export interface HighsWorkerData {
  /** Test seam: report `held` and wait for a `release` message before solving. */
  readonly holdForRelease: boolean;
}

/** The one request a solver worker serves. */
export interface HighsWorkerRequest {
  readonly type: "solve";
  readonly program: MixedIntegerProgram;
  readonly options: SolveOptions;
}

/** What a solver worker answers. */
export type HighsWorkerReply =
  | { readonly type: "held" }
  | ({ readonly type: "solved" } & SolveResult)
  | { readonly type: "failed"; readonly message: string };

// The body of a worker thread (started by createWorkerHighsSolver, one per solve): loads HiGHS,
// solves the one program it is sent, answers, and is then terminated by its parent.
const port = parentPort;
if (port === null) throw new Error("highs-solver-worker.ts runs only as a worker thread");
const { holdForRelease } = workerData as HighsWorkerData;
const reply = (message: HighsWorkerReply) => port.postMessage(message);

port.once("message", async (request: HighsWorkerRequest) => {
  try {
    const solver = await loadHighsSolver();
    if (holdForRelease) {
      reply({ type: "held" });
      await new Promise((release) => port.once("message", release));
    }
    reply({ type: "solved", ...(await solver.solve(request.program, request.options)) });
  } catch (error) {
    reply({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  }
});
