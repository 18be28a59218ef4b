import { registerErrors } from "./error-registry.ts";
import { defineError } from "./passage-error.ts";

/** Errors raised by the pure core (feed contract, references). */
export const CoreErrors = {
  unknownFeed: defineError(
    "PASSAGE_ERR_FEED_UNKNOWN",
    "invalid_input",
    "The feed name is not one of SOURCES.md's feeds",
    (feed: string, known: readonly string[]) => `unknown feed "${feed}" (known feeds: ${known.join(", ")})`,
  ),
  invalidRecordReference: defineError(
    "PASSAGE_ERR_RECORD_REFERENCE_INVALID",
    "invalid_input",
    "A record reference is not of the form FEED:KEY",
    (reference: string, problem?: string) =>
      problem === undefined
        ? `"${reference}" is not a record reference of the form FEED:KEY`
        : `"${reference}" is not a valid record reference: ${problem}`,
  ),
};
registerErrors("@passage/core", CoreErrors);
