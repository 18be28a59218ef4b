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
 * `admission:ab123456789` finds `AB123456789`). For a feed with a composite key (benefit,
 * custody, travel_document: SOURCES.md "(+ field)") a full record key `KEY|second` is accepted too
 * and its second component ignored, because the reference names every row of that key; a `|`
 * after the key of any other feed, more than one, or an empty second component is refused, so a
 * mistyped reference is never read as another.
 */
export function parseRecordReferenceOrThrow(reference: string): RecordReference {
  const separator = reference.indexOf(":");
  if (separator <= 0 || separator === reference.length - 1) {
    throw CoreErrors.invalidRecordReference.create(reference);
  }
  const feed = reference.slice(0, separator);
  if (!isFeed(feed)) throw CoreErrors.unknownFeed.create(feed, FEEDS);
  const schema = FEED_SCHEMAS[feed];
  const [keyText, ...rest] = reference.slice(separator + 1).split("|");
  if (rest.length > 0) {
    const problem =
      schema.keySecondField === undefined
        ? `${feed}'s key (${schema.keyField}) has one part: nothing may follow "|"`
        : rest.length > 1
          ? `${feed}'s key has two parts (${schema.keyField}|${schema.keySecondField}): one "|" at most`
          : rest[0]!.trim() === ""
            ? `the second part of ${feed}'s key (${schema.keySecondField}) after "|" is empty`
            : undefined;
    if (problem !== undefined) throw CoreErrors.invalidRecordReference.create(reference, problem);
  }
  const keyType = schema.fieldsByName.get(schema.keyField)!.type;
  const parsed = normaliseField(keyType, keyText!);
  if (!parsed.ok) {
    throw CoreErrors.invalidRecordReference.create(
      reference,
      `the key is not ${feed}'s ${schema.keyField}: ${parsed.reason}`,
    );
  }
  return { feed, keyValue: String(parsed.value) };
}
