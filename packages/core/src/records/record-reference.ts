import { CoreErrors } from "../errors/core-errors.ts";
import { FEED_SCHEMAS, FEEDS, type Feed, isFeed } from "../feeds/feed-schemas.ts";
import { normaliseField } from "../feeds/normalise-field.ts";

/** A `FEED:KEY` reference as the CLI and API accept it: KEY is the feed's key field value. */
export interface RecordReference {
  readonly feed: Feed;
  readonly keyValue: string;
}

/**
 * Parses `FEED:KEY`. The key is normalised the way ingest normalises the key field (so
 * `admission:ab123456789` finds `AB123456789`); a `|second` component, if given, is ignored
 * because the reference names every row of that key.
 */
export function parseRecordReferenceOrThrow(reference: string): RecordReference {
  const separator = reference.indexOf(":");
  if (separator <= 0 || separator === reference.length - 1) {
    throw CoreErrors.invalidRecordReference.create(reference);
  }
  const feed = reference.slice(0, separator);
  if (!isFeed(feed)) throw CoreErrors.unknownFeed.create(feed, FEEDS);
  const schema = FEED_SCHEMAS[feed];
  const keyText = reference.slice(separator + 1).split("|")[0]!;
  const keyType = schema.fieldsByName.get(schema.keyField)!.type;
  const parsed = normaliseField(keyType, keyText);
  if (!parsed.ok) throw CoreErrors.invalidRecordReference.create(reference);
  return { feed, keyValue: String(parsed.value) };
}
