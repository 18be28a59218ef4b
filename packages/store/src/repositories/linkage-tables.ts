import type { ColumnType, Generated } from "kysely";

type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<string, string | undefined, string | undefined>;

/** A record version a linkage entity rests on (the latest version of each of its rows). */
export interface LinkageCitation {
  readonly feed: string;
  readonly recordKey: string;
  readonly version: number;
}

export interface LinkageModelTable {
  version: Generated<number>;
  /** The artefact as `serialiseLinkageModel` wrote it. */
  artefact: string;
  /** sha256 of `artefact`, hex. */
  digest: string;
  records: number;
  trained_by: string;
  trained_at: Timestamp;
  active: Generated<boolean>;
  activated_at: string | null;
}

export interface LinkageEntityTable {
  entity_id: Generated<number>;
  feed: string;
  key_value: string;
  /** The person fields linkage compares, newest value per field (`LinkageRecord.values`). */
  person_values: Json<Record<string, string>>;
  citations: Json<LinkageCitation[]>;
  indexed_at: Timestamp;
}

export interface LinkageBlockTable {
  /** 53-bit hash of blocking rule, refinement depth and key (a decimal string when read). */
  block: ColumnType<string, string | number, string | number>;
  entity_id: number;
}

export type LinkagePairBand = "auto_link" | "review";

export interface LinkagePairTable {
  left_entity: number;
  right_entity: number;
  match_weight: number;
  match_probability: number;
  band: LinkagePairBand;
  reason: string | null;
  model_version: number;
}

export type LinkageDecisionKind = "must_link" | "cannot_link";
export type LinkageDecisionSource = "review" | "direct" | "unlink" | "placement";

export interface LinkageDecisionTable {
  decision_id: Generated<string>;
  /** `feed:keyValue`; left < right. */
  left_record: string;
  right_record: string;
  decision: LinkageDecisionKind;
  source: LinkageDecisionSource;
  review_id: string | null;
  decided_by: string;
  reason: string;
  decided_at: Timestamp;
  /** On an unlink's cannot-links: the record taken out of its person (one of the pair). */
  unlinked_record: string | null;
  /** On a placement's must-link: the record placed in the person outside linkage (one of the pair). */
  placed_record: string | null;
}

export type LinkageReviewStatus = "open" | "unsure" | "decided" | "superseded";
export type LinkageReviewOutcome = "accept" | "reject";

export interface LinkageReviewTable {
  review_id: Generated<string>;
  left_record: string;
  right_record: string;
  reason: string;
  conflicting_identifiers: ColumnType<string[], string[] | undefined, string[]>;
  match_weight: number;
  match_probability: number;
  model_version: number;
  status: Generated<LinkageReviewStatus>;
  outcome: LinkageReviewOutcome | null;
  note: string | null;
  decided_by: string | null;
  opened_at: Timestamp;
  updated_at: Timestamp;
  closed_at: string | null;
}

export interface LinkageSearchNameTable {
  entity_id: number;
  /** Folded and variant-canonical name tokens, space separated (trigram-indexed). */
  names: string;
}

export type LinkageDocumentKind = "a_number" | "passport" | "i94" | "receipt";

export interface LinkageSearchDocumentTable {
  document: string;
  kind: LinkageDocumentKind;
  entity_id: number;
}

export interface LinkagePersonRetirementTable {
  person_id: string;
  successor_person_id: string | null;
  reason: string;
  retired_at: Timestamp;
}

export interface LinkageRunTable {
  run_id: Generated<string>;
  kind: "link" | "rebuild";
  requested_by: string;
  model_version: number | null;
  snapshot_position: string | null;
  started_at: Timestamp;
  finished_at: string | null;
  figures: Json<Record<string, unknown>> | null;
}

/** A must-link one of whose records changed its compared values after it was decided (0071). */
export interface LinkageMustLinkOutdatedTable {
  decision_id: string;
  /** `feed:keyValue`: the record of the pair whose content changed. */
  changed_record: string;
  /** The record's versions when the change was met. */
  citations: Json<LinkageCitation[]>;
  detected_by: "incremental" | "batch";
  detected_at: Timestamp;
}

export interface LinkageTables {
  linkage_model: LinkageModelTable;
  linkage_entity: LinkageEntityTable;
  linkage_block: LinkageBlockTable;
  linkage_pair: LinkagePairTable;
  linkage_decision: LinkageDecisionTable;
  linkage_current_decision: Omit<
    LinkageDecisionTable,
    "decision_id" | "unlinked_record" | "placed_record"
  > & {
    decision_id: string;
  };
  linkage_must_link_outdated: LinkageMustLinkOutdatedTable;
  linkage_review: LinkageReviewTable;
  linkage_search_name: LinkageSearchNameTable;
  linkage_search_document: LinkageSearchDocumentTable;
  linkage_person_retirement: LinkagePersonRetirementTable;
  linkage_run: LinkageRunTable;
}
