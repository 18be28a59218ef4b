import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, LogController, type RouteOptions } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import helmet, { type HelmetOptions } from "helmet";
import { createClientErrorHandler } from "./client-error-handler.ts";
import { withApiConventions } from "./openapi-conventions.ts";
import { type Authenticator, authenticationPlugin, routeGuardPlugin } from "./plugins/authentication.ts";
import { errorHandlerPlugin } from "./plugins/error-handler.ts";
import { metricsPlugin } from "./plugins/metrics.ts";
import { purposeHeaderPlugin } from "./plugins/purpose-header.ts";
import { isApiRequest } from "./route-access.ts";
import { ServerErrors } from "./server-errors.ts";
import { SERVER_DEFAULTS } from "./server-options.ts";

export interface ServerOptions {
  readonly authenticator: Authenticator;
  /** Registers the API's operations (under /api/v1) once the shared plugins are in place. */
  readonly routes: (server: FastifyInstance) => Promise<void>;
  /** Registers what lives outside /api/v1 (the web build at `/`) once the shared plugins are in place. */
  readonly site?: (server: FastifyInstance) => Promise<void>;
  readonly logLevel?: string;
  readonly version?: string;
  /** Called for every route as it is registered (tests enumerate the API with it). */
  readonly onRoute?: (route: RouteOptions) => void;
  /** Trust `X-Forwarded-*` from a reverse proxy (so `request.protocol` says https behind TLS termination). */
  readonly trustProxy?: boolean;
  /** Requests a minute per actor (or address), and failed authentications a minute per address. */
  readonly rateLimits?: { readonly perMinute?: number; readonly failedAuthenticationsPerMinute?: number };
}

/**
 * The Fastify server: security headers, rate limits, cookies, the CLI.md authentication order,
 * one error mapping, metrics, and an OpenAPI 3.1 document generated from the routes' schemas.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    logger: {
      // Logs go to stderr: stdout is the command's (CLI.md "Output").
      stream: process.stderr,
      level: options.logLevel ?? "info",
      redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
    },
    bodyLimit: SERVER_DEFAULTS.bodyLimit,
    requestTimeout: SERVER_DEFAULTS.requestTimeout,
    // What Node's parser refuses before there is a request, in the stable error shape too.
    clientErrorHandler: createClientErrorHandler({ requestTimeout: SERVER_DEFAULTS.requestTimeout }),
    routerOptions: { maxParamLength: SERVER_DEFAULTS.maxParamLength },
    logController: new LogController({ disableRequestLogging: true }),
    // Request ids go into every audit entry of the request: unique across restarts and servers.
    genReqId: () => randomUUID(),
    trustProxy: options.trustProxy ?? false,
  });
  if (options.onRoute) server.addHook("onRoute", options.onRoute);
  // Bodies are JSON (the feed route adds NDJSON in its own scope). Fastify's default text/plain
  // parser would hand a JSON route a string, refused as 400 "expected object"; without it any
  // content type but JSON is 415 PASSAGE_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE, unread.
  server.removeContentTypeParser("text/plain");
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);

  await server.register(errorHandlerPlugin);
  // Security headers on every answer, the same for every request: computed once (@fastify/helmet
  // rebuilt helmet's middleware, parsing the content security policy, for every request).
  const securityHeaders = securityHeadersOf({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // No framing at all, as frame-ancestors says (helmet's default is SAMEORIGIN).
    frameguard: { action: "deny" },
  });
  server.addHook("onRequest", (request, reply, done) => {
    reply.headers(securityHeaders);
    // Case data is never kept by a browser or proxy cache.
    if (isApiRequest(request)) reply.header("cache-control", "no-store");
    done();
  });
  // PostgreSQL stores no NUL character in text, so a NUL anywhere in a path parameter, query or
  // JSON body is refused here, naming where, before any route reads or writes with it.
  server.addHook("preValidation", async (request) => {
    const where =
      nulCharacterIn(request.params, "path") ??
      nulCharacterIn(request.query, "query") ??
      nulCharacterIn(request.body, "body");
    if (where !== undefined) {
      throw ServerErrors.invalidRequest.create(
        `${where} contains a NUL character (\\u0000), which no field accepts`,
      );
    }
  });
  // The OpenAPI document states what CLI.md's authentication order does: a public route needs no
  // session or token (the document's default security is for every other route).
  server.addHook("onRoute", (route) => {
    if ((route.config as { access?: unknown } | undefined)?.access === "public") {
      route.schema = { ...route.schema, security: [] };
    }
  });
  await server.register(cookie);
  await server.register(metricsPlugin);
  await server.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Passage API",
        version: options.version ?? "1",
        description:
          "Auditable immigration case lifecycle platform: linked records, legal status with evidence, lawful actions, departures, transport plans, audit.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "passage_session" },
          token: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) =>
      withApiConventions("openapiObject" in document ? document.openapiObject : document.swaggerObject),
  });
  await server.register(authenticationPlugin, {
    authenticator: options.authenticator,
    failedAuthenticationsPerMinute:
      options.rateLimits?.failedAuthenticationsPerMinute ?? SERVER_DEFAULTS.failedAuthenticationsPerMinute,
  });
  // Registered after authentication so the limiter keys on the actor when there is one, and
  // before the route guard so that refused requests count too.
  await server.register(rateLimit, {
    max: options.rateLimits?.perMinute ?? SERVER_DEFAULTS.rateLimitPerMinute,
    timeWindow: "1 minute",
    keyGenerator: (request) => request.actor?.id ?? request.ip,
  });
  await server.register(routeGuardPlugin, { authenticator: options.authenticator });
  await server.register(purposeHeaderPlugin);

  await server.register(
    async (api) => {
      api.get(
        "/openapi.json",
        {
          config: { access: "public" },
          schema: { tags: ["meta"], summary: "This OpenAPI 3.1 document: every operation of the API" },
        },
        async () => server.swagger(),
      );
      await options.routes(api);
    },
    { prefix: "/api/v1" },
  );
  await options.site?.(server);
  await server.ready();
  return server;
}

/**
 * The headers helmet sets for these options. With static directives they do not depend on the
 * request, so helmet's middleware runs once, against a response that only records them.
 */
function securityHeadersOf(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * Where a parsed request part (parameters, query, JSON body) holds a string with a NUL
 * character, as `part.key[0].key`, if anywhere. A streamed body (NDJSON) is not walked: the
 * ingest judges it line by line.
 */
export function nulCharacterIn(value: unknown, part: string): string | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: part }];
  while (stack.length > 0) {
    const { value: next, path } = stack.pop()!;
    if (typeof next === "string") {
      if (next.includes("\u0000")) return path;
      continue;
    }
    if (next === null || typeof next !== "object") continue;
    if (Array.isArray(next)) {
      for (const [index, item] of next.entries()) stack.push({ value: item, path: `${path}[${index}]` });
    } else if (typeof (next as { pipe?: unknown }).pipe !== "function" && !Buffer.isBuffer(next)) {
      for (const [key, item] of Object.entries(next)) {
        if (key.includes("\u0000")) return path;
        stack.push({ value: item, path: `${path}.${key}` });
      }
    }
  }
  return undefined;
}
