import type { Actor, AuditedAccess } from "@passage/access";
import type { App, RowIngestor } from "@passage/engine";
import type { FastifyRequest } from "fastify";
import type { OidcLogin } from "../authentication/oidc-login.ts";
import type { PassageAuthenticator } from "../authentication/passage-authenticator.ts";
import { ServerErrors } from "../server-errors.ts";

/** The header that states the purpose of use (FIPPs purpose specification); required for case data. */
export const PURPOSE_HEADER = "x-passage-purpose";

/** What the API's routes are built from. */
export interface RouteContext {
  readonly app: App;
  readonly authenticator: PassageAuthenticator;
  /** Streams feed rows into ingest (group commit), shared by every feed request. */
  readonly ingestor: RowIngestor;
  readonly oidc: OidcLogin | undefined;
  /** Whether session cookies carry `Secure`: always, never, or when the request came over https. */
  readonly secureCookies: boolean | "auto";
  /** The in-process projection runner's lag, for the metrics (absent: not reported). */
  readonly consumerLag?:
    | (() => Promise<{ consumer: string; eventsBehind: number; oldestUnprocessedAgeMs: number }[]>)
    | undefined;
  /** The feed route's body limit in bytes (absent: SERVER_DEFAULTS.feedBodyLimit). */
  readonly feedBodyLimit?: number | undefined;
}

/** The signed-in actor of a request that passed the authentication hook. */
export function actorOf(request: FastifyRequest): Actor {
  const actor = request.actor as Actor | undefined;
  if (!actor) throw ServerErrors.unauthenticated.create();
  return actor;
}

/** The audited access layer of one request: its actor, its stated purpose, its id. */
export function accessOf(context: RouteContext, request: FastifyRequest): AuditedAccess {
  const stated = request.headers[PURPOSE_HEADER];
  const purpose = (Array.isArray(stated) ? stated[0] : stated) ?? "";
  return context.app.access.forRequest({
    actor: actorOf(request),
    purpose: purpose.trim(),
    requestId: request.id,
    channel: "view",
  });
}
