import { FEED_SCHEMAS, FEEDS, type Feed, linkageEntityId, type SourceRecord } from "@passage/core";
import { type LinkageRecord, linkageRecordOfSourceRecords } from "@passage/linkage";
import type { LatestEntityRow, LinkageCitation } from "@passage/store";

/** A linkage unit read from its records: what linkage compares and the versions it rests on. */
export interface EntitySnapshot {
  /** `feed:keyValue`. */
  readonly key: string;
  readonly feed: Feed;
  readonly keyValue: string;
  readonly record: LinkageRecord;
  /** The latest version of each of its rows, ordered by record key. */
  readonly citations: readonly LinkageCitation[];
}

/** Feeds whose records describe a person (every feed but flights). */
export const PERSON_FEEDS: readonly Feed[] = FEEDS.filter((feed) => FEED_SCHEMAS[feed].aboutPerson);

/** Whether linkage links records of this feed. */
export function isPersonFeed(feed: string): feed is Feed {
  return (PERSON_FEEDS as readonly string[]).includes(feed);
}

/**
 * An entity from the latest version of each of its rows. Both linkage paths build entities here,
 * so a pair scores the same on both: rows are ordered by recording time in microseconds (a fixed
 * width text, as `linkageRecordOfSourceRecords` compares `recordedAt` as text), then version.
 */
export function entityOfRows(rows: readonly LatestEntityRow[]): EntitySnapshot {
  const first = rows[0];
  if (first === undefined) throw new Error("an entity needs at least one row");
  const sources: SourceRecord[] = rows.map((row) => ({
    id: row.recordKey,
    feed: row.feed,
    keyValue: row.keyValue,
    recordKey: row.recordKey,
    version: row.version,
    fields: row.fields,
    recordedAt: row.recordedMicros.padStart(20, "0"),
  }));
  const citations = rows
    .map((row) => ({ feed: row.feed, recordKey: row.recordKey, version: row.version }))
    .sort((a, b) => (a.recordKey < b.recordKey ? -1 : a.recordKey > b.recordKey ? 1 : 0));
  return {
    key: linkageEntityId(first.feed, first.keyValue),
    feed: first.feed,
    keyValue: first.keyValue,
    record: linkageRecordOfSourceRecords(sources),
    citations,
  };
}

/** The values as stored (key order fixed), so two snapshots compare by text. */
export function canonicalValues(values: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(
    Object.keys(values)
      .sort()
      .map((name) => [name, String(values[name])]),
  );
}

/** Splits `feed:keyValue` (the key value may hold colons). */
export function splitEntityKey(key: string): { feed: string; keyValue: string } {
  const separator = key.indexOf(":");
  return { feed: key.slice(0, separator), keyValue: key.slice(separator + 1) };
}
