import type { Feed } from "../feeds/feed-schemas.ts";
import type { NormalisedFields } from "../feeds/normalise-row.ts";

/**
 * One stored version of a source record, as pure modules see it. Records are append-only: a
 * changed row with the same key is a new version, and both are kept.
 */
export interface SourceRecord {
  /** Database identity of this version. */
  readonly id: string;
  readonly feed: Feed;
  /** The key field's value (what `FEED:KEY` names). */
  readonly keyValue: string;
  /** The full stable key: the key value, plus `|second` for feeds with one row per event. */
  readonly recordKey: string;
  readonly version: number;
  readonly fields: NormalisedFields;
  /** When Passage stored this version (record time, for "as known at" questions), ISO 8601 UTC. */
  readonly recordedAt: string;
}

/** What a derived fact cites: one version of one source record. */
export interface RecordCitation {
  readonly feed: Feed;
  readonly recordKey: string;
  readonly version: number;
}

export function citationOf(record: Pick<SourceRecord, "feed" | "recordKey" | "version">): RecordCitation {
  return { feed: record.feed, recordKey: record.recordKey, version: record.version };
}

/** `feed:recordKey@vN`, the printed form of a citation. */
export function formatCitation(citation: RecordCitation): string {
  return `${citation.feed}:${citation.recordKey}@v${citation.version}`;
}

/** The citations in first-seen order, each once (a record cited by two facts is one piece of evidence). */
export function distinctCitations(citations: readonly RecordCitation[]): RecordCitation[] {
  const seen = new Set<string>();
  return citations.filter((citation) => {
    const key = formatCitation(citation);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The unit that linkage clusters: every row sharing a feed and key value belongs to one person
 * (all events of one receipt, booking or document), so they are linked as one entity.
 */
export function linkageEntityId(feed: Feed, keyValue: string): string {
  return `${feed}:${keyValue}`;
}
