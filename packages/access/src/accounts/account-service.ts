import crypto from "node:crypto";
import type { AccessRepository, TokenRow, UserRow } from "@passage/store";
import { AccessErrors } from "../access-errors.ts";
import type { AuditLog } from "../audit-log/audit-log.ts";
import type { Actor } from "../authorization/actor.ts";
import {
  CONFIDENTIALITY_ELIGIBLE_ROLES,
  CONFIDENTIALITY_FLAGS,
  type ConfidentialityFlag,
  ROLES,
  type Role,
} from "../authorization/vocabulary.ts";
import { hashPassword, passwordNeedsRehash, verifyPassword } from "./password-hashing.ts";

/** What an administrator gives to create or change a user. */
export interface UserInput {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly office: string;
  readonly confidentialityNeeds?: readonly ConfidentialityFlag[];
  readonly country?: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** A user as other layers see it: no hash. */
export interface UserAccount extends Required<Omit<UserInput, "attributes">> {
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly hasPassword: boolean;
  readonly disabled: boolean;
}

export interface SessionOptions {
  /** Absolute lifetime (default 8 hours). */
  readonly lifetimeMs?: number;
  /** Ends after this long without use (default 30 minutes). */
  readonly idleTimeoutMs?: number;
}

/** A new session or token: the secret is returned once and stored only as its SHA-256 hash. */
export interface IssuedSecret {
  readonly token: string;
  readonly expiresAt: string | null;
}

const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1_024;
const SESSION_PREFIX = "pss_";
const TOKEN_PREFIX = "pat_";
const DEFAULT_SESSION_LIFETIME_MS = 8 * 60 * 60 * 1_000; // 8 hours
const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60 * 1_000; // 30 minutes

/**
 * Local accounts, the embedded default (issue 6): users with roles and access attributes,
 * argon2id passwords, API tokens for machines, sign-in sessions. Cookies are the HTTP layer's;
 * this hands it the session secret and checks it. Sign-ins are recorded in the audit log.
 */
export class AccountService {
  readonly #repository: AccessRepository;
  readonly #audit: AuditLog | undefined;
  readonly #now: () => Date;
  // Verifying against this when the user does not exist keeps the answer's timing the same.
  #dummyHash: Promise<string> | undefined;

  constructor(options: { repository: AccessRepository; audit?: AuditLog; now?: () => Date }) {
    this.#repository = options.repository;
    this.#audit = options.audit;
    this.#now = options.now ?? (() => new Date());
  }

