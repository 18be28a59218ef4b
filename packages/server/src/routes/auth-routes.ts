import type { Actor, AuditEvent } from "@passage/access";
import { isPassageError } from "@passage/core";
import { createAccessRepository } from "@passage/store";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { OidcLogin } from "../authentication/oidc-login.ts";
import { type RequestId, SESSION_COOKIE } from "../authentication/passage-authenticator.ts";
import { currentUserDocument } from "../authentication/user-capabilities.ts";
import { ServerErrors } from "../server-errors.ts";
import { actorOf, type RouteContext } from "./route-context.ts";
import { NoBody } from "./route-schemas.ts";

const OIDC_BINDING_COOKIE = "passage_oidc";
const MAX_TOKEN_LIFETIME_DAYS = 366;
/** The lifetime of a token issued over HTTP without one: every such token expires. */
const DEFAULT_TOKEN_LIFETIME_DAYS = 90;

const CurrentUser = z.object({
  user: z.object({
    username: z.string(),
    displayName: z.string(),
    kind: z.enum(["user", "system"]),
    roles: z.array(z.string()),
    office: z.string(),
    confidentialityNeeds: z.array(z.string()),
    country: z.string(),
  }),
  actions: z.array(z.string()),
  sections: z.array(z.string()),
  credential: z.enum(["session", "token"]).nullable(),
});

/** The error body (components/schemas/Error), for the statuses an operation documents itself. */
const ErrorAnswer = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const Token = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

/**
 * Authentication over HTTP (issue 6): password sign-in (stricter rate limit), sign-out, who am I,
 * the caller's own API tokens, and OpenID Connect sign-in. Sessions ride in a cookie that is
 * HttpOnly, SameSite=Strict, Secure over https, and expires with the session.
 */
