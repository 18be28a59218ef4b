import type { Generated } from "kysely";

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

export interface PersonTables {
  person: PersonTable;
  person_member: PersonMemberTable;
}
