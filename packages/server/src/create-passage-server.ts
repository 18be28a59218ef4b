import type { App } from "@passage/engine";
import { createRowIngestor } from "@passage/engine";
import type { FastifyInstance, RouteOptions } from "fastify";
import { createOidcLogin, type OidcOptions } from "./authentication/oidc-login.ts";
import { createPassageAuthenticator } from "./authentication/passage-authenticator.ts";
import { createServer, type ServerOptions } from "./create-server.ts";
import { registerApiRoutes } from "./routes/api-routes.ts";
import type { RouteContext } from "./routes/route-context.ts";
import { defaultWebDirectory, registerWebSite } from "./web-site.ts";

export interface PassageServerOptions {
  readonly logLevel?: string;
  readonly version?: string;
  /** The web build to serve at `/` (default packages/web/dist; null: none). */
  readonly webDirectory?: string | null;
  /** OpenID Connect sign-in (absent: local accounts only). */
  readonly oidc?: OidcOptions | undefined;
  /** `Secure` on session cookies: always, never, or when the request came over https (default). */
  readonly secureCookies?: boolean | "auto";
  readonly trustProxy?: boolean;
  readonly consumerLag?: RouteContext["consumerLag"];
  /** Called for every route as it is registered. */
  readonly onRoute?: (route: RouteOptions) => void;
  /** Rate limits other than SERVER_DEFAULTS' (tests). */
  readonly rateLimits?: ServerOptions["rateLimits"];
  /** The feed route's body limit in bytes, other than SERVER_DEFAULTS.feedBodyLimit (tests). */
  readonly feedBodyLimit?: number;
}

/**
 * The Passage HTTP server over a running app: the API under /api/v1 (authentication, persons,
 * status, worklists, policies, transport, feeds, redress, audit, reports, health, metrics) and the
 * web UI at `/`. Closing the server flushes the feed ingestor; the app is the caller's to shut down.
 */
export async function createPassageServer(
  app: App,
  options: PassageServerOptions = {},
): Promise<FastifyInstance> {
  const ingestor = createRowIngestor({
    pool: app.store.pool,
    sourceName: (feed) => `http:POST /api/v1/feeds/${feed}/records`,
  });
  const authenticator = createPassageAuthenticator(app.access);
  const context: RouteContext = {
    app,
    authenticator,
    ingestor,
    oidc: options.oidc ? await createOidcLogin(options.oidc, app.access.accounts) : undefined,
    secureCookies: options.secureCookies ?? "auto",
    consumerLag: options.consumerLag,
    feedBodyLimit: options.feedBodyLimit,
  };
  const version = options.version ?? "1";
  const server = await createServer({
    authenticator,
    logLevel: options.logLevel,
    version,
    trustProxy: options.trustProxy,
    onRoute: options.onRoute,
    rateLimits: options.rateLimits,
    routes: (api) => registerApiRoutes(api, context, version),
    site: async (site) => {
      site.addHook("onClose", async () => {
        await ingestor.close();
      });
      await registerWebSite(
        site,
        options.webDirectory === undefined ? defaultWebDirectory() : options.webDirectory,
      );
    },
  });
  return server;
}
