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
    "A planning horizon is not two calendar dates in order, or ends before today",
    // Worded for every surface (the HTTP body's from/to, the command line's --from/--to).
    (from: string, to: string, reason: string) =>
      `the planning horizon ${from} to ${to} is invalid: ${reason}`,
  ),
  unknownOffice: defineError(
    "PASSAGE_ERR_TRANSPORT_OFFICE_UNKNOWN",
    "invalid_input",
    "A transport plan names an office no user account works in and no case is assigned to",
    (office: string, known: string) =>
      office === ""
        ? `a transport plan needs an office (known offices: ${known})`
        : `unknown office "${office}": a plan belongs to an office a user works in or cases are assigned to (${known})`,
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
