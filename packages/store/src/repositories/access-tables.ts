import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<string, string | undefined, string | undefined>;

export interface UserAccountTable {
  username: string;
  display_name: string;
  roles: string[];
  office: Generated<string>;
  confidentiality_needs: Generated<string[]>;
  country: Generated<string>;
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** argon2id PHC string; null when the user has no local password (OIDC or tokens only). */
  password_hash: string | null;
  disabled_at: string | null;
  created_at: Generated<string>;
  updated_at: Timestamp;
}

export interface ApiTokenTable {
  token_hash: Buffer;
  id: string;
  username: string;
  name: string;
  created_at: Generated<string>;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface UserSessionTable {
  session_hash: Buffer;
  username: string;
  created_at: Generated<string>;
  expires_at: string;
  idle_expires_at: string;
  last_seen_at: Timestamp;
  revoked_at: string | null;
}

export interface AccessTables {
  user_account: UserAccountTable;
  api_token: ApiTokenTable;
  user_session: UserSessionTable;
}
