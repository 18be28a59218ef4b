import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { isPublic } from "../route-access.ts";
import { ServerErrors } from "../server-errors.ts";

/** Who is calling, as far as the HTTP layer needs to know. */
export interface RequestActor {
  readonly id: string;
  readonly roles: readonly string[];
}

/** Resolves a request's session or token to an actor, and answers the coarse per-route permission. */
export interface Authenticator<Actor extends RequestActor = RequestActor> {
  authenticate(request: FastifyRequest): Promise<Actor | undefined>;
  /** Whether the actor's roles permit the action at all; finer checks happen on the resource. */
  mayPerform(actor: Actor, action: string): boolean;
  /** Records a refusal of the route guard (the audit log records denials as well as access). */
  recordDenial?(request: FastifyRequest, actor: Actor, action: string): Promise<void>;
}

declare module "fastify" {
  interface FastifyRequest {
    actor: RequestActor | undefined;
    /** How the actor proved who they are (`session`, `token`), when the authenticator says. */
    credential: string | undefined;
  }
}

/**
 * CLI.md "HTTP": every non-public operation answers an anonymous caller 401 and an
 * unauthorised one 403 *before* the body is parsed or validated — so this runs in `onRequest`.
 * Routes must declare their access; one that does not fails registration.
 */
export const authenticationPlugin = fp<{ authenticator: Authenticator }>(
  async (server: FastifyInstance, { authenticator }) => {
    server.decorateRequest("actor", undefined);
    server.decorateRequest("credential", undefined);
    server.addHook("onRoute", (route) => {
      if (!route.url.startsWith("/api/")) return;
      if (route.config?.access === undefined) {
        throw new Error(`route ${route.method} ${route.url} declares no config.access`);
      }
    });
    server.addHook("onRequest", async (request) => {
      const access = request.routeOptions.config?.access;
      if (!request.url.startsWith("/api/") || isPublic(access)) {
        request.actor = await authenticator.authenticate(request).catch(() => undefined);
        return;
      }
      const actor = await authenticator.authenticate(request).catch(() => undefined);
      if (!actor) throw ServerErrors.unauthenticated.create();
      // A route not found has no access declaration: it is answered 404 by the not-found handler
      // only for authenticated callers, so anonymous probing learns nothing.
      if (access !== undefined && access !== "signed-in" && !authenticator.mayPerform(actor, access.action)) {
        await authenticator.recordDenial?.(request, actor, access.action);
        throw ServerErrors.forbidden.create(access.action);
      }
      request.actor = actor;
    });
  },
  { name: "passage-authentication" },
);
