import type { DayNumber } from "../calendar/day-number.ts";
import type { PersonFeed } from "./feed-profiles.ts";

/**
 * A source row as text, keyed by SOURCES.md field names (what a CSV cell would hold). Generated
 * rows carry every field of their feed's contract, in contract order; "" means missing.
 */
export type SourceRow = Record<string, string>;

/** A row the scenario scripted, before the person fields and their noise are added. */
export interface RecordDraft {
  readonly feed: PersonFeed;
  /** The key field's value; rows of one feed with the same key belong to one record (events of it). */
  readonly key: string;
  /** The event's date: which identifiers the person already had, which passport they carried. */
  readonly day: DayNumber;
  /** Feed-specific fields, including the key field(s). */
  readonly fields: SourceRow;
  /** The I-94 number the row may cite (departures, benefits of an admitted person). */
  readonly i94: string | undefined;
  /** Whether the row may cite the A-number (departure rows do only for removals and VD). */
  readonly withANumber: boolean | undefined;
}

/** One generated row and its feed. */
export interface SyntheticRow {
  readonly feed: PersonFeed;
  readonly row: SourceRow;
}
