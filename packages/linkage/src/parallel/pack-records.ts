import type { LinkageSettings } from "../model/linkage-settings.ts";
import type { LinkageRecord } from "../model/prepared-record.ts";

/**
 * Records as a few long strings, one per column the settings read: what another thread receives
 * instead of a million small objects (a string is copied in one piece, an object graph field by
 * field). Values are separated by U+0000, which no standardised field keeps.
 */
export interface PackedLinkageRecords {
  readonly count: number;
  readonly ids: string;
  readonly sources: Uint8Array;
  /** Column name -> the records' values joined; an empty value is a missing one. */
  readonly columns: Readonly<Record<string, string>>;
}

const SEPARATOR = "\u0000";

/** The columns a linkage job reads: every comparison's column and scope column. */
export function columnsRead(settings: LinkageSettings): string[] {
  const columns = new Set<string>();
  for (const comparison of settings.comparisons) {
    columns.add(comparison.column);
    if (comparison.scopeColumn !== undefined) columns.add(comparison.scopeColumn);
  }
  return [...columns];
}

/** Packs the columns `settings` reads; a value holding U+0000 is refused (it would shift every later record). */
export function packLinkageRecords(
  settings: LinkageSettings,
  records: readonly LinkageRecord[],
): PackedLinkageRecords {
  const columns: Record<string, string> = {};
  const sources = new Uint8Array(records.length);
  records.forEach((record, index) => {
    sources[index] = record.source ?? 0;
  });
  const ids = joinChecked(
    records.map((record) => record.id),
    "id",
  );
  for (const column of columnsRead(settings)) {
    columns[column] = joinChecked(
      records.map((record) => record.values[column] ?? ""),
      column,
    );
  }
  return { count: records.length, ids, sources, columns };
}

/** The records again, each with the packed columns only. */
export function unpackLinkageRecords(packed: PackedLinkageRecords): LinkageRecord[] {
  const ids = packed.count === 0 ? [] : packed.ids.split(SEPARATOR);
  const columns = Object.entries(packed.columns).map(
    ([name, joined]) => [name, packed.count === 0 ? [] : joined.split(SEPARATOR)] as const,
  );
  const records: LinkageRecord[] = new Array(packed.count);
  for (let index = 0; index < packed.count; index += 1) {
    const values: Record<string, string> = {};
    for (const [name, list] of columns) {
      const value = list[index]!;
      if (value !== "") values[name] = value;
    }
    records[index] = { id: ids[index]!, source: packed.sources[index]!, values };
  }
  return records;
}

function joinChecked(values: readonly string[], column: string): string {
  const joined = values.join(SEPARATOR);
  // n values joined hold n - 1 separators; any more came from a value.
  let separators = 0;
  for (let at = joined.indexOf(SEPARATOR); at !== -1; at = joined.indexOf(SEPARATOR, at + 1)) separators += 1;
  if (values.length > 0 && separators !== values.length - 1) {
    throw new Error(`a value of column ${column} holds U+0000, which cannot be passed to another thread`);
  }
  return joined;
}
