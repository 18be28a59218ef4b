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
    (limit: number, streamed?: { linesRead: number; stored: number; summary?: Record<string, unknown> }) =>
      streamed === undefined
        ? { message: `request body larger than ${limit} bytes`, details: { limit } }
        : {
            message:
              `request body larger than ${limit} bytes: reading stopped after line ${streamed.linesRead}; ` +
              `${streamed.stored} rows of lines 1-${streamed.linesRead} are stored (committed)` +
              `${streamed.summary ? "; details.summary counts them and lists the rejected lines" : ""}; ` +
              `send the lines after line ${streamed.linesRead} in a new request`,
            details: { limit, ...streamed },
          },
  ),
  headersTooLarge: defineError(
    "PASSAGE_ERR_HTTP_HEADERS_TOO_LARGE",
    "invalid_input",
    "The request line and headers exceed the server's limit",
    (limit: number) => ({
      message: `request line and headers larger than ${limit} bytes (a cookie or header too long?)`,
      details: { limit },
    }),
  ),
  requestTimeout: defineError(
    "PASSAGE_ERR_HTTP_REQUEST_TIMEOUT",
    "unavailable",
    "The request did not arrive in full within the server's time limit",
    (limitMs: number) => ({
      message: `the request did not arrive in full within ${limitMs / 1000} seconds`,
      details: { limitMs },
    }),
  ),
  malformedRequest: defineError(
    "PASSAGE_ERR_HTTP_MALFORMED_REQUEST",
    "invalid_input",
    "The request is not well-formed HTTP/1.1",
    (reason: string) => `the request is not well-formed HTTP/1.1: ${reason}`,
  ),
  rateLimited: defineError(
    "PASSAGE_ERR_HTTP_RATE_LIMITED",
    "unavailable",
    "Too many requests from this caller",
    (retryAfter: string) => `too many requests; retry after ${retryAfter}`,
  ),
  unsupportedMediaType: defineError(
    "PASSAGE_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE",
    "invalid_input",
    "The operation does not accept this content type (file uploads are never accepted)",
    (contentType: string) => `content type ${contentType || "(none)"} is not accepted here`,
  ),
  personNotFound: defineError(
    "PASSAGE_ERR_HTTP_PERSON_NOT_FOUND",
    "not_found",
    "No person has this id",
    (personId: string) => `no person ${personId}`,
  ),
  recordNotFound: defineError(
    "PASSAGE_ERR_HTTP_RECORD_NOT_FOUND",
    "not_found",
    "No record has this feed and key",
    (reference: string) => `no record ${reference}`,
  ),
  tokenNotFound: defineError(
    "PASSAGE_ERR_HTTP_TOKEN_NOT_FOUND",
    "not_found",
    "The caller has no API token with this id",
    (id: string) => `you have no API token ${id}`,
  ),
  tokenCannotIssueTokens: defineError(
    "PASSAGE_ERR_HTTP_TOKEN_NEEDS_SIGN_IN",
    "forbidden",
    "An API token cannot issue API tokens: only a signed-in session can",
    () =>
      "an API token cannot issue API tokens (a stolen one could renew itself): sign in with a password or single sign-on and issue it from that session",
  ),
  systemActorHasNoTokens: defineError(
    "PASSAGE_ERR_HTTP_NOT_A_USER",
    "refused",
    "Only a user account signs in, signs out or holds API tokens",
    () => "only a user account holds API tokens",
  ),
  oidcNotConfigured: defineError(
    "PASSAGE_ERR_AUTH_OIDC_NOT_CONFIGURED",
    "not_found",
    "OpenID Connect sign-in is not configured on this server",
    () => "OpenID Connect sign-in is not configured (set PASSAGE_OIDC_ISSUER and its companions)",
  ),
  oidcFailed: defineError(
    "PASSAGE_ERR_AUTH_OIDC_FAILED",
    "unauthenticated",
    "The OpenID Connect sign-in did not complete",
    (reason: string) => `OpenID Connect sign-in failed: ${reason}`,
  ),
  oidcNoRole: defineError(
    "PASSAGE_ERR_AUTH_OIDC_NO_ROLE",
    "forbidden",
    "The identity provider's claims map to no Passage role",
    (username: string) => ({
      message: `the identity provider grants ${username} no Passage role`,
      details: { username },
    }),
  ),
  oidcAccountConflict: defineError(
    "PASSAGE_ERR_AUTH_OIDC_ACCOUNT_CONFLICT",
    "conflict",
    "The provider's username names a local account that is not bound to this provider identity (it is never taken over)",
    (username: string, reason: string) => ({
      message: `cannot sign in as ${username} through the identity provider: ${reason}; an administrator must choose another username at the provider or rename the local account`,
      details: { username },
    }),
  ),
  oidcAccountDisabled: defineError(
    "PASSAGE_ERR_AUTH_OIDC_ACCOUNT_DISABLED",
    "forbidden",
    "The local account bound to this provider identity was disabled by an administrator",
    (username: string) => ({
      message: `the account ${username} is disabled; an administrator can enable it (passage users enable)`,
      details: { username },
    }),
  ),
  oidcBusy: defineError(
    "PASSAGE_ERR_AUTH_OIDC_BUSY",
    "unavailable",
    "Too many OpenID Connect sign-ins are in progress (from this address, or in all): try again later",
    (reason: string) => `cannot start a sign-in now: ${reason}`,
  ),
  oidcConfigInvalid: defineError(
    "PASSAGE_ERR_CONFIG_OIDC_INVALID",
    "invalid_input",
    "An OpenID Connect setting (PASSAGE_OIDC_*) is missing or invalid: the message names it",
    (problems: string) => `invalid OpenID Connect configuration: ${problems}`,
  ),
  oidcProviderUnreachable: defineError(
    "PASSAGE_ERR_CONFIG_OIDC_UNREACHABLE",
    "unavailable",
    "The OpenID Connect provider's discovery document could not be fetched or read at startup",
    (issuer: string, reason: string) =>
      `PASSAGE_OIDC_ISSUER: cannot read the provider's discovery document at ${issuer}: ${reason}`,
  ),
  invalidRecordReference: defineError(
    "PASSAGE_ERR_HTTP_INVALID_REFERENCE",
    "invalid_input",
    "A path names an unknown feed or an empty key",
    (problem: string) => problem,
  ),
  databaseUnavailable: defineError(
    "PASSAGE_ERR_HTTP_DATABASE_UNAVAILABLE",
    "unavailable",
    "The database cannot be reached (down, restarting or out of connections): nothing was done; try again",
    () => "the database is unavailable: nothing was done; try again shortly",
  ),
  addressInUse: defineError(
    "PASSAGE_ERR_HTTP_ADDRESS_IN_USE",
    "unavailable",
    "The HTTP server cannot listen: another program holds the address and port",
    (host: string, port: number) => ({
      message: `cannot listen on ${host}:${port}: the address is in use (give another --port, or 0 for a free one)`,
      details: { host, port },
    }),
  ),
  addressUnavailable: defineError(
    "PASSAGE_ERR_HTTP_ADDRESS_UNAVAILABLE",
    "invalid_input",
    "The HTTP server cannot listen on this address (not one of this machine's, or not permitted)",
    (host: string, port: number, reason: string) => ({
      message: `cannot listen on ${host}:${port}: ${reason}`,
      details: { host, port },
    }),
  ),
};
registerErrors("@passage/server", ServerErrors);
