import { defineError, registerErrors } from "@passage/core";

/** Errors raised by the HTTP layer itself. */
export const ServerErrors = {
  unauthenticated: defineError(
    "PASSAGE_ERR_HTTP_UNAUTHENTICATED",
    "unauthenticated",
    "The operation needs a signed-in user or an API token",
    () => "sign in or present an API token",
  ),
  forbidden: defineError(
    "PASSAGE_ERR_HTTP_FORBIDDEN",
    "forbidden",
    "The caller's role does not permit the operation",
    (action: string) => ({ message: `your role does not permit ${action}`, details: { action } }),
  ),
  invalidRequest: defineError(
    "PASSAGE_ERR_HTTP_INVALID_REQUEST",
    "invalid_input",
    "The request does not match the operation's schema",
    (problems: string) => problems,
  ),
  notFound: defineError(
    "PASSAGE_ERR_HTTP_NOT_FOUND",
    "not_found",
    "No operation at this method and path",
    (method: string, url: string) => `no operation ${method} ${url}`,
  ),
  bodyTooLarge: defineError(
    "PASSAGE_ERR_HTTP_BODY_TOO_LARGE",
    "invalid_input",
    "The request body exceeds the operation's size limit",
    (limit: number) => `request body larger than ${limit} bytes`,
  ),
  rateLimited: defineError(
    "PASSAGE_ERR_HTTP_RATE_LIMITED",
    "unavailable",
    "Too many requests from this caller",
    (retryAfter: string) => `too many requests; retry after ${retryAfter}`,
  ),
};
registerErrors("@passage/server", ServerErrors);
