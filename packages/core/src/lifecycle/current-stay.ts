import type { DayNumber } from "./calendar-date.ts";
import type { CompiledLifecycleRules } from "./compiled-lifecycle-rules.ts";
import type {
  AdmissionEvent,
  DepartureEvent,
  EntryWithoutInspectionEvent,
  PersonEvents,
} from "./person-events.ts";
import type { EntryKind } from "./person-status.ts";
import type { DepartureTier } from "./vocabulary.ts";

/**
 * Entries, departures and the current stay (docs/lifecycle-semantics.md §1). A departure dated
 * after the latest entry ends the stay; an entry after a departure starts a new one. Several
 * entries without a departure between them (a parole in place after an unlawful entry, a second
 * encounter that repeats the entry) are one stay, which began at the earliest of them.
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

export interface CurrentStay {
  /** The latest entry on or before the as-of date (decides ADMITTED/PAROLED/EWI_PRESENT). */
  readonly latestEntry: Entry | null;
  /** First day of the current (or just ended) stay; null when no entry is recorded. */
  readonly stayBeganDay: DayNumber | null;
  readonly stayEntries: readonly Entry[];
  /** The departure that ended the previous stay, if one is recorded. */
  readonly previousDeparture: DepartureEvent | null;
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

/** The person's current stay as of the as-of date (events are already limited to it). */
export function currentStayOf(events: PersonEvents, rules: CompiledLifecycleRules): CurrentStay {
  const entries = entriesOf(events, rules);
  const departures = events.departures;
  const verifiedDepartureDays = departures
    .filter((event) => rules.verifiedEvidence.has(event.evidence))
    .map((event) => event.day);
  const latestEntry = entries[entries.length - 1] ?? null;
  if (latestEntry === null) {
    // With no entry recorded, any departure ends the (unrecorded) stay.
    const departure = departures.length === 0 ? null : classifyDeparture(departures, rules);
    return {
      latestEntry,
      stayBeganDay: null,
      stayEntries: [],
      previousDeparture: null,
      departure,
      verifiedDepartureDays,
    };
  }
  const latestDay = latestEntry.event.day;
  const ending = departures.filter((event) => event.day > latestDay);
  // A departure on the same day as an entry is read as leaving before re-entering.
  let previousDeparture: DepartureEvent | null = null;
  for (const event of departures) if (event.day <= latestDay) previousDeparture = event;
  const previousDay = previousDeparture?.day;
  const stayEntries =
    previousDay === undefined ? entries : entries.filter((entry) => entry.event.day >= previousDay);
  return {
    latestEntry,
    stayBeganDay: stayEntries[0]!.event.day,
    stayEntries,
    previousDeparture,
    departure: ending.length === 0 ? null : classifyDeparture(ending, rules),
    verifiedDepartureDays,
  };
}
