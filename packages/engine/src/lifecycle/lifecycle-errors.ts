import { defineError, registerErrors } from "@passage/core";

/** Errors of the lifecycle projection and status queries. */
export const LifecycleProjectionErrors = {
  recordNotFound: defineError(
    "PASSAGE_ERR_STATUS_RECORD_NOT_FOUND",
    "not_found",
    "No source record has this FEED:KEY",
    (reference: string) => `no record ${reference}`,
  ),
  recordNotLinked: defineError(
    "PASSAGE_ERR_STATUS_RECORD_NOT_LINKED",
    "conflict",
    "The record exists but has not been linked to a person yet",
    (reference: string) => `record ${reference} is not linked to a person yet; run \`passage link\``,
  ),
  recordNotAboutPerson: defineError(
    "PASSAGE_ERR_STATUS_RECORD_NOT_ABOUT_PERSON",
    "invalid_input",
    "The record's feed does not describe a person (a flight), so it has no person and no status",
    (reference: string, feed: string) =>
      `record ${reference} is a ${feed} record, which describes no person and has no status`,
  ),
  personNotFound: defineError(
    "PASSAGE_ERR_STATUS_PERSON_NOT_FOUND",
    "not_found",
    "No person has this id",
    (personId: string) => `no person ${personId}`,
  ),
  personNotYetKnown: defineError(
    "PASSAGE_ERR_STATUS_NOT_YET_KNOWN",
    "not_found",
    "The person exists, but none of their records had been stored by the known-at time",
    (personId: string, knownAt: string) =>
      `person ${personId} was not yet known at ${knownAt}: none of their records had been stored by then`,
  ),
  invalidDate: defineError(
    "PASSAGE_ERR_STATUS_DATE_INVALID",
    "invalid_input",
    "An as-of date or known-at timestamp is malformed",
    (what: "as-of date" | "known-at timestamp", value: string, reason: string) =>
      `${what} "${value}" is not valid: ${reason} (${
        what === "as-of date"
          ? "a date is YYYY-MM-DD, e.g. 2025-06-30"
          : "a timestamp is ISO 8601 with an offset, e.g. 2025-06-30T12:00:00Z"
      })`,
  ),
  knownAtInFuture: defineError(
    "PASSAGE_ERR_STATUS_KNOWN_AT_IN_FUTURE",
    "invalid_input",
    "A known-at timestamp is later than now: what will have been recorded by then is not known yet",
    (value: string, now: string) =>
      `known-at ${value} is later than now (${now}): records may still arrive before then, so no answer for it would hold; leave known-at out for everything recorded so far`,
  ),
  rulesNotInForce: defineError(
    "PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE",
    "conflict",
    "This process's lifecycle rules are not those the stored statuses rest on; run `passage rebuild`",
    (problem: {
      purpose: "write" | "read";
      /** `derivation`: the file holds the recorded rules, so the derivation's version differs (an upgrade). */
      cause: "rules" | "derivation";
      derivationVersion: number;
      source: string;
      processDigest: string;
      fileDigest: string;
      recordedDigest: string;
      recordedBy: string;
    }) =>
      problem.cause === "derivation"
        ? `${problem.purpose === "write" ? "no status was written" : "no status is derived"}: the database's statuses were derived by another version of Passage's lifecycle derivation (recorded by ${problem.recordedBy}, digest ${problem.recordedDigest}) under the lifecycle rules ${problem.source} holds; this version's derivation is ${problem.derivationVersion} (docs/lifecycle-semantics.md, "Changes since the first version"), so run \`passage rebuild\` to derive every status with it (\`passage serve\` and \`passage start\` do so when they start)`
        : `${problem.purpose === "write" ? "no status was written" : "no status is derived"}: the database's statuses were derived with lifecycle rules ${problem.recordedDigest} (recorded by ${problem.recordedBy}), but this process has rules ${problem.processDigest} and ${problem.source} gives ${problem.fileDigest}; after editing lifecycle-rules.json run \`passage rebuild\` to put it in force, or give this process the rules in force (the lifecycle-rules.json the last rebuild ran with, in its data directory) and restart it`,
  ),
  rebuildRunning: defineError(
    "PASSAGE_ERR_REBUILD_RUNNING",
    "conflict",
    "Another rebuild of the lifecycle projection is running against this database",
    () =>
      "another rebuild of the lifecycle projection is running against this database; wait for it to finish (the projection stays as it was until then)",
  ),
};
registerErrors("@passage/engine/lifecycle", LifecycleProjectionErrors);
