import { defineError, registerErrors } from "@passage/core";

/** Errors of linkage's database phase: batch runs, the review queue, decisions, unlinks, search. */
export const LinkageServiceErrors = {
  truthInvalid: defineError(
    "PASSAGE_ERR_LINK_TRUTH_INVALID",
    "invalid_input",
    "The truth file given to `passage link --evaluate` cannot be read",
    (file: string, problem: string) => ({ message: `truth file ${file}: ${problem}`, details: { file } }),
  ),
  truthNotFound: defineError(
    "PASSAGE_ERR_LINK_TRUTH_NOT_FOUND",
    "not_found",
    "The truth file given to `passage link --evaluate` does not exist or is not a file",
    (file: string) => ({ message: `no truth file ${file}`, details: { file } }),
  ),
  noModel: defineError(
    "PASSAGE_ERR_LINK_NO_MODEL",
    "conflict",
    "No linkage model is active yet: run `passage link` first",
    () => "no linkage model is active yet: run `passage link` to link the records table first",
  ),
  recordNotFound: defineError(
    "PASSAGE_ERR_LINK_RECORD_NOT_FOUND",
    "not_found",
    "No record has this FEED:KEY, or linkage has not indexed it yet",
    (reference: string) => `no linked record ${reference}`,
  ),
  notPersonRecord: defineError(
    "PASSAGE_ERR_LINK_NOT_PERSON_RECORD",
    "invalid_input",
    "The record is of a feed that describes no person (flights): linkage neither links nor explains it",
    (reference: string, feed: string) => ({
      message: `${reference} is a ${feed} record, which describes no person: linkage neither links, explains nor unlinks it`,
      details: { reference, feed },
    }),
  ),
  pairInvalid: defineError(
    "PASSAGE_ERR_LINK_PAIR_INVALID",
    "invalid_input",
    "A pair to explain must name two different records",
    (problem: string) => `invalid pair: ${problem}`,
  ),
  personNotFound: defineError(
    "PASSAGE_ERR_LINK_PERSON_NOT_FOUND",
    "not_found",
    "No person has this id (a retired id names its successor)",
    (personId: string, successor: string | null) =>
      successor === null
        ? `no person ${personId}`
        : `no person ${personId}: its records are now in ${successor}`,
  ),
  reviewNotFound: defineError(
    "PASSAGE_ERR_LINK_REVIEW_NOT_FOUND",
    "not_found",
    "No review item has this id",
    (reviewId: string) => `no review item ${reviewId}`,
  ),
  reviewClosed: defineError(
    "PASSAGE_ERR_LINK_REVIEW_CLOSED",
    "conflict",
    "The review item is already closed",
    (reviewId: string, status: string) =>
      `review item ${reviewId} is ${status}; it takes no further decision`,
  ),
  decisionInvalid: defineError(
    "PASSAGE_ERR_LINK_DECISION_INVALID",
    "invalid_input",
    "A link decision is incomplete or malformed",
    (problem: string) => `invalid link decision: ${problem}`,
  ),
  decisionConflict: defineError(
    "PASSAGE_ERR_LINK_DECISION_CONFLICT",
    "conflict",
    "The decision contradicts earlier human decisions (a must-link would join cannot-linked records)",
    (left: string, right: string, detail: string) => ({
      message: `deciding ${left} and ${right} this way contradicts earlier decisions: ${detail}`,
      details: { left, right },
    }),
  ),
  searchInvalid: defineError(
    "PASSAGE_ERR_LINK_SEARCH_INVALID",
    "invalid_input",
    "A person search needs a name or a document number",
    (problem: string) => `invalid person search: ${problem}`,
  ),
};
registerErrors("@passage/engine/linkage", LinkageServiceErrors);
