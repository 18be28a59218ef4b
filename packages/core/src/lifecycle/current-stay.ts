import type { DayNumber } from "./calendar-date.ts";
import type { CompiledLifecycleRules } from "./compiled-lifecycle-rules.ts";
import type {
  AdmissionEvent,
  CustodyEvent,
  DepartureEvent,
  EntryWithoutInspectionEvent,
  InteriorArrestEvent,
  PersonEvents,
} from "./person-events.ts";
import type { EntryKind } from "./person-status.ts";
import type { DepartureTier } from "./vocabulary.ts";

/**
 * Entries, departures and the current stay (docs/lifecycle-semantics.md §1). A departure dated
 * after the latest entry ends the stay; an entry after a departure starts a new one. Several
 * entries without a departure between them (a parole in place after an unlawful entry, a second
 * encounter that repeats the entry) are one stay, which began at the earliest of them.
 *
 * DEPARTED is left by re-entry (DOMAIN.md §1.1), and a returning resident or an entrant who evaded
 * inspection leaves no entry record: a record that places the person in the US after a verified
 * departure shows that they came back, and starts a stay whose entry is unknown. Such records are
 * a custody book-in or transfer (ICE holds people in the US) and an interior arrest. Court events
 * are not: hearings and orders take place in absentia, by video or through counsel, and the feed
 * records no attendance. Neither is a border apprehension or a port encounter that records no
 * entry without inspection (the person may have been stopped at the line, or not admitted). A
 * claimed departure (a self-report) followed by such a record was not a departure at all: the
 * stay goes on.
 */

export type Entry =
  | { readonly kind: "admission" | "parole"; readonly event: AdmissionEvent }
  | { readonly kind: "entry_without_inspection"; readonly event: EntryWithoutInspectionEvent };

export interface Departure {
  readonly tier: DepartureTier;
  /** The record that fixes the tier: the earliest verified departure, else the earliest claim. */
  readonly record: DepartureEvent;
  /** The earliest claim a verified departure corroborates, else the earliest claim. */
  readonly claim: DepartureEvent | null;
  readonly corroboratedBy: DepartureEvent | null;
}

/** A record that places the person in the US on its date: a custody book-in or transfer, an interior arrest. */
export type PresenceEvent = CustodyEvent | InteriorArrestEvent;

export interface CurrentStay {
  /**
   * The latest entry on or before the as-of date (decides ADMITTED/PAROLED/EWI_PRESENT); null when
   * none is recorded, or when the stay is one of unknown entry (`presence`).
   */
  readonly latestEntry: Entry | null;
  /**
   * First day of the current (or just ended) stay; null when no entry is recorded. For a stay of
   * unknown entry, the day after the departure it followed (the earliest day it can have begun).
   */
  readonly stayBeganDay: DayNumber | null;
  readonly stayEntries: readonly Entry[];
  /** The departure that ended the previous stay, if one is recorded. */
  readonly previousDeparture: DepartureEvent | null;
  /**
   * The latest record placing the person in the US after a verified departure that no entry
   * follows: the stay it shows is one of unknown entry. Null otherwise.
   */
  readonly presence: PresenceEvent | null;
  /** Set when a departure ended the stay (or, with no entry recorded, any departure). */
  readonly departure: Departure | null;
  /** Days of every verified departure, ascending (for voluntary-departure compliance). */
  readonly verifiedDepartureDays: readonly DayNumber[];
}

function entriesOf(events: PersonEvents, rules: CompiledLifecycleRules): Entry[] {
  const entries: Entry[] = [];
  for (const event of events.admissions) {
    const kind: EntryKind = rules.paroleClasses.has(event.classOfAdmission) ? "parole" : "admission";
    entries.push({ kind, event });
  }
  for (const event of events.entriesWithoutInspection)
    entries.push({ kind: "entry_without_inspection", event });
  return entries.sort(
    (left, right) =>
      left.event.day - right.event.day ||
      (left.event.key < right.event.key ? -1 : left.event.key > right.event.key ? 1 : 0),
  );
}

