import type { CurrentUser } from "../../api/auth-api.ts";

/** The needs a user must hold all of to decide a redress request they filed themselves. */
const EVERY_NEED = ["asylum", "vawa1367"] as const;

/**
 * Whether another steward must decide this request: the user filed it and lacks one of the
 * confidentiality needs. The server refuses such a filer review and resolution on every request
 * they filed, flagged or not, so that a refusal never tells a person with an asylum or 1367 matter
 * from another; the page says so instead of offering a button that would be refused.
 */
export function decidedByAnotherSteward(
  user: Pick<CurrentUser, "username" | "confidentialityNeeds"> | null | undefined,
  filedBy: string,
): boolean {
  if (!user || filedBy !== `user:${user.username}`) return false;
  return EVERY_NEED.some((need) => !user.confidentialityNeeds.has(need));
}
