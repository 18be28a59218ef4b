import { hash } from "node:crypto";
import type { Access, Action, Actor } from "@passage/access";
import { ACTIONS, actorLabel } from "@passage/access";
import type { FastifyRequest } from "fastify";
import type { Authenticator } from "../plugins/authentication.ts";

/** The session cookie's name (the OpenAPI document's `session` security scheme). */
export const SESSION_COOKIE = "passage_session";

/** A request id (a UUID, see create-server.ts) as the accounts' audit entries type it. */
export type RequestId = `${string}-${string}-${string}-${string}-${string}`;

/** How the caller proved who they are. */
export type CredentialKind = "session" | "token";

/** How long a checked session or token is trusted before it is checked again. */
export const CREDENTIAL_CACHE_MS = 5_000;
/**
 * A credential used in the last this-many milliseconds of its trust is checked again in the
 * background, so a caller in steady use never waits for the check (two commits and an audit entry).
 */
export const CREDENTIAL_REFRESH_AHEAD_MS = 1_500;
const CREDENTIAL_CACHE_SIZE = 10_000;
/**
 * How long a credential found valid stays recognised: an address past its failed authentications
 * still has it checked (not refused unseen), so a flood from a shared address locks no signed-in
 * user out. A day covers a session's 8 hours and a working day's use of a token.
 */
export const RECOGNISED_CREDENTIAL_MS = 24 * 60 * 60 * 1000;
const RECOGNISED_CREDENTIALS_SIZE = 10_000;

export interface PassageAuthenticatorOptions {
  /** The clock, in milliseconds (tests). */
  readonly now?: () => number;
}

/** The authenticator, and a way to forget checked credentials at once (sign-out, token revocation). */
export interface PassageAuthenticator extends Authenticator<Actor> {
  /** Forgets one secret, or every one (a revocation whose secret is unknown here). */
  forget(secret?: string): void;
  /** Recognises a secret just issued (a session at sign-in) as valid before its first use. */
  recognise(secret: string): void;
}

interface CheckedCredential {
  readonly actor: Actor;
  /** Trusted until then (the check's time plus CREDENTIAL_CACHE_MS). */
  readonly until: number;
  /** Set once a background check of this credential has started. */
  refreshing: boolean;
}

/**
 * Resolves `Authorization: Bearer pat_...` (API tokens) or the `passage_session` cookie to the
 * user behind it, through the access layer's accounts (tokens and sessions are stored only as
 * hashes; token use is audited there). Anything unknown, revoked, expired or disabled is anonymous.
 *
 * A checked credential is trusted for CREDENTIAL_CACHE_MS (keyed by its SHA-256, never the secret):
 * checking writes to the database (idle expiry, token use and its audit entry), which would
 * otherwise double the cost of every read. Sign-out and revocation through this server take effect
 * at once; a user disabled from elsewhere (`passage users`) is refused within that delay. A
 * credential used in the last CREDENTIAL_REFRESH_AHEAD_MS of its trust is checked again in the
 * background while the request goes on under the trust it still has; the new check's answer then
 * starts the next CREDENTIAL_CACHE_MS, so no answer is trusted longer than that after it was given.
 */