  /** Creates a user, optionally with a password. */
  async createUser(input: UserInput, password?: string): Promise<UserAccount> {
    const user = checkUserOrThrow(input);
    const passwordHash = password === undefined ? null : await hashPassword(checkPasswordOrThrow(password));
    if (!(await this.#repository.insertUser({ ...user, passwordHash })))
      throw AccessErrors.userExists.create(user.username);
    return this.getUserOrThrow(user.username);
  }

  /** Replaces a user's profile and access attributes; their sessions end, so new rights apply at once. */
  async updateUser(input: UserInput): Promise<UserAccount> {
    const user = checkUserOrThrow(input);
    if (!(await this.#repository.updateUser(user))) throw AccessErrors.userNotFound.create(user.username);
    await this.#repository.revokeSessionsOf(user.username, this.#now().toISOString());
    return this.getUserOrThrow(user.username);
  }

  async setPassword(username: string, password: string): Promise<void> {
    const hash = await hashPassword(checkPasswordOrThrow(password));
    if (!(await this.#repository.setPasswordHash(username, hash)))
      throw AccessErrors.userNotFound.create(username);
  }

  /** Disables (or re-enables) a user: a disabled user's password, sessions and tokens stop working. */
  async setDisabled(username: string, disabled: boolean): Promise<void> {
    if (!(await this.#repository.setDisabled(username, disabled)))
      throw AccessErrors.userNotFound.create(username);
    if (disabled) await this.#repository.revokeSessionsOf(username, this.#now().toISOString());
  }

  async getUserOrThrow(username: string): Promise<UserAccount> {
    const row = await this.#repository.findUser(username);
    if (!row) throw AccessErrors.userNotFound.create(username);
    return accountOf(row);
  }

  /** The user bound to an OpenID Connect subject (issuer and `sub`), if any. */
  async findUserByOidcSubject(issuer: string, subject: string): Promise<UserAccount | undefined> {
    const row = await this.#repository.findUserByOidcSubject(issuer, subject);
    return row ? accountOf(row) : undefined;
  }

  async listUsers(): Promise<UserAccount[]> {
    return (await this.#repository.listUsers()).map(accountOf);
  }

  /** The actor a user acts as (`--as USER`, or after any sign-in). */
  async actorOf(username: string): Promise<Actor> {
    const row = await this.#repository.findUser(username);
    if (!row) throw AccessErrors.userNotFound.create(username);
    if (row.disabledAt) throw AccessErrors.userDisabled.create(username);
    return actorFromRow(row);
  }

  /** Checks a username and password; throws PASSAGE_ERR_AUTH_INVALID_CREDENTIALS without saying which was wrong. */
  async authenticatePassword(
    username: string,
    password: string,
    requestId = crypto.randomUUID(),
  ): Promise<Actor> {
    const row = typeof username === "string" ? await this.#repository.findUser(username) : undefined;
    const hash = row?.passwordHash ?? (await this.#dummy());
    const matches =
      typeof password === "string" &&
      password.length <= MAX_PASSWORD_LENGTH &&
      (await verifyPassword(hash, password));
    const ok = matches && row !== undefined && row.passwordHash !== null && row.disabledAt === null;
    await this.#record("auth.password", String(username).slice(0, 100) || "(none)", ok, requestId);
    if (!ok || !row) throw AccessErrors.invalidCredentials.create();
    if (passwordNeedsRehash(hash))
      await this.#repository.setPasswordHash(row.username, await hashPassword(password));
    return actorFromRow(row);
  }

  /** Issues an API token for a machine acting as `username`; with a lifetime it expires. */
  async createApiToken(
    username: string,
    name: string,
    lifetimeMs: number,
  ): Promise<IssuedSecret & { id: string; expiresAt: string }>;
  async createApiToken(
    username: string,
    name: string,
    lifetimeMs?: number,
  ): Promise<IssuedSecret & { id: string }>;
  async createApiToken(
    username: string,
    name: string,
    lifetimeMs?: number,
  ): Promise<IssuedSecret & { id: string }> {
    await this.getUserOrThrow(username);
    if (typeof name !== "string" || name.trim().length === 0 || name.length > 100) {
      throw AccessErrors.userInvalid.create("a token needs a name of 1 to 100 characters");
    }
    const token = newSecret(TOKEN_PREFIX);
    const id = crypto.randomUUID();
    const expiresAt =
      lifetimeMs === undefined ? null : new Date(this.#now().getTime() + lifetimeMs).toISOString();
    await this.#repository.insertToken({
      tokenHash: secretHash(token),
      id,
      username,
      name: name.trim(),
      expiresAt,
    });
    return { token, id, expiresAt };
  }

  /** The actor behind an API token; throws PASSAGE_ERR_AUTH_INVALID_CREDENTIALS for an unknown, revoked or expired one. */
  async authenticateToken(token: string, requestId = crypto.randomUUID()): Promise<Actor> {
    const row =
      typeof token === "string" && token.startsWith(TOKEN_PREFIX)
        ? await this.#repository.useToken(secretHash(token), this.#now().toISOString())
        : undefined;
    const user = row ? await this.#repository.findUser(row.username) : undefined;
    const ok = user !== undefined && user.disabledAt === null;
    await this.#record(
      "auth.token",
      row ? `token:${row.id}` : "(unknown token)",
      ok,
      requestId,
      user?.username,
    );
    if (!ok || !user) throw AccessErrors.invalidCredentials.create();
    return actorFromRow(user);
  }

  /** A user's API tokens, revoked and expired ones too (never their secrets). */
  async listApiTokens(username: string): Promise<TokenRow[]> {
    await this.getUserOrThrow(username);
    return this.#repository.listTokens(username);
  }

  async revokeApiToken(id: string): Promise<boolean> {
    return this.#repository.revokeToken(id, this.#now().toISOString());
  }

  /** Starts a session for a user who just signed in. */
  async createSession(
    username: string,
    options: SessionOptions = {},
  ): Promise<IssuedSecret & { expiresAt: string }> {
    const now = this.#now().getTime();
    const token = newSecret(SESSION_PREFIX);
    const expiresAt = new Date(now + (options.lifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS)).toISOString();
    const idleExpiresAt = new Date(
      Math.min(now + (options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS), Date.parse(expiresAt)),
    ).toISOString();
    await this.#repository.insertSession({
      sessionHash: secretHash(token),
      username,
      expiresAt,
      idleExpiresAt,
    });
    return { token, expiresAt };
  }

  /**
   * The actor of a live session, sliding its idle expiry; throws PASSAGE_ERR_AUTH_INVALID_CREDENTIALS
   * for an unknown, revoked, expired or idle one, or a disabled user.
   */
  async validateSession(token: string, options: SessionOptions = {}): Promise<Actor> {
    if (typeof token !== "string" || !token.startsWith(SESSION_PREFIX))
      throw AccessErrors.invalidCredentials.create();
    const now = this.#now();
    const idle = new Date(now.getTime() + (options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS)).toISOString();
    const session = await this.#repository.touchSession(secretHash(token), now.toISOString(), idle);
    const user = session ? await this.#repository.findUser(session.username) : undefined;
    if (!user || user.disabledAt) throw AccessErrors.invalidCredentials.create();
    return actorFromRow(user);
  }

  /** Ends a session (sign-out). */
  async revokeSession(token: string): Promise<boolean> {
    if (typeof token !== "string") return false;
    return this.#repository.revokeSession(secretHash(token), this.#now().toISOString());
  }

  /** Deletes sessions past their expiry; returns how many. */
  async purgeExpiredSessions(): Promise<number> {
    return this.#repository.deleteExpiredSessions(this.#now().toISOString());
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword(crypto.randomBytes(18).toString("base64"));
    return this.#dummyHash;
  }

  async #record(
    action: string,
    subject: string,
    ok: boolean,
    requestId: string,
    username?: string,
  ): Promise<void> {
    await this.#audit?.append({
      time: this.#now().toISOString(),
      requestId,
      actor: ok && username ? `user:${username}` : ok ? `user:${subject}` : "anonymous",
      purpose: "authentication",
      action,
      resourceType: "Account",
      resourceId: subject,
      decision: ok ? "allow" : "deny",
      outcome: ok ? "success" : "failure",
      errorCode: ok ? null : AccessErrors.invalidCredentials.code,
      reasons: [],
      details: {},
    });
  }
}

/** An actor from a stored user. */
export function actorFromRow(row: UserRow): Actor {
  return {
    kind: "user",
    id: row.username,
    roles: row.roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role)),
    office: row.office,
    confidentialityNeeds: row.confidentialityNeeds.filter((flag): flag is ConfidentialityFlag =>
      (CONFIDENTIALITY_FLAGS as readonly string[]).includes(flag),
    ),
    country: row.country,
  };
}

function accountOf(row: UserRow): UserAccount {
  const actor = actorFromRow(row);
  return {
    username: row.username,
    displayName: row.displayName,
    roles: actor.roles,
    office: row.office,
    confidentialityNeeds: actor.confidentialityNeeds,
    country: row.country,
    attributes: row.attributes,
    hasPassword: row.passwordHash !== null,
    disabled: row.disabledAt !== null,
  };
}

function checkUserOrThrow(input: UserInput) {
  const fail = (problem: string): never => {
    throw AccessErrors.userInvalid.create(problem);
  };
  if (typeof input.username !== "string" || !/^[a-z][a-z0-9._-]{1,62}$/.test(input.username)) {
    fail(
      "username must be 2-63 characters: a lowercase letter, then lowercase letters, digits, '.', '_' or '-'",
    );
  }
  if (
    typeof input.displayName !== "string" ||
    input.displayName.trim().length === 0 ||
    input.displayName.length > 200
  ) {
    fail("display name must be 1 to 200 characters");
  }
  if (!Array.isArray(input.roles) || input.roles.length === 0) fail("a user needs at least one role");
  for (const role of input.roles) {
    if (!(ROLES as readonly string[]).includes(role))
      fail(`unknown role "${role}" (roles: ${ROLES.join(", ")})`);
    // The local operator is the command line's system actor, never a person's account.
    if (role === "local_operator") fail("local_operator is the command line's system actor, not a user role");
  }
  if (typeof input.office !== "string" || input.office.length > 64)
    fail("office must be at most 64 characters");
  const needs = input.confidentialityNeeds ?? [];
  for (const need of needs) {
    if (!(CONFIDENTIALITY_FLAGS as readonly string[]).includes(need))
      fail(`unknown confidentiality need "${need}"`);
  }
  if (needs.length > 0 && !input.roles.some((role) => CONFIDENTIALITY_ELIGIBLE_ROLES.includes(role))) {
    fail(`confidentiality needs may be held only by ${CONFIDENTIALITY_ELIGIBLE_ROLES.join(", ")}`);
  }
  const country = input.country ?? "";
  if (country !== "" && !/^[A-Z]{3}$/.test(country)) fail("country must be ISO 3166-1 alpha-3 or empty");
  if (input.roles.includes("consular_officer") && country === "") fail("a consular officer needs a country");
  return {
    username: input.username,
    displayName: input.displayName.trim(),
    roles: [...new Set(input.roles)],
    office: input.office,
    confidentialityNeeds: [...new Set(needs)],
    country,
    attributes: input.attributes ?? {},
  };
}

function checkPasswordOrThrow(password: string): string {
  if (
    typeof password !== "string" ||
    password.length < MIN_PASSWORD_LENGTH ||
    password.length > MAX_PASSWORD_LENGTH
  ) {
    throw AccessErrors.userInvalid.create(
      `a password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  return password;
}

function newSecret(prefix: string): string {
  return `${prefix}${crypto.randomBytes(32).toString("base64url")}`;
}

/** Session and API tokens carry 256 random bits: a plain SHA-256 is enough to store them (no guessing to slow). */
export function secretHash(secret: string): Buffer {
  return crypto.createHash("sha256").update(secret, "utf8").digest();
}
