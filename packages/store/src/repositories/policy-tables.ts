import type { ColumnType, Generated } from "kysely";

type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<string, string | undefined, string | undefined>;

export interface PolicyVersionTable {
  policy_id: string;
  version: string;
  digest: string;
  file_name: string;
  text: string;
  description: string;
  effective_from: string;
  effective_to: string | null;
  loaded_by: string;
  loaded_at: Timestamp;
  active: Generated<boolean>;
}

export interface PolicyActivationTable {
  sequence: Generated<string>;
  policy_id: string;
  version: string;
  digest: string;
  activated_by: string;
  reason: string;
  activated_at: Timestamp;
}

export interface WorklistEntryTable {
  person_id: string;
  tier: number;
  tier_label: string;
  tier_kind: string;
  score: number;
  order_final_date: string | null;
  as_of: string;
  policy_id: string;
  policy_version: string;
  policy_digest: string;
  explanation: Json<unknown>;
  evaluated_at: Timestamp;
}

export interface WorklistOverrideTable {
  sequence: Generated<string>;
  person_id: string;
  policy_digest: string;
  original_tier: number;
  tier: number;
  reason: string;
  overridden_by: string;
  overridden_at: Timestamp;
}

export interface TransportPlanTable {
  plan_id: string;
  status: "draft" | "frozen";
  office: string;
  horizon_from: string;
  horizon_to: string;
  created_by: string;
  created_at: Timestamp;
  frozen_by: string | null;
  frozen_at: string | null;
  checked_at: string | null;
  facility_hubs_version: string;
  options: Json<unknown>;
  cost: Json<unknown>;
  solver: Json<unknown>;
}

export interface TransportManifestTable {
  plan_id: string;
  flight_id: string;
  flight_date: string;
  origin_hub: string;
  destination_country: string;
  destination_port: string | null;
  seats: number;
  capacity: number;
  cost: number;
}

export interface TransportManifestEntryTable {
  plan_id: string;
  flight_id: string;
  person_id: string;
  ready_date: string;
  detention_days: number;
  struck_at: string | null;
  strike_reason: string | null;
  strike_gates: Generated<string[]>;
  strike_source: "freeze" | "status_change" | null;
}

export interface TransportLeftOutTable {
  plan_id: string;
  person_id: string;
  kind: "unplaced" | "excluded";
  reason: string;
  gates: Generated<string[]>;
}

/** Tables of migration 0040-policy: policies, the worklist, overrides and transport plans. */
export interface PolicyTables {
  policy_version: PolicyVersionTable;
  policy_activation: PolicyActivationTable;
  worklist_entry: WorklistEntryTable;
  worklist_override: WorklistOverrideTable;
  transport_plan: TransportPlanTable;
  transport_manifest: TransportManifestTable;
  transport_manifest_entry: TransportManifestEntryTable;
  transport_left_out: TransportLeftOutTable;
}