export function createPassageAuthenticator(
  access: Access,
  options: PassageAuthenticatorOptions = {},
): PassageAuthenticator {
  const now = options.now ?? Date.now;
  const checked = new Map<string, CheckedCredential>();
  // Moved by every `forget`: a check that started before it must not cache its answer.
  let generation = 0;
  const keyOf = (secret: string) => hash("sha256", secret, "base64");
  // Keys of credentials found valid, with when, oldest first (a Map keeps insertion order). Being
  // recognised only lets a credential be checked when its address is past its failed
  // authentications; it is checked all the same, so nothing here needs forgetting on revocation.
  const recognised = new Map<string, number>();
  const recogniseKey = (key: string) => {
    recognised.delete(key);
    if (recognised.size >= RECOGNISED_CREDENTIALS_SIZE) {
      const oldest = recognised.keys().next();
      if (!oldest.done) recognised.delete(oldest.value);
    }
    recognised.set(key, now());
  };
  const secretOf = (request: FastifyRequest): string | undefined => {
    const header = request.headers.authorization;
    if (typeof header === "string" && /^Bearer\s+/i.test(header))
      return header.replace(/^Bearer\s+/i, "").trim();
    const cookie = request.cookies?.[SESSION_COOKIE];
    return typeof cookie === "string" && cookie !== "" ? cookie : undefined;
  };
  const remember = (key: string, actor: Actor, checkedAt: number) => {
    if (checked.size >= CREDENTIAL_CACHE_SIZE) checked.clear();
    checked.set(key, { actor, until: checkedAt + CREDENTIAL_CACHE_MS, refreshing: false });
  };
  const refreshInBackground = (key: string, hit: CheckedCredential, check: () => Promise<Actor>) => {
    hit.refreshing = true;
    const checkedAt = now();
    check().then(
      (actor) => {
        recogniseKey(key);
        // Forgotten meanwhile (sign-out, revocation): the answer must not bring it back.
        if (checked.get(key) === hit) remember(key, actor, checkedAt);
      },
      () => {
        // Refused now (or the check failed): the next request checks for itself.
        if (checked.get(key) === hit) checked.delete(key);
        recognised.delete(key);
      },
    );
  };
  const cached = async (secret: string, check: () => Promise<Actor>): Promise<Actor> => {
    const key = keyOf(secret);
    const hit = checked.get(key);
    const at = now();
    if (hit && hit.until > at) {
      if (!hit.refreshing && hit.until - at <= CREDENTIAL_REFRESH_AHEAD_MS)
        refreshInBackground(key, hit, check);
      return hit.actor;
    }
    checked.delete(key);
    const checkedAt = now();
    const startedIn = generation;
    const actor = await check().catch((error: unknown) => {
      recognised.delete(key);
      throw error;
    });
    recogniseKey(key);
    if (generation === startedIn) remember(key, actor, checkedAt);
    return actor;
  };
  return {
    async authenticate(request: FastifyRequest) {
      const header = request.headers.authorization;
      if (typeof header === "string" && /^Bearer\s+/i.test(header)) {
        const secret = secretOf(request) ?? "";
        request.credential = secret.startsWith("pss_") ? "session" : "token";
        return cached(secret, () =>
          secret.startsWith("pss_")
            ? access.accounts.validateSession(secret)
            : access.accounts.authenticateToken(secret, request.id as RequestId),
        );
      }
      const cookie = request.cookies?.[SESSION_COOKIE];
      if (typeof cookie !== "string" || cookie === "") return undefined;
      request.credential = "session";
      return cached(cookie, () => access.accounts.validateSession(cookie));
    },
    forget(secret) {
      generation++;
      if (secret === undefined) checked.clear();
      else {
        checked.delete(keyOf(secret));
        recognised.delete(keyOf(secret));
      }
    },
    recognise(secret) {
      recogniseKey(keyOf(secret));
    },
    recognises(request) {
      const secret = secretOf(request);
      if (secret === undefined) return false;
      const key = keyOf(secret);
      const since = recognised.get(key);
      if (since === undefined) return false;
      if (now() - since <= RECOGNISED_CREDENTIAL_MS) return true;
      recognised.delete(key);
      return false;
    },
    mayPerform(actor, action) {
      return mayPerformAction(access, actor, action);
    },
    async recordDenial(request, actor, action) {
      const stated = request.headers["x-passage-purpose"];
      const purpose = (Array.isArray(stated) ? stated[0] : stated)?.trim().slice(0, 200) || "(none stated)";
      const params = Object.values((request.params ?? {}) as Record<string, string>);
      await access.audit.append({
        time: new Date().toISOString(),
        requestId: request.id,
        actor: actorLabel(actor),
        purpose,
        action,
        resourceType: action in ACTIONS ? ACTIONS[action as Action] : "Route",
        resourceId:
          params.length > 0 ? params.join(":").slice(0, 300) : (request.routeOptions.url ?? request.url),
        decision: "deny",
        outcome: "failure",
        errorCode: "PASSAGE_ERR_HTTP_FORBIDDEN",
        reasons: ["role-does-not-permit"],
        details: { method: request.method, route: request.routeOptions.url ?? "" },
      });
    },
  };
}

/**
 * Whether the actor's roles permit `action` on at least one resource: the policies' own list
 * filter for that action (with a stated purpose) is not "nothing". One source of truth — the Cedar
 * policies — for the route guard, `/auth/me` and the guarded calls behind the routes.
 */
export function mayPerformAction(access: Access, actor: Actor, action: string): boolean {
  if (!(action in ACTIONS)) return false;
  return access.authorization.mayPerform(actor, action as Action);
}
