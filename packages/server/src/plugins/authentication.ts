import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { isApiRequest, isPublic } from "../route-access.ts";
import { ServerErrors } from "../server-errors.ts";
import { isDatabaseUnavailable } from "./database-unavailable.ts";

/** Who is calling, as far as the HTTP layer needs to know. */
export interface RequestActor {
  readonly id: string;
  readonly roles: readonly string[];
}

/** Resolves a request's session or token to an actor, and answers the coarse per-route permission. */
export interface Authenticator<Actor extends RequestActor = RequestActor> {
  /**
   * The actor, or undefined (or a thrown error) for no credential or one that is not valid; a
   * database outage met while checking it (see `isDatabaseUnavailable`) is answered 503 and not
   * counted as a failed authentication.
   */
  authenticate(request: FastifyRequest): Promise<Actor | undefined>;
  /** Whether the actor's roles permit the action at all; finer checks happen on the resource. */
  mayPerform(actor: Actor, action: string): boolean;
  /** Records a refusal of the route guard (the audit log records denials as well as access). */
  recordDenial?(request: FastifyRequest, actor: Actor, action: string): Promise<void>;
  /**
   * Whether the request presents a credential that was valid when last checked, without any I/O:
   * an address past its failed authentications still has such credentials checked and served, so
   * that a flood of guesses from a shared address does not lock its signed-in users out.
   */
  recognises?(request: FastifyRequest): boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    actor: RequestActor | undefined;
    /** How the actor proved who they are (`session`, `token`), when the authenticator says. */
    credential: string | undefined;
  }
}

/**
 * Requests refused for want of a valid session or token, per address, in one-minute windows:
 * past the limit an address is answered 429 without its credential being looked up (or audited),
 * unless the authenticator recognises the credential as one that was valid.
 */
class FailedAuthentications {
  readonly #limit: number;
  #windowStart = Date.now();
  #counts = new Map<string, number>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Seconds until the address may try again, when it is over the limit. */
  retryAfter(address: string): number | undefined {
    this.#roll();
    if ((this.#counts.get(address) ?? 0) < this.#limit) return undefined;
    return Math.max(1, Math.ceil((this.#windowStart + 60_000 - Date.now()) / 1000));
  }

  record(address: string): void {
    this.#roll();
    this.#counts.set(address, (this.#counts.get(address) ?? 0) + 1);
  }

  #roll(): void {
    if (Date.now() - this.#windowStart < 60_000) return;
    this.#windowStart = Date.now();
    this.#counts = new Map();
  }
}

/**
 * CLI.md "HTTP": every non-public operation answers an anonymous caller 401 and an
 * unauthorised one 403 *before* the body is parsed or validated — so these run in `onRequest`:
 * this plugin authenticates (401), `routeGuardPlugin`, registered after the rate limiter, refuses
 * the actions the actor's roles do not permit (403), so that refused requests count against the
 * actor's rate limit as others do. Failed authentications are limited per address
 * (`failedAuthenticationsPerMinute`); only failures count (a credential that could not be checked
 * because the database is down is answered 503 and not counted), and a credential the authenticator
 * recognises is still served past the limit. Whether a request is under /api is decided by the
 * route it matched and its decoded path, never the raw URL (see `isApiRequest`). Routes must
 * declare their access; one that does not fails registration.
 */
export const authenticationPlugin = fp<{
  authenticator: Authenticator;
  failedAuthenticationsPerMinute: number;
}>(
  async (server: FastifyInstance, { authenticator, failedAuthenticationsPerMinute }) => {
    const failures = new FailedAuthentications(failedAuthenticationsPerMinute);
    server.decorateRequest("actor", undefined);
    server.decorateRequest("credential", undefined);
    server.addHook("onRoute", (route) => {
      if (!route.url.startsWith("/api/")) return;
      if (route.config?.access === undefined) {
        throw new Error(`route ${route.method} ${route.url} declares no config.access`);
      }
    });
    server.addHook("onRequest", async (request, reply) => {
      const access = request.routeOptions.config?.access;
      const retryAfter = failures.retryAfter(request.ip);
      const refusedUnseen = retryAfter !== undefined && !authenticator.recognises?.(request);
      if (!isApiRequest(request) || isPublic(access)) {
        // A public route answers anyway: past the limit, as anonymous, its credential unread.
        request.actor = refusedUnseen
          ? undefined
          : await authenticator.authenticate(request).catch(() => undefined);
        return;
      }
      if (refusedUnseen) {
        reply.header("retry-after", String(retryAfter));
        throw ServerErrors.rateLimited.create(`${retryAfter} seconds`);
      }
      // A credential that could not be checked (the database down) is neither valid nor a failed
      // authentication: the caller is told the service is unavailable (503), and the address is
      // not counted towards the failed-authentication limit.
      // Any other failure is a credential not accepted (the authenticator refuses an unknown,
      // expired or revoked one by throwing PASSAGE_ERR_AUTH_INVALID_CREDENTIALS).
      const actor = await authenticator.authenticate(request).catch((error: unknown) => {
        if (isDatabaseUnavailable(error)) throw ServerErrors.databaseUnavailable.create();
        return undefined;
      });
      if (!actor) {
        failures.record(request.ip);
        throw ServerErrors.unauthenticated.create();
      }
      request.actor = actor;
    });
  },
  { name: "passage-authentication" },
);

/**
 * The coarse per-route permission (403), after authentication and the rate limiter. The limiter
 * hooks each route (route hooks run after the server's), so the guard is added to each route
 * after it: registered after the limiter, its `onRoute` runs after the limiter's.
 */
export const routeGuardPlugin = fp<{ authenticator: Authenticator }>(
  async (server: FastifyInstance, { authenticator }) => {
    const guard = async (request: FastifyRequest) => {
      const access = request.routeOptions.config?.access;
      const actor = request.actor;
      if (isPublic(access) || access === undefined || access === "signed-in" || actor === undefined) return;
      if (!authenticator.mayPerform(actor, access.action)) {
        await authenticator.recordDenial?.(request, actor, access.action);
        throw ServerErrors.forbidden.create(access.action);
      }
    };
    server.addHook("onRoute", (route) => {
      if (!route.url.startsWith("/api/")) return;
      const hooks = route.onRequest;
      route.onRequest = [...(hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]), guard];
    });
  },
  { name: "passage-route-guard", dependencies: ["passage-authentication"] },
);
