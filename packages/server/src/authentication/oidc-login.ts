import { randomBytes } from "node:crypto";
import {
  type AccountService,
  type Actor,
  type AuditDetailValue,
  CONFIDENTIALITY_ELIGIBLE_ROLES,
  ROLES,
  type Role,
  type UserAccount,
} from "@passage/access";
import { isPassageError } from "@passage/core";
import * as client from "openid-client";
import { z } from "zod";
import { ServerErrors } from "../server-errors.ts";

/** How Passage signs users in through an OpenID Connect provider, and maps their claims to a local user. */
export const OidcOptionsSchema = z
  .object({
    issuer: z
      .string()
      .url()
      .describe("The provider's issuer URL (discovery at /.well-known/openid-configuration)"),
    /** The provider's name on the sign-in page ("Sign in with ..."); the issuer's host when not given. */
    providerName: z.string().trim().min(1).max(60).optional(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional().describe("Confidential client secret (client_secret_basic)"),
    redirectUri: z
      .string()
      .url()
      .describe("This server's /api/v1/auth/oidc/callback as the provider knows it"),
    scopes: z.string().default("openid profile email"),
    usernameClaim: z.string().default("preferred_username"),
    displayNameClaim: z.string().default("name"),
    /** A claim holding a list (or space-separated string) of the provider's roles or groups. */
    rolesClaim: z.string().default("roles"),
    officeClaim: z.string().optional(),
    /**
     * The provider's role or group -> Passage roles. Claims mapping to none are refused sign-in, so
     * an empty mapping is refused at startup: it would refuse every sign-in and disable every user.
     */
    roleMapping: z
      .record(z.string(), z.array(z.enum(ROLES).exclude(["local_operator"])))
      .refine((mapping) => Object.keys(mapping).length > 0, {
        message: "maps no provider role to a Passage role, so every sign-in would be refused",
      }),
    /** Allow an http:// issuer (a provider on this machine, in tests). */
    allowInsecure: z.boolean().default(false),
  })
  .superRefine((options, context) => {
    if (!options.allowInsecure && options.issuer.startsWith("http://"))
      context.addIssue({
        code: "custom",
        path: ["issuer"],
        message: `${options.issuer} is not HTTPS; set PASSAGE_OIDC_ALLOW_INSECURE=1 to allow an http:// provider (one on this machine, in tests)`,
      });
  });
export type OidcOptions = z.input<typeof OidcOptionsSchema>;

/** A change the sign-in made to a local account, for the audit log (`user.write`). */
export interface OidcAccountChange {
  readonly username: string;
  readonly change: "created" | "updated" | "disabled";
  readonly details: Readonly<Record<string, AuditDetailValue>>;
}

/** The sign-in flow: authorization code with PKCE (RFC 7636), state and nonce. */
export interface OidcLogin {
  /** The provider's name, for "Sign in with ..." on the sign-in page. */
  readonly providerName: string;
  /**
   * Starts a sign-in from an address: where to send the browser, and the binding cookie's value.
   * Throws PASSAGE_ERR_AUTH_OIDC_BUSY when the address (or the server) has too many in progress.
   */
  begin(returnTo: string, address: string): Promise<{ url: string; binding: string }>;
  /**
   * Completes it from the callback URL and the binding cookie; returns the local actor. Every
   * change made to a local account is passed to `recordChange` as it is made (even when the
   * sign-in is then refused, as a provider that granted no role disables the account).
   */
  complete(
    callbackUrl: URL,
    binding: string | undefined,
    recordChange: (change: OidcAccountChange) => Promise<void>,
  ): Promise<{ actor: Actor; returnTo: string }>;
}

interface PendingSignIn {
  readonly verifier: string;
  readonly nonce: string;
  readonly binding: string;
  readonly returnTo: string;
  readonly address: string;
  readonly expires: number;
}

const PENDING_LIFETIME_MS = 10 * 60 * 1000; // 10 minutes to finish signing in at the provider
const MAX_PENDING = 10_000;
/** Sign-ins in progress from one address: a few people behind one NAT, not a flood. */
export const MAX_PENDING_PER_ADDRESS = 20;

/** The marker of an account disabled because the provider granted it no role (not by an administrator). */
const NO_ROLE_MARKER = "oidcNoRole";

/** The environment variable behind each setting, to name it in configuration errors. */
const VARIABLES: Readonly<Record<string, string>> = {
  issuer: "PASSAGE_OIDC_ISSUER",
  providerName: "PASSAGE_OIDC_PROVIDER_NAME",
  clientId: "PASSAGE_OIDC_CLIENT_ID",
  clientSecret: "PASSAGE_OIDC_CLIENT_SECRET",
  redirectUri: "PASSAGE_OIDC_REDIRECT_URI",
  scopes: "PASSAGE_OIDC_SCOPES",
  usernameClaim: "PASSAGE_OIDC_USERNAME_CLAIM",
  rolesClaim: "PASSAGE_OIDC_ROLES_CLAIM",
  officeClaim: "PASSAGE_OIDC_OFFICE_CLAIM",
  roleMapping: "PASSAGE_OIDC_ROLE_MAPPING",
  allowInsecure: "PASSAGE_OIDC_ALLOW_INSECURE",
};

/**
 * Reads OIDC settings from `PASSAGE_OIDC_*` variables; undefined when no issuer is set. Throws
 * PASSAGE_ERR_CONFIG_OIDC_INVALID naming the variable when PASSAGE_OIDC_ROLE_MAPPING is not JSON.
 */
export function oidcOptionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): OidcOptions | undefined {
  if (!env.PASSAGE_OIDC_ISSUER) return undefined;
  let roleMapping: unknown;
  try {
    // Unset stays undefined, so the check names it as not set (a deployment without a mapping cannot sign anyone in).
    roleMapping = env.PASSAGE_OIDC_ROLE_MAPPING ? JSON.parse(env.PASSAGE_OIDC_ROLE_MAPPING) : undefined;
  } catch (error) {
    throw ServerErrors.oidcConfigInvalid.create(
      `PASSAGE_OIDC_ROLE_MAPPING is not JSON (${error instanceof Error ? error.message : String(error)}); expected an object such as {"ero-officers":["removal_officer"]}`,
    );
  }
  return {
    issuer: env.PASSAGE_OIDC_ISSUER,
    ...(env.PASSAGE_OIDC_PROVIDER_NAME ? { providerName: env.PASSAGE_OIDC_PROVIDER_NAME } : {}),
    clientId: env.PASSAGE_OIDC_CLIENT_ID ?? "",
    clientSecret: env.PASSAGE_OIDC_CLIENT_SECRET || undefined,
    redirectUri: env.PASSAGE_OIDC_REDIRECT_URI ?? "",
    ...(env.PASSAGE_OIDC_SCOPES ? { scopes: env.PASSAGE_OIDC_SCOPES } : {}),
    ...(env.PASSAGE_OIDC_USERNAME_CLAIM ? { usernameClaim: env.PASSAGE_OIDC_USERNAME_CLAIM } : {}),
    ...(env.PASSAGE_OIDC_ROLES_CLAIM ? { rolesClaim: env.PASSAGE_OIDC_ROLES_CLAIM } : {}),
    ...(env.PASSAGE_OIDC_OFFICE_CLAIM ? { officeClaim: env.PASSAGE_OIDC_OFFICE_CLAIM } : {}),
    roleMapping: roleMapping as OidcOptions["roleMapping"],
    allowInsecure: env.PASSAGE_OIDC_ALLOW_INSECURE === "1",
  };
}

