/**
 * The access vocabulary shared by the Cedar schema (policies/passage.cedarschema), the engine,
 * the HTTP layer and the audit log. A test checks these lists against the schema.
 */

/** Roles (DOMAIN.md §3), plus the CLI's local operator and a consular-portal user. */
export const ROLES = [
  "removal_officer",
  "investigator",
  "supervisor",
  "legal_counsel",
  "transport_planner",
  "data_steward",
  "auditor",
  "privacy_officer",
  "admin",
  "local_operator",
  "consular_officer",
] as const;
export type Role = (typeof ROLES)[number];

/** Confidentiality flags: asylum (8 CFR 208.6) and T/U/VAWA (8 U.S.C. 1367). */
export const CONFIDENTIALITY_FLAGS = ["asylum", "vawa1367"] as const;
export type ConfidentialityFlag = (typeof CONFIDENTIALITY_FLAGS)[number];

/** Roles that may hold a confidentiality need; granting one to any other role is refused. */
export const CONFIDENTIALITY_ELIGIBLE_ROLES: readonly Role[] = [
  "legal_counsel",
  "privacy_officer",
  "supervisor",
  "data_steward",
  "local_operator",
];

/** Where data goes: a screen or API answer, an export, or a travel-document request. */
export const CHANNELS = ["view", "export", "travel_document"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Resource types carrying a case's office, assignees and confidentiality flags. */
export const CASE_RESOURCE_TYPES = ["Person", "Record", "Link", "Status", "RedressRequest"] as const;
export type CaseResourceType = (typeof CASE_RESOURCE_TYPES)[number];

export const RESOURCE_TYPES = [
  ...CASE_RESOURCE_TYPES,
  "TravelDocument",
  "Worklist",
  "TransportPlan",
  "Policy",
  "Account",
  "AuditLog",
  "Report",
  "Feed",
  "Projection",
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Field groups of a person view; each is a Cedar action `person.field.<group>`. */
export const FIELD_GROUPS = [
  "identity",
  "documents",
  "nationality",
  "case",
  "criminal",
  "benefits",
  "confidential",
] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

/** Every action, with the resource type it applies to. */
export const ACTIONS = {
  "person.read": "Person",
  "person.export": "Person",
  "person.field.identity": "Person",
  "person.field.documents": "Person",
  "person.field.nationality": "Person",
  "person.field.case": "Person",
  "person.field.criminal": "Person",
  "person.field.benefits": "Person",
  "person.field.confidential": "Person",
  "record.read": "Record",
  "record.write": "Record",
  "record.export": "Record",
  "link.read": "Link",
  "link.decide": "Link",
  "status.read": "Status",
  "redress.file": "RedressRequest",
  "redress.read": "RedressRequest",
  "redress.decide": "RedressRequest",
  "travel_document.request": "TravelDocument",
  "travel_document.review": "TravelDocument",
  "worklist.read": "Worklist",
  "worklist.override": "Worklist",
  "plan.read": "TransportPlan",
  "plan.write": "TransportPlan",
  "plan.freeze": "TransportPlan",
  "policy.read": "Policy",
  "policy.write": "Policy",
  "policy.dry_run": "Policy",
  "user.read": "Account",
  "user.write": "Account",
  "audit.read": "AuditLog",
  "audit.verify": "AuditLog",
  "audit.checkpoint": "AuditLog",
  "report.read": "Report",
  /** Aggregate departure figures (counts and durations, never a person): the departures dashboard. */
  "departure_metrics.read": "Report",
  "feed.ingest": "Feed",
  /** Dropping and deriving again the projections (statuses, worklist) from the records. */
  "projection.rebuild": "Projection",
  /** Assigning cases to an office's worklist (the office its staff read cases of). */
  "case.assign": "Worklist",
} as const satisfies Record<string, ResourceType>;
export type Action = keyof typeof ACTIONS;

/**
 * What each action does to Passage's state: a `write` changes it (a record, a link, a request, a
 * plan, a policy, an account, the log's checkpoints, the projections, an assignment), a `read`
 * only reads. `AuditedAccess.run` records a write in the audit log before its work starts, and
 * again with its outcome, so that a write a crash (kill -9, power loss) cuts off after it commits
 * still has its entry; a read is recorded once. Every action is listed here: the type check
 * refuses a new action until it is classified.
 */
export const ACTION_EFFECTS = {
  "person.read": "read",
  "person.export": "read",
  "person.field.identity": "read",
  "person.field.documents": "read",
  "person.field.nationality": "read",
  "person.field.case": "read",
  "person.field.criminal": "read",
  "person.field.benefits": "read",
  "person.field.confidential": "read",
  "record.read": "read",
  "record.write": "write",
  "record.export": "read",
  "link.read": "read",
  "link.decide": "write",
  "status.read": "read",
  "redress.file": "write",
  "redress.read": "read",
  "redress.decide": "write",
  "travel_document.request": "write",
  "travel_document.review": "write",
  "worklist.read": "read",
  "worklist.override": "write",
  "plan.read": "read",
  "plan.write": "write",
  "plan.freeze": "write",
  "policy.read": "read",
  "policy.write": "write",
  /** Ranks every case under a policy file in memory and stores nothing. */
  "policy.dry_run": "read",
  "user.read": "read",
  "user.write": "write",
  "audit.read": "read",
  /** Recomputes the log's tree and checks the checkpoints; stores nothing. */
  "audit.verify": "read",
  "audit.checkpoint": "write",
  "report.read": "read",
  "departure_metrics.read": "read",
  "feed.ingest": "write",
  "projection.rebuild": "write",
  "case.assign": "write",
} as const satisfies Record<Action, "read" | "write">;

/** The actions that change state (ACTION_EFFECTS): each is audited as it starts and with its outcome. */
export const WRITE_ACTIONS: readonly Action[] = (Object.keys(ACTION_EFFECTS) as Action[]).filter(
  (action) => ACTION_EFFECTS[action] === "write",
);

/** Whether `action` changes state (ACTION_EFFECTS). */
export function isWriteAction(action: Action): boolean {
  return ACTION_EFFECTS[action] === "write";
}

/**
 * Which fields of a person view belong to which group. The HTTP layer drops every field whose
 * group is hidden — and every field not listed here (deny by default).
 */
export const PERSON_FIELD_GROUPS: Readonly<Record<string, FieldGroup>> = {
  person_id: "identity",
  family_name: "identity",
  given_names: "identity",
  date_of_birth: "identity",
  sex: "identity",
  a_number: "documents",
  passport_number: "documents",
  passport_country: "documents",
  i94_number: "documents",
  fin: "documents",
  travel_documents: "documents",
  nationality: "nationality",
  country_of_birth: "nationality",
  state: "case",
  overlays: "case",
  blockers: "case",
  gates: "case",
  actionable: "case",
  evidence: "case",
  admissions: "case",
  departures: "case",
  court_events: "case",
  custody_events: "case",
  encounters: "case",
  convictions: "criminal",
  benefits: "benefits",
  confidential_benefits: "confidential",
  confidential_overlays: "confidential",
};
