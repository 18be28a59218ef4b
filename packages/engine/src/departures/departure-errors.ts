import { defineError, registerErrors } from "@passage/core";

/** Errors of the departure simulator (`passage simulate departures`). */
export const DepartureErrors = {
  nobodyToDepart: defineError(
    "PASSAGE_ERR_SIMULATION_NOBODY_TO_DEPART",
    "unavailable",
    "The departure simulator found no person it could send a departure for; nothing was sent",
    (reason: string) => `nothing was sent: ${reason}`,
  ),
};
registerErrors("@passage/engine/departures", DepartureErrors);
