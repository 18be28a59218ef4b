import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<string, string | undefined, never>;
type Json<T> = ColumnType<T, string, never>;

export interface IngestBatchTable {
  id: string;
  feed: string;
  source_kind: "file" | "stream";
  source_name: string;
  first_row: number | null;
  last_row: number | null;
  chain_hash: Buffer | null;
  /** The file ingest run that wrote the batch (migration 0064); null for streams and redress. */
  run_id: string | null;
  /** The last source_record id drawn when the batch took its feed lock (migration 0064). */
  records_before: string | null;
  /**
   * Rows of the batch held against redress corrections (migration 0066): re-sends of content a
   * resolution corrected. A batch that held any is never skipped as a repeat (record-repository.ts).
   */
  held_by_redress: Generated<number>;
  rows_received: Generated<number>;
  started_at: Generated<string>;
  committed_at: Generated<string>;
}

export interface SourceRecordTable {
  id: Generated<string>;
  feed: string;
  record_key: string;
  key_value: string;
  version: number;
  content_hash: Buffer;
  fields: Json<Record<string, string | number>>;
  raw: Json<Record<string, unknown>>;
  warnings: Json<{ field: string; reason: string }[]>;
  batch_id: string;
  source_kind: "file" | "stream";
  source_name: string;
  source_row: number | null;
  received_at: string;
  recorded_at: Timestamp;
}

export interface OutboxEventTable {
  position: Generated<string>;
  event_type: string;
  partition_key: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface ConsumerOffsetTable {
  consumer: string;
  position: string;
  updated_at: Generated<string>;
}

export interface RecordTables {
  ingest_batch: IngestBatchTable;
  source_record: SourceRecordTable;
  outbox_event: OutboxEventTable;
  consumer_offset: ConsumerOffsetTable;
}
