import type { Generated } from "kysely";

export interface CitizenshipClaimTable {
  claim_id: string;
  person_id: string;
  opened_on: string;
  closed_on: string | null;
  opened_at: Generated<string>;
  closed_at: string | null;
}

export interface RedressTables {
  citizenship_claim: CitizenshipClaimTable;
}
