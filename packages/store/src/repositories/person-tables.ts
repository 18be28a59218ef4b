import type { ColumnType, Generated } from "kysely";

export interface PersonTable {
  person_id: string;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface PersonMemberTable {
  feed: string;
  key_value: string;
  person_id: string;
  linked_at: Generated<string>;
}

export interface PersonIdentityIssueTable {
  person_id: string;
  kind: "review_band_link" | "conflicting_identifier";
  /** The other entity of the link, or the identifier in conflict (e.g. `a_number`). */
  detail: string;
  match_probability: number | null;
  evidence: ColumnType<{ feed: string; recordKey: string; version: number }[], string, string>;
}

export interface PersonTables {
  person: PersonTable;
  person_member: PersonMemberTable;
  person_identity_issue: PersonIdentityIssueTable;
}
