import { type Kysely, sql } from "kysely";

/**
 * Local accounts (issue 6): users with their roles and access attributes, argon2id password
 * hashes, API tokens for machines and sign-in sessions. Tokens and sessions are stored only as
 * SHA-256 hashes of secrets shown once, so a copy of the database opens no door.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE user_account (
      username text PRIMARY KEY CHECK (username ~ '^[a-z][a-z0-9._-]{1,62}$'),
      display_name text NOT NULL,
      roles text[] NOT NULL,
      office text NOT NULL DEFAULT '',
      confidentiality_needs text[] NOT NULL DEFAULT '{}',
      country text NOT NULL DEFAULT '',
      attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
      password_hash text,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE api_token (
      token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
      id uuid NOT NULL UNIQUE,
      username text NOT NULL REFERENCES user_account (username),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    CREATE INDEX api_token_username ON api_token (username);

    CREATE TABLE user_session (
      session_hash bytea PRIMARY KEY CHECK (octet_length(session_hash) = 32),
      username text NOT NULL REFERENCES user_account (username),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      idle_expires_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );
    CREATE INDEX user_session_username ON user_session (username);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE user_session;
    DROP TABLE api_token;
    DROP TABLE user_account;
  `.execute(db);
}