/** Checks the settings; throws PASSAGE_ERR_CONFIG_OIDC_INVALID naming each variable at fault. */
export function parseOidcOptions(options: OidcOptions): z.infer<typeof OidcOptionsSchema> {
  const parsed = OidcOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const [setting, ...rest] = issue.path.map(String);
    const variable = VARIABLES[setting ?? ""] ?? setting ?? "(settings)";
    const value = issue.path.reduce<unknown>(
      (at, key) =>
        at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[key] : undefined,
      options,
    );
    if (value === undefined || value === "") return `${variable} is not set`;
    const where = setting === "roleMapping" && rest.length > 0 ? ` (provider role "${rest[0]}")` : "";
    const message =
      setting === "roleMapping" && issue.code === "invalid_value"
        ? `${JSON.stringify(value)} is not a Passage role (roles: ${ROLES.filter((role) => role !== "local_operator").join(", ")})`
        : setting === "roleMapping"
          ? `${issue.message}; expected a JSON object of provider role to a list of Passage roles, such as {"ero-officers":["removal_officer"]}`
          : issue.message;
    return `${variable}${where}: ${message}`;
  });
  throw ServerErrors.oidcConfigInvalid.create(problems.join("; "));
}

/**
 * OpenID Connect sign-in for real deployments (issue 6) with `openid-client`. Pending sign-ins are
 * held in memory, bound to the browser by a random cookie (no login CSRF), at most
 * MAX_PENDING_PER_ADDRESS per address. A local user is bound to the provider's subject (issuer and
 * `sub`) when the sign-in creates it; its roles (and office, display name) follow the provider's
 * claims through the configured mapping; it never takes over an account it did not create.
 */
