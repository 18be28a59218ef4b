import { FEED_SCHEMAS } from "@passage/core";
import type { SeededRandom } from "../random/seeded-random.ts";
import type { PersonFeed } from "./feed-profiles.ts";
import type { SourceRow } from "./record-draft.ts";

const MALFORMED_VALUES: Readonly<Record<string, string>> = {
  date: "2023-02-30",
  timestamp: "yesterday",
  enum: "unknown",
  country: "ZZZ",
  integer: "-5",
  decimal: "n/a",
  date_or_ds: "31/12/2023",
};

/** A copy of a row that ingest must reject: a new key, and a required field missing or unparseable. */
export function malformedCopy(feed: PersonFeed, row: SourceRow, random: SeededRandom): SourceRow {
  const schema = FEED_SCHEMAS[feed];
  const copy: SourceRow = { ...row };
  const key = row[schema.keyField] ?? "";
  copy[schema.keyField] =
    schema.fieldsByName.get(schema.keyField)!.type.kind === "key" ? `${key}-M` : `${key}-MALFORMED`;
  const candidates = schema.fields.filter(
    (field) => field.required && field.name !== schema.keyField && field.name !== schema.keySecondField,
  );
  const target = candidates[random.below(candidates.length)]!;
  const invalid = MALFORMED_VALUES[target.type.kind];
  copy[target.name] = invalid !== undefined && random.chance(0.5) ? invalid : "";
  return copy;
}
