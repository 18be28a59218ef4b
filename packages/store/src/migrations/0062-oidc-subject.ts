import { type Kysely, sql } from "kysely";

/**
 * An account signed in through OpenID Connect is bound to its provider's subject (issuer + `sub`,
 * OIDC Core §5.7: `preferred_username` is not unique). The binding lives in the account's
 * attributes (`oidc`, `oidcSubject`); this index finds it and lets no two accounts hold the same one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE UNIQUE INDEX user_account_oidc_subject
      ON user_account ((attributes->>'oidc'), (attributes->>'oidcSubject'))
      WHERE attributes ? 'oidcSubject'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX user_account_oidc_subject`.execute(db);
}