function classifyDeparture(ending: readonly DepartureEvent[], rules: CompiledLifecycleRules): Departure {
  const verified = ending.filter((event) => rules.verifiedEvidence.has(event.evidence));
  const claims = ending.filter((event) => !rules.verifiedEvidence.has(event.evidence));
  if (verified.length === 0)
    return { tier: "claimed", record: claims[0]!, claim: claims[0]!, corroboratedBy: null };
  const window = rules.rules.corroborationWindowDays;
  // Any claim of the departure may be the one corroborated: the earliest that is, else the earliest.
  for (const claim of claims) {
    const corroboratedBy = verified.find((event) => Math.abs(event.day - claim.day) <= window);
    if (corroboratedBy !== undefined)
      return { tier: "verified", record: verified[0]!, claim, corroboratedBy };
  }
  return { tier: "verified", record: verified[0]!, claim: claims[0] ?? null, corroboratedBy: null };
}

/** Records placing the person in the US, by date: custody book-ins and transfers, interior arrests. */
function presenceEventsOf(events: PersonEvents): PresenceEvent[] {
  const custody = events.custody.filter((event) => event.event === "book_in" || event.event === "transfer");
  return [...custody, ...events.interiorArrests].sort(
    (left, right) => left.day - right.day || (left.key < right.key ? -1 : left.key > right.key ? 1 : 0),
  );
}

/** The person's current stay as of the as-of date (events are already limited to it). */
export function currentStayOf(events: PersonEvents, rules: CompiledLifecycleRules): CurrentStay {
  const entries = entriesOf(events, rules);
  const verifiedDepartureDays = events.departures
    .filter((event) => rules.verifiedEvidence.has(event.evidence))
    .map((event) => event.day);
  const latestEntry = entries[entries.length - 1] ?? null;
  const latestDay = latestEntry?.event.day ?? null;
  // A departure on the same day as an entry is read as leaving before re-entering.
  const sinceEntry = events.departures.filter((event) => latestDay === null || event.day > latestDay);
  // The latest record placing the person here after a departure of the stay; a departure on its
  // own day is read as after it (a book-in and a removal on one day).
  const presence =
    presenceEventsOf(events)
      .filter((event) => sinceEntry.some((departure) => departure.day < event.day))
      .pop() ?? null;
  const departures = presence === null ? sinceEntry : sinceEntry.filter((event) => event.day >= presence.day);
  const returnedAfter =
    presence === null
      ? undefined
      : sinceEntry
          .filter((event) => event.day < presence.day && rules.verifiedEvidence.has(event.evidence))
          .pop();
  const departure = departures.length === 0 ? null : classifyDeparture(departures, rules);
  if (presence !== null && returnedAfter !== undefined) {
    // Back after a verified departure, by an entry no record shows.
    return {
      latestEntry: null,
      stayBeganDay: returnedAfter.day + 1,
      stayEntries: [],
      previousDeparture: returnedAfter,
      presence,
      departure,
      verifiedDepartureDays,
    };
  }
  if (latestEntry === null) {
    // With no entry recorded, any departure ends the (unrecorded) stay.
    return {
      latestEntry,
      stayBeganDay: null,
      stayEntries: [],
      previousDeparture: null,
      presence: null,
      departure,
      verifiedDepartureDays,
    };
  }
  let previousDeparture: DepartureEvent | null = null;
  for (const event of events.departures) if (event.day <= latestEntry.event.day) previousDeparture = event;
  const previousDay = previousDeparture?.day;
  const stayEntries =
    previousDay === undefined ? entries : entries.filter((entry) => entry.event.day >= previousDay);
  return {
    latestEntry,
    stayBeganDay: stayEntries[0]!.event.day,
    stayEntries,
    previousDeparture,
    presence: null,
    departure,
    verifiedDepartureDays,
  };
}
