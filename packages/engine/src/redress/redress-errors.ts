import { defineError, registerErrors } from "@passage/core";

/** Errors of the redress workflow (issue 6). */
export const RedressErrors = {
  requestInvalid: defineError(
    "PASSAGE_ERR_REDRESS_INVALID",
    "invalid_input",
    "A redress request or resolution is incomplete or malformed",
    (problem: string) => `invalid redress request: ${problem}`,
  ),
  personNotFound: defineError(
    "PASSAGE_ERR_REDRESS_PERSON_NOT_FOUND",
    "not_found",
    "The person a redress request names does not exist, or is outside what the filer may file for",
    (personId: string) => `no person ${personId} you may file for`,
  ),
  requestNotFound: defineError(
    "PASSAGE_ERR_REDRESS_NOT_FOUND",
    "not_found",
    "No redress request has this id",
    (requestId: string) => `no redress request ${requestId}`,
  ),
  alreadyResolved: defineError(
    "PASSAGE_ERR_REDRESS_ALREADY_RESOLVED",
    "conflict",
    "The redress request is already resolved; file a new one",
    (requestId: string, outcome: string) => `redress request ${requestId} is already resolved (${outcome})`,
  ),
  resolutionInProgress: defineError(
    "PASSAGE_ERR_REDRESS_RESOLUTION_IN_PROGRESS",
    "conflict",
    "Another resolution of the redress request is in progress; read the request again when it ends",
    (requestId: string, by: string, since: string) =>
      `redress request ${requestId} is being resolved by ${by}${since ? ` since ${since}` : ""}; nothing was written: read it again when that resolution ends`,
  ),
  wrongState: defineError(
    "PASSAGE_ERR_REDRESS_WRONG_STATE",
    "conflict",
    "The redress request is not in the state this step needs",
    (requestId: string, status: string, needed: string) =>
      `redress request ${requestId} is ${status}; this step needs it ${needed}`,
  ),
  correctionRejected: defineError(
    "PASSAGE_ERR_REDRESS_CORRECTION_REJECTED",
    "invalid_input",
    "A correction record does not pass the feed's validation; nothing was written",
    (index: number, feed: string, problems: string) => ({
      message: `correction ${index} (${feed}) is not a valid ${feed} record: ${problems}; nothing was written`,
      details: { index, feed },
    }),
  ),
  linksPartlyDecided: defineError(
    "PASSAGE_ERR_REDRESS_LINKS_PARTLY_DECIDED",
    "conflict",
    "A resolution's link decision was refused after earlier ones were taken: those stand, the request stays open",
    (requestId: string, taken: readonly string[], refused: string, problem: string) => ({
      message: `redress request ${requestId} is not resolved: ${refused} was refused (${problem}) after ${taken.join(", ")} had been decided; those decisions stand (the request's history and linkage's audit record them): resolve the request again without them`,
      details: { requestId, taken: [...taken], refused },
    }),
  ),
  correctionNotAboutPerson: defineError(
    "PASSAGE_ERR_REDRESS_CORRECTION_NOT_ABOUT_PERSON",
    "invalid_input",
    "A correction is of a feed not about a person (flights); nothing was written",
    (reference: string, feed: string) => ({
      message: `correction record ${reference} is of the ${feed} feed, which is not about a person: a redress request corrects its person's records only; nothing was written`,
      details: { feed },
    }),
  ),
  recordOfNoPerson: defineError(
    "PASSAGE_ERR_REDRESS_RECORD_OF_NO_PERSON",
    "conflict",
    "A correction names a stored record of no person (it may be another's); nothing was written",
    (reference: string, personId: string) =>
      `correction record ${reference} exists and belongs to no person (it may be another person's record, not linked or unlinked): a correction attaches ${personId}'s own records or new ones only; link it to the person first; nothing was written`,
  ),
  recordOfAnotherPerson: defineError(
    "PASSAGE_ERR_REDRESS_RECORD_OF_ANOTHER_PERSON",
    "conflict",
    "A correction names a record that belongs to another person; nothing was written",
    (reference: string) =>
      `correction record ${reference} belongs to another person: a redress request corrects its own person's records only; nothing was written`,
  ),
};
registerErrors("@passage/engine/redress", RedressErrors);