export async function createOidcLogin(options: OidcOptions, accounts: AccountService): Promise<OidcLogin> {
  const settings = parseOidcOptions(options);
  let configuration: client.Configuration;
  try {
    configuration = await client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      settings.clientSecret,
      undefined,
      settings.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined,
    );
  } catch (error) {
    throw ServerErrors.oidcProviderUnreachable.create(settings.issuer, describeFailure(error));
  }
  const pending = new Map<string, PendingSignIn>();
  const perAddress = new Map<string, number>();

  const remove = (state: string) => {
    const entry = pending.get(state);
    if (!entry) return undefined;
    pending.delete(state);
    const count = (perAddress.get(entry.address) ?? 1) - 1;
    if (count > 0) perAddress.set(entry.address, count);
    else perAddress.delete(entry.address);
    return entry;
  };
  const sweep = () => {
    const now = Date.now();
    for (const [state, entry] of pending) if (entry.expires < now) remove(state);
  };

  return {
    providerName: settings.providerName ?? new URL(settings.issuer).host,

    async begin(returnTo, address) {
      sweep();
      if ((perAddress.get(address) ?? 0) >= MAX_PENDING_PER_ADDRESS)
        throw ServerErrors.oidcBusy.create(
          `${MAX_PENDING_PER_ADDRESS} sign-ins are already in progress from this address; finish one or try again in ${PENDING_LIFETIME_MS / 60_000} minutes`,
        );
      if (pending.size >= MAX_PENDING)
        throw ServerErrors.oidcBusy.create("too many sign-ins are in progress; try again in a few minutes");
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const binding = randomBytes(24).toString("base64url");
      pending.set(state, {
        verifier,
        nonce,
        binding,
        returnTo: safeReturnPath(returnTo),
        address,
        expires: Date.now() + PENDING_LIFETIME_MS,
      });
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
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

    async complete(callbackUrl, binding, recordChange) {
      const state = callbackUrl.searchParams.get("state") ?? "";
      const entry = remove(state);
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
        // A provider following OIDC Core §5.4 puts profile claims (and custom ones such as roles)
        // in the UserInfo response, not the ID token, when an access token is issued: ask for them.
        const wanted = [settings.usernameClaim, settings.rolesClaim, settings.officeClaim].filter(
          (claim): claim is string => claim !== undefined,
        );
        if (wanted.some((claim) => claims[claim] === undefined) && typeof claims.sub === "string") {
          const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
          claims = { ...userInfo, ...claims };
        }
      } catch (error) {
        throw ServerErrors.oidcFailed.create(describeFailure(error));
      }
      const actor = await localUserOf(settings, claims, accounts, recordChange);
      return { actor, returnTo: entry.returnTo };
    },
  };
}

/**
 * Maps the claims to the local user bound to the provider's subject: creates (and binds) it when
 * there is none, updates its roles, office and display name from the claims, and disables it when
 * the mapping grants no role (its sessions and tokens stop working). A username already held by
 * an account not bound to this subject (a local password account, another subject's) is refused.
 * Confidentiality needs and country are set only locally, never from the provider.
 */
async function localUserOf(
  settings: z.infer<typeof OidcOptionsSchema>,
  claims: Record<string, unknown>,
  accounts: AccountService,
  recordChange: (change: OidcAccountChange) => Promise<void>,
): Promise<Actor> {
  const subject = typeof claims.sub === "string" ? claims.sub : "";
  if (subject === "") throw ServerErrors.oidcFailed.create("the provider gave no subject (sub claim)");
  const granted = claims[settings.rolesClaim];
  const providerRoles = Array.isArray(granted)
    ? granted.filter((role): role is string => typeof role === "string")
    : typeof granted === "string"
      ? granted.split(/\s+/).filter(Boolean)
      : [];
  const roles = [...new Set(providerRoles.flatMap((role) => settings.roleMapping[role] ?? []))] as Role[];
  const office =
    settings.officeClaim && typeof claims[settings.officeClaim] === "string"
      ? String(claims[settings.officeClaim]).slice(0, 64)
      : "";
  const claimedName = claims[settings.displayNameClaim];

  const bound = await accounts.findUserByOidcSubject(settings.issuer, subject);
  if (bound) return updateBoundUser(bound, roles, office, claimedName, accounts, recordChange);

  const rawName = claims[settings.usernameClaim];
  const username = typeof rawName === "string" ? rawName.trim().toLowerCase() : "";
  if (!/^[a-z][a-z0-9._-]{1,62}$/.test(username)) {
    throw ServerErrors.oidcFailed.create(`the ${settings.usernameClaim} claim is not a usable username`);
  }
  if (roles.length === 0) throw ServerErrors.oidcNoRole.create(username);
  const existing = await accounts.getUserOrThrow(username).catch((error: unknown) => {
    if (isPassageError(error) && error.code === "PASSAGE_ERR_AUTH_USER_NOT_FOUND") return undefined;
    throw error;
  });
  if (existing) throw ServerErrors.oidcAccountConflict.create(username, conflictOf(existing));
  try {
    await accounts.createUser({
      username,
      displayName: displayNameOf(claimedName, username),
      roles,
      office,
      attributes: { oidc: settings.issuer, oidcSubject: subject },
    });
  } catch (error) {
    // Taken meanwhile (another sign-in, an administrator): never taken over.
    if (isPassageError(error) && error.code === "PASSAGE_ERR_AUTH_USER_EXISTS")
      throw ServerErrors.oidcAccountConflict.create(username, "a local account has this username");
    throw error;
  }
  await recordChange({ username, change: "created", details: { source: "oidc", roles, office } });
  return accounts.actorOf(username);
}

