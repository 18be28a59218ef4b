import { defineError, registerErrors } from "@passage/core";

/** Errors of the departure simulator (`passage simulate departures`). */
export const DepartureErrors = {
  nobodyToDepart: defineError(
    "PASSAGE_ERR_SIMULATION_NOBODY_TO_DEPART",
    "unavailable",
    "The departure simulator found no person it could send a departure for; nothing was sent",
    (reason: string) => `nothing was sent: ${reason}`,
  ),
  rateOutOfRange: defineError(
    "PASSAGE_ERR_SIMULATION_RATE_OUT_OF_RANGE",
    "invalid_input",
    "The departure simulator's rate is not a number of records per second it can keep",
    (rate: number, minimum: number) => ({
      message: `the rate must be at least ${minimum} records per second, got ${rate}; nothing was sent`,
      details: { rate: String(rate), minimum },
    }),
  ),
  countNotPositiveInteger: defineError(
    "PASSAGE_ERR_SIMULATION_COUNT_INVALID",
    "invalid_input",
    "The departure simulator's count of records is not a positive whole number",
    (count: number) => ({
      message: `the count must be a whole number above 0, got ${count}; nothing was sent`,
      details: { count: String(count) },
    }),
  ),
};
registerErrors("@passage/engine/departures", DepartureErrors);
