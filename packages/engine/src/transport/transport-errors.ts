import { defineError, registerErrors } from "@passage/core";

/** Errors of stored transport plans (issue 5). */
export const TransportErrors = {
  invalidFacilityHubs: defineError(
    "PASSAGE_ERR_TRANSPORT_FACILITY_HUBS_INVALID",
    "invalid_input",
    "The facility-to-hub mapping file is malformed",
    (file: string, what: string) => `facility-to-hub mapping ${file}: ${what}`,
  ),
  invalidHorizon: defineError(
    "PASSAGE_ERR_TRANSPORT_HORIZON_INVALID",
    "invalid_input",
    "A planning horizon is not two YYYY-MM-DD dates in order",
    (from: string, to: string) =>
      `the horizon --from ${from} --to ${to} must be two YYYY-MM-DD dates, from <= to`,
  ),
  planNotFound: defineError(
    "PASSAGE_ERR_TRANSPORT_PLAN_NOT_FOUND",
    "not_found",
    "No transport plan has this id",
    (planId: string) => `no transport plan ${planId}`,
  ),
  planAlreadyFrozen: defineError(
    "PASSAGE_ERR_TRANSPORT_PLAN_FROZEN",
    "conflict",
    "The plan is already frozen; freezing re-checks a draft once",
    (planId: string, frozenAt: string) => `transport plan ${planId} was already frozen at ${frozenAt}`,
  ),
};
registerErrors("@passage/engine/transport", TransportErrors);
