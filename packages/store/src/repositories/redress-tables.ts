import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<string, string | undefined, string | undefined>;

export interface CitizenshipClaimTable {
  claim_id: string;
  person_id: string;
  opened_on: string;
  closed_on: string | null;
  opened_at: Generated<string>;
  closed_at: string | null;
  request_id: string | null;
  outcome: "verified" | "rejected" | "withdrawn" | null;
  close_reason: string | null;
}

export interface RedressRequestTable {
  request_id: string;
  person_id: string;
  kind: "citizenship" | "not_my_record" | "departed" | "other";
  statement: string;
  departure_date: string | null;
  disputed_records: string[];
  documents: ColumnType<unknown, string, string>;
  status: "filed" | "under_review" | "resolved";
  filed_by: string;
  filed_at: Timestamp;
  reviewer: string | null;
  review_started_at: string | null;
  outcome: "granted" | "denied" | "withdrawn" | null;
  outcome_reason: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  claim_id: string | null;
  corrections: ColumnType<unknown, string, string>;
  /** Sticky: every flag the request ever touched (a trigger keeps what an update would drop). */
  confidentiality: Generated<string[]>;
  /** The office the person's case was under at filing (never changed). */
  filed_office: Generated<string>;
  resolving_token: string | null;
  resolving_by: string | null;
  resolving_since: string | null;
}

export interface RedressEventTable {
  sequence: Generated<string>;
  request_id: string;
  at: Timestamp;
  actor: string;
  step: "filed" | "review_started" | "resolved" | "source_superseded" | "links_partly_decided";
  details: ColumnType<unknown, string, string>;
}

export interface CaseAssignmentTable {
  person_id: string;
  office: Generated<string>;
  assignees: Generated<string[]>;
  updated_by: string;
  updated_at: Timestamp;
}

export interface RedressTables {
  citizenship_claim: CitizenshipClaimTable;
  redress_request: RedressRequestTable;
  redress_event: RedressEventTable;
  case_assignment: CaseAssignmentTable;
}
