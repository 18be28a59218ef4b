import { randomBytes } from "node:crypto";
import { type AccountService, type Actor, ROLES, type Role } from "@passage/access";
import { isPassageError } from "@passage/core";
import * as client from "openid-client";
import { z } from "zod";
import { ServerErrors } from "../server-errors.ts";

/** How Passage signs users in through an OpenID Connect provider, and maps their claims to a local user. */
export const OidcOptionsSchema = z.object({
  issuer: z
    .string()
    .url()
    .describe("The provider's issuer URL (discovery at /.well-known/openid-configuration)"),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional().describe("Confidential client secret (client_secret_basic)"),
  redirectUri: z.string().url().describe("This server's /api/v1/auth/oidc/callback as the provider knows it"),
  scopes: z.string().default("openid profile email"),
  usernameClaim: z.string().default("preferred_username"),
  displayNameClaim: z.string().default("name"),
  /** A claim holding a list (or space-separated string) of the provider's roles or groups. */
  rolesClaim: z.string().default("roles"),
  officeClaim: z.string().optional(),
  /** The provider's role or group -> Passage roles. Claims mapping to none are refused sign-in. */
  roleMapping: z.record(z.string(), z.array(z.enum(ROLES).exclude(["local_operator"]))),
  /** Allow an http:// issuer (a provider on this machine, in tests). */
  allowInsecure: z.boolean().default(false),
});
export type OidcOptions = z.input<typeof OidcOptionsSchema>;

/** The sign-in flow: authorization code with PKCE (RFC 7636), state and nonce. */
export interface OidcLogin {
  /** Starts a sign-in: where to send the browser, and the binding cookie's value. */
  begin(returnTo: string): Promise<{ url: string; binding: string }>;
  /** Completes it from the callback URL and the binding cookie; returns the local actor. */
  complete(callbackUrl: URL, binding: string | undefined): Promise<{ actor: Actor; returnTo: string }>;
}

interface PendingSignIn {
  readonly verifier: string;
  readonly nonce: string;
  readonly binding: string;
  readonly returnTo: string;
  readonly expires: number;
}

const PENDING_LIFETIME_MS = 10 * 60 * 1000; // 10 minutes to finish signing in at the provider
const MAX_PENDING = 10_000;

/** Reads OIDC settings from `PASSAGE_OIDC_*` variables; undefined when no issuer is set. */
export function oidcOptionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): OidcOptions | undefined {
  if (!env.PASSAGE_OIDC_ISSUER) return undefined;
  return {
    issuer: env.PASSAGE_OIDC_ISSUER,
    clientId: env.PASSAGE_OIDC_CLIENT_ID ?? "",
    clientSecret: env.PASSAGE_OIDC_CLIENT_SECRET || undefined,
    redirectUri: env.PASSAGE_OIDC_REDIRECT_URI ?? "",
    ...(env.PASSAGE_OIDC_SCOPES ? { scopes: env.PASSAGE_OIDC_SCOPES } : {}),
    ...(env.PASSAGE_OIDC_USERNAME_CLAIM ? { usernameClaim: env.PASSAGE_OIDC_USERNAME_CLAIM } : {}),
    ...(env.PASSAGE_OIDC_ROLES_CLAIM ? { rolesClaim: env.PASSAGE_OIDC_ROLES_CLAIM } : {}),
    ...(env.PASSAGE_OIDC_OFFICE_CLAIM ? { officeClaim: env.PASSAGE_OIDC_OFFICE_CLAIM } : {}),
    roleMapping: JSON.parse(env.PASSAGE_OIDC_ROLE_MAPPING ?? "{}"),
    allowInsecure: env.PASSAGE_OIDC_ALLOW_INSECURE === "1",
  };
}

/**
 * OpenID Connect sign-in for real deployments (issue 6) with `openid-client`. Pending sign-ins are
 * held in memory, bound to the browser by a random cookie (no login CSRF); the provider's claims
 * are mapped to a local user (created or updated, without a password) whose roles come only from
 * the configured mapping.
 */
