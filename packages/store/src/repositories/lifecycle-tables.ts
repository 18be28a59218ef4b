import type { ColumnType } from "kysely";

type Json<T> = ColumnType<T, string, string>;

export interface PersonStatusTable {
  person_id: string;
  as_of: string;
  primary_state: string;
  state_detail: string | null;
  overlays: string[];
  blockers: string[];
  gates_holding: string[];
  final_order_executable: boolean;
  actionable: boolean;
  next_change_on: string | null;
  status: Json<unknown>;
  gates: Json<unknown>;
  input_digest: string;
  derived_at: ColumnType<string, string | undefined, string | undefined>;
}

export interface LifecycleTables {
  person_status: PersonStatusTable;
}
