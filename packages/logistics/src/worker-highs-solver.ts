import { Worker } from "node:worker_threads";
import type { MipSolver, MixedIntegerProgram, SolveOptions, SolveResult } from "./highs-solver.ts";
import type { HighsWorkerData, HighsWorkerReply, HighsWorkerRequest } from "./highs-solver-worker.ts";
import { LogisticsErrors } from "./logistics-errors.ts";

/**
 * How long past its time limit a worker may stay silent before it is stopped: starting the
 * thread and loading HiGHS take about a second, and HiGHS checks its time limit only between
 * branch-and-bound nodes.
 */
const DEFAULT_GRACE_MILLISECONDS = 30_000; // 30 s

export interface WorkerHighsSolverOptions {
  /** How long past the time limit a silent worker is given before it is terminated (default 30 s). */
  readonly graceMilliseconds?: number;
  /**
   * Test seam: each solve's worker, HiGHS loaded, waits before solving until `release()` is
   * called; `worker` is its thread.
   */
  readonly holdEachSolve?: (held: { release(): void; worker: Worker }) => void;
}

/**
 * HiGHS in a worker thread, one per solve: the caller's event loop stays free while it solves
 * (the server answers every other request meanwhile). The worker is terminated once it answers,
 * fails, exits or outlives its time limit; every failure is a coded error
 * (`PASSAGE_ERR_LOGISTICS_SOLVER_WORKER_FAILED`) naming the cause, never a hang.
 */
export function createWorkerHighsSolver(options: WorkerHighsSolverOptions = {}): MipSolver {
  return { solve: (program, solveOptions) => solveInWorker(program, solveOptions, options) };
}

function solveInWorker(
  program: MixedIntegerProgram,
  solveOptions: SolveOptions,
  options: WorkerHighsSolverOptions,
): Promise<SolveResult> {
  const workerData: HighsWorkerData = { holdForRelease: options.holdEachSolve !== undefined };
  // Resolved as the linkage and synth workers are: the entry next to this source, which registers
  // tsx (the bundled command line keeps this file's URL, so it finds the same entry).
  const worker = new Worker(new URL("./highs-solver-worker-entry.mjs", import.meta.url), { workerData });
  const grace = options.graceMilliseconds ?? DEFAULT_GRACE_MILLISECONDS;
  return new Promise<SolveResult>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      // Answered or not, the thread goes: its HiGHS instance holds the model's memory.
      void worker.terminate().finally(outcome);
    };
    const fail = (cause: string) => settle(() => reject(LogisticsErrors.solverWorkerFailed.create(cause)));
    const deadline = setTimeout(
      () =>
        fail(
          `no answer within ${solveOptions.timeLimitSeconds} s (the time limit) and ${grace / 1000} s more; the worker was stopped`,
        ),
      solveOptions.timeLimitSeconds * 1000 + grace,
    );
    worker.on("message", (reply: HighsWorkerReply) => {
      switch (reply.type) {
        case "held":
          options.holdEachSolve?.({ release: () => worker.postMessage({ type: "release" }), worker });
          return;
        case "solved":
          settle(() => resolve({ report: reply.report, values: reply.values }));
          return;
        case "failed":
          fail(`the solve failed: ${reply.message}`);
          return;
      }
    });
    worker.on("error", (error) => fail(`the worker crashed: ${error.message}`));
    worker.on("exit", (code) => fail(`the worker exited with code ${code} before answering`));
    const request: HighsWorkerRequest = { type: "solve", program, options: solveOptions };
    worker.postMessage(request);
  });
}
