import { type Kysely, sql } from "kysely";
import type { Database } from "../database-schema.ts";

/**
 * Local accounts' SQL (issue 6): users, API tokens and sessions. Secrets never reach this module;
 * it stores argon2id hashes of passwords and SHA-256 hashes of tokens, and compares hashes.
 */

export interface UserRow {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly office: string;
  readonly confidentialityNeeds: readonly string[];
  readonly country: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly passwordHash: string | null;
  readonly disabledAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly office: string;
  readonly confidentialityNeeds: readonly string[];
  readonly country: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly passwordHash: string | null;
}

export interface TokenRow {
  readonly id: string;
  readonly username: string;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

export interface SessionRow {
  readonly username: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly idleExpiresAt: string;
  readonly lastSeenAt: string;
  readonly revokedAt: string | null;
}

export interface AccessRepository {
  /** Inserts a user; false when the username is taken. */
  insertUser(user: NewUser): Promise<boolean>;
  /** Replaces a user's profile and access attributes (not the password); false when there is no such user. */
  updateUser(user: Omit<NewUser, "passwordHash">): Promise<boolean>;
  setPasswordHash(username: string, passwordHash: string | null): Promise<boolean>;
  setDisabled(username: string, disabled: boolean): Promise<boolean>;
  findUser(username: string): Promise<UserRow | undefined>;
  /** The user bound to an OpenID Connect subject (attributes `oidc` = issuer, `oidcSubject` = sub). */
  findUserByOidcSubject(issuer: string, subject: string): Promise<UserRow | undefined>;
  listUsers(): Promise<UserRow[]>;
  insertToken(token: {
    tokenHash: Buffer;
    id: string;
    username: string;
    name: string;
    expiresAt: string | null;
  }): Promise<void>;
  /** A live token (not revoked, not expired) and its user, marking it used. */
  useToken(tokenHash: Buffer, now: string): Promise<TokenRow | undefined>;
  listTokens(username: string): Promise<TokenRow[]>;
  revokeToken(id: string, now: string): Promise<boolean>;
  insertSession(session: {
    sessionHash: Buffer;
    username: string;
    expiresAt: string;
    idleExpiresAt: string;
  }): Promise<void>;
  /** A live session, its idle expiry moved to `idleExpiresAt`; undefined when revoked or expired. */
  touchSession(sessionHash: Buffer, now: string, idleExpiresAt: string): Promise<SessionRow | undefined>;
  revokeSession(sessionHash: Buffer, now: string): Promise<boolean>;
  revokeSessionsOf(username: string, now: string): Promise<number>;
  deleteExpiredSessions(now: string): Promise<number>;
}

interface UserRecord {
  username: string;
  display_name: string;
  roles: string[];
  office: string;
  confidentiality_needs: string[];
  country: string;
  attributes: Record<string, unknown>;
  password_hash: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The accounts repository over a Kysely handle. */
export function createAccessRepository(db: Kysely<Database>): AccessRepository {
  return {
    async insertUser(user) {
      const result = await db
        .insertInto("user_account")
        .values({
          username: user.username,
          display_name: user.displayName,
          roles: [...user.roles],
          office: user.office,
          confidentiality_needs: [...user.confidentialityNeeds],
          country: user.country,
          attributes: JSON.stringify(user.attributes ?? {}),
          password_hash: user.passwordHash,
          disabled_at: null,
        })
        .onConflict((conflict) => conflict.column("username").doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async updateUser(user) {
      const result = await db
        .updateTable("user_account")
        .set({
          display_name: user.displayName,
          roles: [...user.roles],
          office: user.office,
          confidentiality_needs: [...user.confidentialityNeeds],
          country: user.country,
          attributes: JSON.stringify(user.attributes ?? {}),
          updated_at: sql<string>`now()`,
        })
        .where("username", "=", user.username)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async setPasswordHash(username, passwordHash) {
      const result = await db
        .updateTable("user_account")
        .set({ password_hash: passwordHash, updated_at: sql<string>`now()` })
        .where("username", "=", username)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async setDisabled(username, disabled) {
      const result = await db
        .updateTable("user_account")
        .set({ disabled_at: disabled ? sql<string>`now()` : null, updated_at: sql<string>`now()` })
        .where("username", "=", username)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async findUser(username) {
      const row = await db
        .selectFrom("user_account")
        .selectAll()
        .where("username", "=", username)
        .executeTakeFirst();
      return row ? userOf(row as UserRecord) : undefined;
    },

    async findUserByOidcSubject(issuer, subject) {
      const row = await db
        .selectFrom("user_account")
        .selectAll()
        .where(sql<boolean>`attributes ? 'oidcSubject'`)
        .where(sql<string>`attributes->>'oidc'`, "=", issuer)
        .where(sql<string>`attributes->>'oidcSubject'`, "=", subject)
        .executeTakeFirst();
      return row ? userOf(row as UserRecord) : undefined;
    },

    async listUsers() {
      const rows = await db.selectFrom("user_account").selectAll().orderBy("username").execute();
      return rows.map((row) => userOf(row as UserRecord));
    },

    async insertToken(token) {
      await db
        .insertInto("api_token")
        .values({
          token_hash: token.tokenHash,
          id: token.id,
          username: token.username,
          name: token.name,
          expires_at: token.expiresAt,
          revoked_at: null,
          last_used_at: null,
        })
        .execute();
    },

    async useToken(tokenHash, now) {
      const row = await db
        .updateTable("api_token")
        .set({ last_used_at: now })
        .where("token_hash", "=", tokenHash)
        .where("revoked_at", "is", null)
        .where((where) => where.or([where("expires_at", "is", null), where("expires_at", ">", now)]))
        .returningAll()
        .executeTakeFirst();
      return row ? tokenOf(row) : undefined;
    },

    async listTokens(username) {
      const rows = await db
        .selectFrom("api_token")
        .selectAll()
        .where("username", "=", username)
        .orderBy("created_at")
        .execute();
      return rows.map(tokenOf);
    },

    async revokeToken(id, now) {
      const result = await db
        .updateTable("api_token")
        .set({ revoked_at: now })
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async insertSession(session) {
      await db
        .insertInto("user_session")
        .values({
          session_hash: session.sessionHash,
          username: session.username,
          expires_at: session.expiresAt,
          idle_expires_at: session.idleExpiresAt,
          revoked_at: null,
        })
        .execute();
    },

    async touchSession(sessionHash, now, idleExpiresAt) {
      const row = await db
        .updateTable("user_session")
        .set({
          last_seen_at: now,
          idle_expires_at: sql<string>`least(${idleExpiresAt}::timestamptz, expires_at)`,
        })
        .where("session_hash", "=", sessionHash)
        .where("revoked_at", "is", null)
        .where("expires_at", ">", now)
        .where("idle_expires_at", ">", now)
        .returningAll()
        .executeTakeFirst();
      return row
        ? {
            username: row.username,
            createdAt: row.created_at,
            expiresAt: row.expires_at,
            idleExpiresAt: row.idle_expires_at,
            lastSeenAt: row.last_seen_at,
            revokedAt: row.revoked_at,
          }
        : undefined;
    },

    async revokeSession(sessionHash, now) {
      const result = await db
        .updateTable("user_session")
        .set({ revoked_at: now })
        .where("session_hash", "=", sessionHash)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async revokeSessionsOf(username, now) {
      const result = await db
        .updateTable("user_session")
        .set({ revoked_at: now })
        .where("username", "=", username)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async deleteExpiredSessions(now) {
      const result = await db
        .deleteFrom("user_session")
        .where((where) => where.or([where("expires_at", "<=", now), where("idle_expires_at", "<=", now)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function userOf(row: UserRecord): UserRow {
  return {
    username: row.username,
    displayName: row.display_name,
    roles: row.roles,
    office: row.office,
    confidentialityNeeds: row.confidentiality_needs,
    country: row.country,
    attributes: row.attributes,
    passwordHash: row.password_hash,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function tokenOf(row: {
  id: string;
  username: string;
  name: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}): TokenRow {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
