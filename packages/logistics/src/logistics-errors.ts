import { defineError, registerErrors } from "@passage/core";

/** Errors raised by transport planning. */
export const LogisticsErrors = {
  invalidInput: defineError(
    "PASSAGE_ERR_LOGISTICS_INPUT_INVALID",
    "invalid_input",
    "The flight inventory, the cases or the options given to the planner are malformed",
    (what: string) => `transport planning input: ${what}`,
  ),
  solverFailed: defineError(
    "PASSAGE_ERR_LOGISTICS_SOLVER_FAILED",
    // Not a defect of the server: the solver stopped (time limit, memory) before any feasible
    // plan; a longer time limit or a shorter horizon may succeed.
    "unavailable",
    "The MIP solver returned no usable solution within its limits",
    (status: string) =>
      `the HiGHS solver returned no usable solution (status: ${status}); try a longer timeLimitSeconds or a shorter horizon`,
  ),
  solverWorkerFailed: defineError(
    "PASSAGE_ERR_LOGISTICS_SOLVER_WORKER_FAILED",
    // As a failed solve: the plan could not be made now, and nothing was stored.
    "unavailable",
    "The worker thread running the MIP solver crashed, failed or did not answer within its time limit",
    (cause: string) => `the HiGHS solver's worker thread gave no plan: ${cause}`,
  ),
  planInconsistent: defineError(
    "PASSAGE_ERR_LOGISTICS_PLAN_INCONSISTENT",
    "internal",
    "A built manifest broke a constraint (seats, destination, dates); the plan is refused",
    (what: string) => `refusing an inconsistent plan: ${what}`,
  ),
};
registerErrors("@passage/logistics", LogisticsErrors);