export async function createOidcLogin(options: OidcOptions, accounts: AccountService): Promise<OidcLogin> {
  const settings = OidcOptionsSchema.parse(options);
  const configuration = await client.discovery(
    new URL(settings.issuer),
    settings.clientId,
    settings.clientSecret,
    undefined,
    settings.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  const pending = new Map<string, PendingSignIn>();

  const sweep = () => {
    const now = Date.now();
    for (const [state, entry] of pending) if (entry.expires < now) pending.delete(state);
  };

  return {
    async begin(returnTo) {
      sweep();
      if (pending.size >= MAX_PENDING) throw ServerErrors.oidcFailed.create("too many sign-ins in progress");
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const binding = randomBytes(24).toString("base64url");
      pending.set(state, {
        verifier,
        nonce,
        binding,
        returnTo: safeReturnPath(returnTo),
        expires: Date.now() + PENDING_LIFETIME_MS,
      });
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        response_type: "code",
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      return { url: url.href, binding };
    },

    async complete(callbackUrl, binding) {
      const state = callbackUrl.searchParams.get("state") ?? "";
      const entry = pending.get(state);
      pending.delete(state);
      if (!entry || entry.expires < Date.now())
        throw ServerErrors.oidcFailed.create("unknown or expired sign-in");
      if (binding !== entry.binding)
        throw ServerErrors.oidcFailed.create("the sign-in was started in another browser");
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(
          configuration,
          callbackUrl,
          {
            pkceCodeVerifier: entry.verifier,
            expectedState: state,
            expectedNonce: entry.nonce,
            idTokenExpected: true,
          },
          // The redirect URI as the provider knows it, whatever host name the callback arrived on.
          { redirect_uri: settings.redirectUri },
        );
        claims = { ...(tokens.claims() ?? {}) };
      } catch (error) {
        throw ServerErrors.oidcFailed.create(error instanceof Error ? error.message : String(error));
      }
      const actor = await localUserOf(settings, claims, accounts);
      return { actor, returnTo: entry.returnTo };
    },
  };
}

/** Maps the claims to a local user, creating or updating it; refuses a user the mapping gives no role. */
async function localUserOf(
  settings: z.infer<typeof OidcOptionsSchema>,
  claims: Record<string, unknown>,
  accounts: AccountService,
): Promise<Actor> {
  const rawName = claims[settings.usernameClaim];
  const username = typeof rawName === "string" ? rawName.trim().toLowerCase() : "";
  if (!/^[a-z][a-z0-9._-]{1,62}$/.test(username)) {
    throw ServerErrors.oidcFailed.create(`the ${settings.usernameClaim} claim is not a usable username`);
  }
  const granted = claims[settings.rolesClaim];
  const providerRoles = Array.isArray(granted)
    ? granted.filter((role): role is string => typeof role === "string")
    : typeof granted === "string"
      ? granted.split(/\s+/).filter(Boolean)
      : [];
  const roles = [...new Set(providerRoles.flatMap((role) => settings.roleMapping[role] ?? []))] as Role[];
  if (roles.length === 0) throw ServerErrors.oidcNoRole.create(username);
  const displayName =
    typeof claims[settings.displayNameClaim] === "string"
      ? String(claims[settings.displayNameClaim])
      : username;
  const office =
    settings.officeClaim && typeof claims[settings.officeClaim] === "string"
      ? String(claims[settings.officeClaim])
      : "";
  const input = {
    username,
    displayName: displayName.slice(0, 200) || username,
    roles,
    office,
    attributes: { oidc: settings.issuer },
  };
  try {
    const existing = await accounts.getUserOrThrow(username);
    const changed =
      existing.displayName !== input.displayName ||
      existing.office !== office ||
      existing.roles.join(",") !== roles.join(",");
    if (changed)
      await accounts.updateUser({
        ...input,
        confidentialityNeeds: existing.confidentialityNeeds,
        country: existing.country,
      });
  } catch (error) {
    if (!isPassageError(error) || error.code !== "PASSAGE_ERR_AUTH_USER_NOT_FOUND") throw error;
    await accounts.createUser(input);
  }
  return accounts.actorOf(username);
}

/** Only a path on this site (never another origin) is a place to return to after signing in. */
function safeReturnPath(returnTo: string): string {
  return /^\/(?!\/)[^\s\\]*$/.test(returnTo) ? returnTo : "/";
}
