import { httpStatusOf, isPassageError, type PassageError } from "@passage/core";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { ServerErrors } from "../server-errors.ts";
import { isDatabaseUnavailable } from "./database-unavailable.ts";

/** The body of every error answer. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/**
 * Errors whose HTTP status is more precise than their kind's: 429 for too many requests (Passage's
 * limiter of failed authentications, as the rate limiter's), 415 for a body the route does not read,
 * 413 for a body over the route's limit (declared, or found while streaming).
 */
export const HTTP_STATUS_OF_CODE = new Map<string, number>([
  [ServerErrors.rateLimited.code, 429],
  [ServerErrors.unsupportedMediaType.code, 415],
  [ServerErrors.bodyTooLarge.code, 413],
]);

function send(
  reply: FastifyReply,
  error: PassageError,
  status = HTTP_STATUS_OF_CODE.get(error.code) ?? httpStatusOf(error.kind),
): FastifyReply {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
  return reply.status(status).type("application/json").send(body);
}

/**
 * One mapping from errors to HTTP: coded Passage errors keep their code and get their kind's
 * status; schema validation and Fastify's own client errors become coded 4xx answers; a database
 * that cannot be reached is 503 PASSAGE_ERR_HTTP_DATABASE_UNAVAILABLE; anything else is a bare 500 with a log line (no internals leak to the caller).
 */
export const errorHandlerPlugin = fp(
  async (server: FastifyInstance) => {
    server.setErrorHandler((error: FastifyError, request, reply) => {
      if (isPassageError(error)) return send(reply, error);
      if (hasZodFastifySchemaValidationErrors(error)) {
        const problems = error.validation
          .map((issue) => `${issue.instancePath || "/"} ${issue.message}`.trim())
          .join("; ");
        return send(
          reply,
          ServerErrors.invalidRequest.create(`${error.validationContext ?? "request"}: ${problems}`),
        );
      }
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        return send(reply, ServerErrors.bodyTooLarge.create(request.routeOptions.bodyLimit ?? 0));
      }
      if (error.statusCode === 415 || error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
        return send(
          reply,
          ServerErrors.unsupportedMediaType.create(String(request.headers["content-type"] ?? "")),
        );
      }
      if (error.statusCode === 429) {
        // RFC 6585: 429 Too Many Requests, with the limiter's Retry-After header kept.
        return send(
          reply,
          ServerErrors.rateLimited.create(String(reply.getHeader("retry-after") ?? "a moment")),
        );
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return send(reply, ServerErrors.invalidRequest.create(error.message));
      }
      if (isDatabaseUnavailable(error)) {
        // An outage, not a bug: 503 with a stable code (a login, a read, a write alike).
        request.log.warn({ err: error }, "database unavailable");
        return send(reply, ServerErrors.databaseUnavailable.create());
      }
      request.log.error({ err: error }, "unexpected error");
      return reply
        .status(500)
        .type("application/json")
        .send({ error: { code: "PASSAGE_ERR_INTERNAL", message: "internal error" } });
    });
    server.setNotFoundHandler((request, reply) =>
      send(reply, ServerErrors.notFound.create(request.method, request.url)),
    );
  },
  { name: "passage-error-handler" },
);