async function updateBoundUser(
  bound: UserAccount,
  roles: Role[],
  office: string,
  claimedName: unknown,
  accounts: AccountService,
  recordChange: (change: OidcAccountChange) => Promise<void>,
): Promise<Actor> {
  const { username } = bound;
  const disabledForNoRole = bound.disabled && bound.attributes[NO_ROLE_MARKER] === true;
  // Disabled by an administrator: the provider cannot enable it again.
  if (bound.disabled && !disabledForNoRole) throw ServerErrors.oidcAccountDisabled.create(username);
  if (roles.length === 0) {
    if (!bound.disabled) {
      // The provider revoked every role: the account is disabled (its sessions end and its tokens
      // stop working) until the provider grants a role again.
      await accounts.updateUser({ ...bound, attributes: { ...bound.attributes, [NO_ROLE_MARKER]: true } });
      await accounts.setDisabled(username, true);
      await recordChange({
        username,
        change: "disabled",
        details: { source: "oidc", reason: "no-role", previousRoles: [...bound.roles] },
      });
    }
    throw ServerErrors.oidcNoRole.create(username);
  }
  const displayName = displayNameOf(claimedName, bound.displayName);
  const changed =
    disabledForNoRole ||
    bound.displayName !== displayName ||
    bound.office !== office ||
    [...bound.roles].sort().join(",") !== [...roles].sort().join(",");
  if (changed) {
    const { [NO_ROLE_MARKER]: _marker, ...attributes } = bound.attributes;
    // Needs set here stay while the roles may hold them; a role that may not drops them.
    const needs = roles.some((role) => CONFIDENTIALITY_ELIGIBLE_ROLES.includes(role))
      ? bound.confidentialityNeeds
      : [];
    await accounts.updateUser({
      ...bound,
      displayName,
      roles,
      office,
      confidentialityNeeds: needs,
      attributes,
    });
    if (disabledForNoRole) await accounts.setDisabled(username, false);
    await recordChange({
      username,
      change: "updated",
      details: {
        source: "oidc",
        roles,
        previousRoles: [...bound.roles],
        office,
        previousOffice: bound.office,
        enabled: disabledForNoRole,
      },
    });
  }
  return accounts.actorOf(username);
}

function conflictOf(existing: UserAccount): string {
  if (existing.hasPassword) return "a local password account has this username";
  if (typeof existing.attributes.oidcSubject === "string")
    return "an account bound to another provider identity has this username";
  return "a local account not created by this provider has this username";
}

function displayNameOf(claimed: unknown, fallback: string): string {
  const name = typeof claimed === "string" ? claimed.trim().slice(0, 200) : "";
  return name || fallback;
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  // openid-client refuses http:// endpoints unless told otherwise: name the setting that does.
  const insecure = /only requests to HTTPS are allowed/.test(error.message)
    ? "; set PASSAGE_OIDC_ALLOW_INSECURE=1 to allow an http:// provider (one on this machine, in tests)"
    : "";
  return `${error.message}${cause}${insecure}`;
}

/**
 * Only a path on this site (never another origin) is a place to return to after signing in. A
 * control character, white space or backslash makes it "/"; other characters beyond ASCII are
 * percent-encoded (a Location header carries ASCII only).
 */
export function safeReturnPath(returnTo: string): string {
  if (!/^\/(?!\/)/.test(returnTo) || /[\p{Cc}\p{Zs}\p{Zl}\p{Zp}\s\\]/u.test(returnTo)) return "/";
  try {
    return returnTo.replace(/[^\x21-\x7e]+/gu, (run) => encodeURIComponent(run));
  } catch {
    return "/"; // a lone surrogate: not text
  }
}
