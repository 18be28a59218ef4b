import { once } from "node:events";
import type { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { loadHighsSolver, type MixedIntegerProgram } from "./highs-solver.ts";
import { planTransport } from "./plan-transport.ts";
import type { TransportInput } from "./transport-input.ts";
import { createWorkerHighsSolver } from "./worker-highs-solver.ts";

const INPUT: TransportInput = {
  horizon: { from: "2025-07-01", to: "2025-07-10" },
  flights: ["2025-07-02", "2025-07-05", "2025-07-08"].map((date, index) => ({
    flightId: `F${index}`,
    date,
    originHub: "MESA",
    destinationCountry: "GTM",
    destinationPort: "GUA",
    seats: 4,
    cost: 1_000 * (3 - index),
  })),
  cases: Array.from({ length: 9 }, (_, index) => ({
    personId: `P-${index}`,
    gateCheck: { clear: true, results: [] },
    finalOrder: true,
    inCustody: true,
    hub: "MESA",
    facility: "FAC1",
    readyDate: `2025-07-0${1 + (index % 5)}`,
    destinationCountry: "GTM",
    withholdingCountries: [],
    travelDocument: { country: "GTM", status: "issued", validTo: null },
  })),
  options: { detentionDayCost: 150 },
};

/** One binary column, no row: the smallest program HiGHS solves. */
const TINY: MixedIntegerProgram = {
  columnCost: [1],
  columnLower: [0],
  columnUpper: [1],
  integer: [true],
  offset: 0,
  rowLower: [],
  rowUpper: [],
  rowStarts: [0],
  rowColumns: [],
  rowValues: [],
};

const withoutRuntime = (plan: Awaited<ReturnType<typeof planTransport>>) => ({
  ...plan,
  solver: { ...plan.solver, runtimeMilliseconds: 0 },
});

describe("createWorkerHighsSolver", () => {
  it("plans in a worker thread exactly as HiGHS does in this one", async () => {
    const inThread = await planTransport(INPUT, await loadHighsSolver());
    const inWorker = await planTransport(INPUT, createWorkerHighsSolver());
    expect(inWorker.manifests.length).toBeGreaterThan(0);
    expect(withoutRuntime(inWorker)).toEqual(withoutRuntime(inThread));
  });

  it("reports a worker that dies before answering as a coded error naming the cause", async () => {
    let held: Worker | undefined;
    const solver = createWorkerHighsSolver({
      holdEachSolve: ({ worker }) => {
        held = worker;
        // Stopped from outside as a crash would stop it: the solve must not wait for an answer.
        void worker.terminate();
      },
    });
    await expect(solver.solve(TINY, { relativeGap: 0, timeLimitSeconds: 60 })).rejects.toMatchObject({
      code: "PASSAGE_ERR_LOGISTICS_SOLVER_WORKER_FAILED",
      kind: "unavailable",
      message:
        "the HiGHS solver's worker thread gave no plan: the worker exited with code 1 before answering",
    });
    expect(held).toBeDefined();
  });

  it("stops a worker silent past its time limit, with a coded error", async () => {
    let exited: Promise<unknown> | undefined;
    const solver = createWorkerHighsSolver({
      graceMilliseconds: 0,
      // Never released: the worker waits as a solve that overruns its time limit would.
      holdEachSolve: ({ worker }) => {
        exited = once(worker, "exit");
      },
    });
    await expect(solver.solve(TINY, { relativeGap: 0, timeLimitSeconds: 1 })).rejects.toMatchObject({
      code: "PASSAGE_ERR_LOGISTICS_SOLVER_WORKER_FAILED",
      message: expect.stringContaining(
        "no answer within 1 s (the time limit) and 0 s more; the worker was stopped",
      ),
    });
    // The clock runs from the call, the worker's start-up included: on a loaded machine the time
    // limit can pass before the worker says it is held, and then there is no worker handle here to
    // watch. When there is one, it must have been stopped.
    if (exited !== undefined) await exited;
  });

  it("reports a solve HiGHS refuses as a coded error, with HiGHS's reason", async () => {
    const malformed = { ...TINY, columnLower: [] };
    await expect(
      createWorkerHighsSolver().solve(malformed, { relativeGap: 0, timeLimitSeconds: 60 }),
    ).rejects.toMatchObject({
      code: "PASSAGE_ERR_LOGISTICS_SOLVER_WORKER_FAILED",
      message: expect.stringMatching(/^the HiGHS solver's worker thread gave no plan: the solve failed: .+/),
    });
  });
});
