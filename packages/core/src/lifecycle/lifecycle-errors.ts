import { registerErrors } from "../errors/error-registry.ts";
import { defineError } from "../errors/passage-error.ts";

/** Errors raised by the lifecycle state machine: bad dates, malformed records, invalid rules. */
export const LifecycleErrors = {
  invalidAsOf: defineError(
    "PASSAGE_ERR_LIFECYCLE_AS_OF_INVALID",
    "invalid_input",
    "The as-of date is not a calendar date in YYYY-MM-DD form",
    (asOf: string) => `as-of date "${asOf}" is not an existing calendar date in YYYY-MM-DD form`,
  ),
  invalidDate: defineError(
    "PASSAGE_ERR_LIFECYCLE_DATE_INVALID",
    "invalid_input",
    "A date given to a lifecycle function is not a calendar date in YYYY-MM-DD form",
    (what: string, text: string) => `${what} "${text}" is not an existing calendar date in YYYY-MM-DD form`,
  ),
  invalidKnownAt: defineError(
    "PASSAGE_ERR_LIFECYCLE_KNOWN_AT_INVALID",
    "invalid_input",
    "The known-at moment is not an ISO 8601 timestamp",
    (knownAt: string) =>
      `known-at "${knownAt}" is not an ISO 8601 timestamp with an offset (e.g. 2024-05-01T12:00:00Z)`,
  ),
  invalidRecord: defineError(
    "PASSAGE_ERR_LIFECYCLE_RECORD_INVALID",
    "invalid_input",
    "A source record lacks a field the lifecycle needs, or holds a value of the wrong form",
    (record: string, field: string, problem: string) => ({
      message: `record ${record}: field "${field}" ${problem}`,
      details: { record, field },
    }),
  ),
  invalidRules: defineError(
    "PASSAGE_ERR_LIFECYCLE_RULES_INVALID",
    "invalid_input",
    "The lifecycle rules configuration does not validate",
    (problems: readonly string[]) => ({
      message: `invalid lifecycle rules: ${problems.join("; ")}`,
      details: { problems },
    }),
  ),
  invalidClaim: defineError(
    "PASSAGE_ERR_LIFECYCLE_CLAIM_INVALID",
    "invalid_input",
    "A citizenship claim passed to the lifecycle has a malformed date",
    (claimId: string, problem: string) => `citizenship claim ${claimId}: ${problem}`,
  ),
};
registerErrors("@passage/core", LifecycleErrors);