export async function registerAuthRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const { accounts } = context.app.access;
  const tokens = createAccessRepository(context.app.store.db);

  const secure = (request: FastifyRequest) =>
    context.secureCookies === "auto" ? request.protocol === "https" : context.secureCookies;

  const startSession = async (request: FastifyRequest, reply: FastifyReply, actor: Actor) => {
    const session = await accounts.createSession(actor.id);
    // Served from its first use, even from an address past its failed authentications.
    context.authenticator.recognise(session.token);
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: "/",
      httpOnly: true,
      sameSite: "strict",
      secure: secure(request),
      expires: new Date(session.expiresAt),
    });
    return session;
  };

  const me = async (request: FastifyRequest, actor: Actor) => {
    const account =
      actor.kind === "user" ? await accounts.getUserOrThrow(actor.id).catch(() => undefined) : undefined;
    return currentUserDocument(
      context.app.access,
      actor,
      account,
      request.credential as "session" | "token" | undefined,
    );
  };

  typed.post(
    "/auth/login",
    {
      config: {
        access: "public",
        rateLimit: {
          max: context.app.config.http.loginAttemptsPerMinute,
          timeWindow: "1 minute",
          keyGenerator: (request) => request.ip,
        },
      },
      schema: {
        summary: "Sign in with a username and password; sets the session cookie",
        tags: ["authentication"],
        security: [],
        body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(1024) }),
        response: { 200: CurrentUser.extend({ expiresAt: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = await accounts.authenticatePassword(
        request.body.username,
        request.body.password,
        request.id as RequestId,
      );
      const session = await startSession(request, reply, actor);
      request.credential = "session";
      return { ...(await me(request, actor)), expiresAt: session.expiresAt };
    },
  );

  typed.post(
    "/auth/logout",
    {
      config: { access: "public" },
      schema: {
        summary: "Sign out: ends the session and clears its cookie",
        tags: ["authentication"],
        body: NoBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      // The session's secret rides in the cookie, or (a script's) Authorization: Bearer pss_...;
      // an API token (pat_) is not a session and is revoked only through /auth/tokens.
      const bearer = /^Bearer\s+(pss_\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
      const token = bearer ?? request.cookies[SESSION_COOKIE];
      let ended = false;
      if (token) {
        ended = await accounts.revokeSession(token);
        context.authenticator.forget(token);
      }
      await auditLogout(context, request, ended);
      reply.clearCookie(SESSION_COOKIE, {
        path: "/",
        httpOnly: true,
        sameSite: "strict",
        secure: secure(request),
      });
      return reply.status(204).send(null);
    },
  );

  typed.get(
    "/auth/me",
    {
      config: { access: "signed-in" },
      schema: {
        summary: "The signed-in user, their roles, the actions and UI sections their roles permit",
        tags: ["authentication"],
        response: { 200: CurrentUser },
      },
    },
    async (request) => me(request, actorOf(request)),
  );

  const userOf = (request: FastifyRequest) => {
    const actor = actorOf(request);
    if (actor.kind !== "user") throw ServerErrors.systemActorHasNoTokens.create();
    return actor;
  };

  typed.get(
    "/auth/tokens",
    {
      config: { access: "signed-in" },
      schema: {
        summary: "The caller's API tokens (never their secrets)",
        tags: ["authentication"],
        response: { 200: z.object({ tokens: z.array(Token) }) },
      },
    },
    async (request) => {
      const actor = userOf(request);
      const listed = (await tokens.listTokens(actor.id)).map(({ username: _username, ...token }) => token);
      // Every read is audited (issue 6), a user's own token list included; recorded before it is answered.
      await auditTokenChange(context, request, actor, "auth.token.list", "(own tokens)");
      return { tokens: listed };
    },
  );

  typed.post(
    "/auth/tokens",
    {
      config: { access: "signed-in" },
      schema: {
        summary: "Issues an API token for the caller (shown once; use as Authorization: Bearer)",
        description: `Only a signed-in session issues tokens (a token cannot renew itself). Every token issued here expires: after lifetimeDays (at most ${MAX_TOKEN_LIFETIME_DAYS}), ${DEFAULT_TOKEN_LIFETIME_DAYS} days when not given.`,
        tags: ["authentication"],
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          lifetimeDays: z.number().int().min(1).max(MAX_TOKEN_LIFETIME_DAYS).optional(),
        }),
        response: { 201: z.object({ id: z.string(), token: z.string(), expiresAt: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = userOf(request);
      if (request.credential !== "session") {
        const refusal = ServerErrors.tokenCannotIssueTokens.create();
        await auditTokenChange(context, request, actor, "auth.token.create", "(none issued)", refusal.code);
        throw refusal;
      }
      const days = request.body.lifetimeDays ?? DEFAULT_TOKEN_LIFETIME_DAYS;
      const issued = await accounts.createApiToken(actor.id, request.body.name, days * 86_400_000);
      await auditTokenChange(context, request, actor, "auth.token.create", issued.id);
      return reply.status(201).send({ id: issued.id, token: issued.token, expiresAt: issued.expiresAt });
    },
  );

  typed.delete(
    "/auth/tokens/:id",
    {
      config: { access: "signed-in" },
      schema: {
        summary: "Revokes one of the caller's API tokens",
        tags: ["authentication"],
        params: z.object({ id: z.string().uuid() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const actor = userOf(request);
      const own = (await tokens.listTokens(actor.id)).some((token) => token.id === request.params.id);
      if (!own) throw ServerErrors.tokenNotFound.create(request.params.id);
      await accounts.revokeApiToken(request.params.id);
      // Only the token's id is known here: every cached credential is checked again.
      context.authenticator.forget();
      await auditTokenChange(context, request, actor, "auth.token.revoke", request.params.id);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    "/auth/methods",
    {
      config: { access: "public" },
      schema: {
        summary: "How one may sign in here: password, and single sign-on when OpenID Connect is configured",
        tags: ["authentication"],
        security: [],
        response: {
          200: z.object({
            password: z.literal(true),
            oidc: z
              .object({
                providerName: z.string().describe('For "Sign in with ..."'),
                loginPath: z.string().describe("Where to send the browser, with ?returnTo=/path"),
              })
              .nullable()
              .describe("null when OpenID Connect is not configured"),
          }),
        },
      },
    },
    async () => ({
      password: true as const,
      oidc: context.oidc
        ? { providerName: context.oidc.providerName, loginPath: "/api/v1/auth/oidc/login" }
        : null,
    }),
  );

  typed.get(
    "/auth/oidc/login",
    {
      config: { access: "public" },
      schema: {
        summary: "Starts OpenID Connect sign-in (authorization code + PKCE): redirects to the provider",
        tags: ["authentication"],
        security: [],
        querystring: z.object({
          returnTo: z
            .string()
            .max(500)
            .optional()
            .describe(
              "A path on this site to return to after signing in; beyond ASCII it is percent-encoded, with a control character, white space or backslash it is /",
            ),
        }),
        response: {
          302: z.null().describe("Redirects to the provider's authorization endpoint (Location)"),
          404: ErrorAnswer.describe(
            "OpenID Connect is not configured (PASSAGE_ERR_AUTH_OIDC_NOT_CONFIGURED)",
          ),
          503: ErrorAnswer.describe(
            "Too many sign-ins in progress from this address or in all (PASSAGE_ERR_AUTH_OIDC_BUSY)",
          ),
        },
      },
    },
    async (request, reply) => {
      if (!context.oidc) throw ServerErrors.oidcNotConfigured.create();
      const { url, binding } = await context.oidc.begin(request.query.returnTo ?? "/", request.ip);
      // Lax, not Strict: the provider's redirect back is a cross-site navigation that must carry it.
      reply.setCookie(OIDC_BINDING_COOKIE, binding, {
        path: "/api/v1/auth/oidc",
        httpOnly: true,
        sameSite: "lax",
        secure: secure(request),
        maxAge: 600,
      });
      return reply.redirect(url, 302);
    },
  );

  typed.get(
    "/auth/oidc/callback",
    {
      config: { access: "public" },
      schema: {
        summary:
          "OpenID Connect redirect target: completes sign-in, sets the session cookie, returns to the UI",
        tags: ["authentication"],
        security: [],
        // What the provider sends back (RFC 6749 §4.1.2, RFC 9207); the grant checks it.
        querystring: z.looseObject({
          code: z.string().optional().describe("The authorization code"),
          state: z.string().optional().describe("The state this server sent"),
          iss: z.string().optional().describe("The issuer (RFC 9207)"),
          error: z.string().optional().describe("The provider's error code, when it refused"),
          error_description: z.string().optional(),
        }),
        response: {
          302: z.null().describe("Signed in: sets the session cookie and redirects to returnTo (Location)"),
          401: ErrorAnswer.describe(
            "The sign-in did not complete: unknown, expired or replayed state, another browser, a refused grant (PASSAGE_ERR_AUTH_OIDC_FAILED)",
          ),
          403: ErrorAnswer.describe(
            "The provider's claims map to no role (PASSAGE_ERR_AUTH_OIDC_NO_ROLE; the bound user is disabled), or an administrator disabled the user (PASSAGE_ERR_AUTH_OIDC_ACCOUNT_DISABLED)",
          ),
          404: ErrorAnswer.describe(
            "OpenID Connect is not configured (PASSAGE_ERR_AUTH_OIDC_NOT_CONFIGURED)",
          ),
          409: ErrorAnswer.describe(
            "The provider's username is held by an account not bound to this provider identity (PASSAGE_ERR_AUTH_OIDC_ACCOUNT_CONFLICT)",
          ),
        },
      },
    },
    async (request, reply) => {
      if (!context.oidc) throw ServerErrors.oidcNotConfigured.create();
      const callback = new URL(request.url, `${request.protocol}://${request.host}`);
      const audit = (entry: Omit<AuditEvent, "time" | "requestId" | "purpose" | "reasons">) =>
        context.app.access.audit.append({
          time: new Date().toISOString(),
          requestId: request.id,
          purpose: "authentication",
          reasons: [],
          ...entry,
        });
      let signedIn: Awaited<ReturnType<OidcLogin["complete"]>>;
      try {
        signedIn = await context.oidc.complete(
          callback,
          request.cookies[OIDC_BINDING_COOKIE],
          async ({ username, change, details }) => {
            await audit({
              actor: `user:${username}`,
              action: "user.write",
              resourceType: "Account",
              resourceId: username,
              decision: "allow",
              outcome: "success",
              errorCode: null,
              details: { ...details, change },
            });
          },
        );
      } catch (error) {
        // A refused sign-in may have changed the account (no role left: disabled): forget what was checked.
        context.authenticator.forget();
        const username = isPassageError(error) ? error.details?.username : undefined;
        await audit({
          actor: "anonymous",
          action: "auth.oidc",
          resourceType: "Account",
          resourceId: typeof username === "string" ? username : "(unknown)",
          decision: "deny",
          outcome: "failure",
          errorCode: isPassageError(error) ? error.code : "PASSAGE_ERR_INTERNAL",
          details: {},
        });
        throw error;
      }
      const { actor, returnTo } = signedIn;
      // Changed roles from the provider end the user's other sessions: forget what was checked.
      context.authenticator.forget();
      reply.clearCookie(OIDC_BINDING_COOKIE, { path: "/api/v1/auth/oidc" });
      await startSession(request, reply, actor);
      await audit({
        actor: `user:${actor.id}`,
        action: "auth.oidc",
        resourceType: "Account",
        resourceId: actor.id,
        decision: "allow",
        outcome: "success",
        errorCode: null,
        details: {},
      });
      return reply.redirect(returnTo, 302);
    },
  );
}

/**
 * Records a sign-out as sign-in is recorded (`auth.password`): who, and whether a live session
 * ended. The answer is 204 either way (signing out twice is not an error), but a sign-out that
 * ended nothing (no cookie, or a session already expired or revoked) is recorded as a failure.
 */
async function auditLogout(context: RouteContext, request: FastifyRequest, ended: boolean): Promise<void> {
  // The authentication hook resolved the session on this public route before the handler ran.
  const actor = request.actor as Actor | undefined;
  await context.app.access.audit.append({
    time: new Date().toISOString(),
    requestId: request.id,
    actor: actor ? `user:${actor.id}` : "anonymous",
    purpose: "authentication",
    action: "auth.logout",
    resourceType: "Account",
    resourceId: actor?.id ?? "(none)",
    decision: "allow",
    outcome: ended ? "success" : "failure",
    errorCode: ended ? null : ServerErrors.unauthenticated.code,
    reasons: ended ? [] : ["no-live-session"],
    details: {},
  });
}

async function auditTokenChange(
  context: RouteContext,
  request: FastifyRequest,
  actor: Actor,
  action: string,
  tokenId: string,
  /** The code of a refusal: recorded as denied. */
  refusedWith?: string,
): Promise<void> {
  await context.app.access.audit.append({
    time: new Date().toISOString(),
    requestId: request.id,
    actor: `user:${actor.id}`,
    purpose: "authentication",
    action,
    resourceType: "Account",
    resourceId: `token:${tokenId}`,
    decision: refusedWith ? "deny" : "allow",
    outcome: refusedWith ? "failure" : "success",
    errorCode: refusedWith ?? null,
    reasons: refusedWith ? ["credential-is-a-token"] : [],
    details: {},
  });
}
