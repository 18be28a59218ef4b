import type { ColumnType } from "kysely";

type Timestamp = ColumnType<string, string | undefined, never>;

export interface AuditLogHeadTable {
  singleton: ColumnType<boolean, never, never>;
  /** The number of entries appended; bigint as a decimal string. */
  size: ColumnType<string, never, string>;
}

export interface AuditEntryTable {
  sequence: string;
  /** The canonical entry, the preimage of its Merkle leaf. */
  content: string;
  leaf_hash: Buffer;
  actor: string;
  resource_type: string;
  resource_id: string;
  recorded_at: Timestamp;
}

export interface AuditCheckpointTable {
  tree_size: string;
  root_hash: Buffer;
  signed_at: string;
  key_id: string;
  signature: Buffer;
  document: ColumnType<Record<string, unknown>, string, never>;
  /** The perfect subtree roots at this size, concatenated: the next checkpoint starts from them. */
  frontier: Buffer;
  recorded_at: Timestamp;
}

export interface AuditTables {
  audit_log_head: AuditLogHeadTable;
  audit_entry: AuditEntryTable;
  audit_checkpoint: AuditCheckpointTable;
}
