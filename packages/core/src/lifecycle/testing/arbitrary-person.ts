import fc from "fast-check";
import type { SourceRecord } from "../../records/source-record.ts";
import { formatDayNumber, parseDayNumber } from "../calendar-date.ts";
import {
  admissionRecord,
  benefitRecord,
  courtRecord,
  custodyRecord,
  departureRecord,
  encounterRecord,
  travelDocumentRecord,
} from "./lifecycle-records.ts";

/**
 * fast-check arbitraries of one person's records: an entry, court events over two cases (any
 * event in any order, with the flags and outcomes the feed allows), benefits, departures,
 * custody and travel documents, all dated within a few years. Random on purpose: the properties
 * must hold for sequences no scenario would script.
 */

const BASE_DAY = parseDayNumber("2020-01-01")!;
export const SPAN_DAYS = 1500;
export const dateAt = (offset: number): string => formatDayNumber(BASE_DAY + offset);

const offset = fc.integer({ min: 0, max: SPAN_DAYS });
const maybe = <T>(arbitrary: fc.Arbitrary<T>, frequency = 3) =>
  fc.option(arbitrary, { nil: undefined, freq: frequency });
const yesNo = (yesOneIn: number) =>
  fc.integer({ min: 1, max: yesOneIn }).map((value) => (value === 1 ? "Y" : "N"));
const COUNTRIES = ["MEX", "GTM", "HND"] as const;

type Fields = Record<string, string>;
const defined = (fields: Record<string, string | undefined>): Fields =>
  Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

const decision = fc.record({
  event_type: fc.constant("decision"),
  outcome: fc.constantFrom(
    "removal_ordered",
    "removal_ordered",
    "removal_ordered",
    "vd_with_alternate_order",
    "vd_with_alternate_order",
    "relief_granted",
    "terminated",
    "dismissed",
    "admin_closed",
  ),
  in_absentia: yesNo(5),
  appeal_waived: yesNo(6),
  notice_served: fc.constantFrom("Y", "N", "U"),
  deadlineOffset: maybe(fc.integer({ min: 0, max: 150 })),
  destination_country: maybe(fc.constantFrom(...COUNTRIES)),
  withholding_country: maybe(fc.constantFrom(...COUNTRIES), 1),
  relief_type: maybe(fc.constantFrom("asylum", "withholding", "cat", "cancellation", "other")),
});

const courtEvent = fc.record({
  caseIndex: fc.integer({ min: 0, max: 1 }),
  day: offset,
  detail: fc.oneof(
    { weight: 2, arbitrary: fc.record({ event_type: fc.constant("nta_filed") }) },
    { weight: 2, arbitrary: fc.record({ event_type: fc.constant("hearing") }) },
    { weight: 4, arbitrary: decision },
    { weight: 2, arbitrary: fc.record({ event_type: fc.constant("appeal_filed"), certified: yesNo(4) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        event_type: fc.constant("appeal_decided"),
        outcome: maybe(fc.constantFrom("dismissed", "denied", "sustained", "remanded", "terminated")),
        certified: yesNo(6),
        deadlineOffset: maybe(fc.integer({ min: 0, max: 90 }), 1),
      }),
    },
    { weight: 1, arbitrary: fc.record({ event_type: fc.constant("motion_filed") }) },
    {
      weight: 1,
      arbitrary: fc.record({
        event_type: fc.constant("motion_decided"),
        outcome: fc.constantFrom("granted", "denied"),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        event_type: fc.constant("stay_granted"),
        deadlineOffset: maybe(fc.integer({ min: 0, max: 300 })),
      }),
    },
    { weight: 1, arbitrary: fc.record({ event_type: fc.constant("stay_lifted") }) },
  ),
});

const FORMS = [
  "I-589",
  "I-485",
  "I-821",
  "I-821D",
  "I-914",
  "I-918",
  "I-360",
  "I-539",
  "I-246",
  "N-400",
] as const;
const benefitEvent = fc.record({
  receiptIndex: fc.integer({ min: 0, max: 2 }),
  event: fc.constantFrom(
    "filed",
    "filed",
    "approved",
    "approved",
    "denied",
    "withdrawn",
    "referred",
    "terminated",
    "revoked",
  ),
  day: offset,
  validFrom: maybe(offset, 1),
  validLength: maybe(fc.integer({ min: 0, max: 900 })),
});

const entry = fc.oneof(
  fc.record({
    kind: fc.constant("admission" as const),
    classOfAdmission: fc.constantFrom("B2", "WT", "H1B", "F1", "PAROLE"),
    day: offset,
    stayDays: maybe(fc.integer({ min: 0, max: 700 }), 4),
  }),
  fc.record({ kind: fc.constant("entry_without_inspection" as const), day: offset }),
  fc.constant({ kind: "none" as const }),
);

export const personEvents = fc.record({
  nationality: maybe(fc.constantFrom(...COUNTRIES), 6),
  entry,
  court: fc.array(courtEvent, { maxLength: 12 }),
  forms: fc.tuple(fc.constantFrom(...FORMS), fc.constantFrom(...FORMS), fc.constantFrom(...FORMS)),
  benefits: fc.array(benefitEvent, { maxLength: 5 }),
  departures: fc.oneof(
    { weight: 2, arbitrary: fc.constant<{ day: number; evidence: string }[]>([]) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.record({
          day: offset,
          evidence: fc.constantFrom(
            "carrier_manifest",
            "land_exchange",
            "removal_executed",
            "vd_verified",
            "self_report",
          ),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    },
  ),
  custody: fc.array(
    fc.record({
      bookingIndex: fc.integer({ min: 0, max: 1 }),
      event: fc.constantFrom("book_in", "book_out", "transfer"),
      day: offset,
      reason: maybe(fc.constantFrom("released", "removed", "bond", "osup", "transferred")),
    }),
    { maxLength: 3 },
  ),
  travelDocuments: fc.array(
    fc.record({ status: fc.constantFrom("requested", "issued", "refused", "expired"), day: offset }),
    { maxLength: 2 },
  ),
});
export type PersonEventSpecs = typeof personEvents extends fc.Arbitrary<infer T> ? T : never;

/**
 * Builds the records of a generated person, every date moved `shift` days later. A non-empty
 * `tag` gives a second set of events for the same person: its court events join the same cases
 * (under their own event ids); its receipts, bookings and documents are its own, since events of
 * those feeds share keys (and would be corrections of the first set's records).
 */
export function recordsOf(specs: PersonEventSpecs, tag = "", shift = 0): SourceRecord[] {
  const at = (day: number) => dateAt(day + shift);
  const records: SourceRecord[] = [];
  const person = defined({ nationality: specs.nationality });
  const { entry: generatedEntry } = specs;
  if (generatedEntry.kind === "admission") {
    const until =
      generatedEntry.stayDays === undefined ? "D/S" : at(generatedEntry.day + generatedEntry.stayDays);
    records.push(
      admissionRecord(
        `I94${tag}00000001`.slice(0, 11),
        generatedEntry.classOfAdmission,
        at(generatedEntry.day),
        until,
        person,
      ),
    );
  } else if (generatedEntry.kind === "entry_without_inspection") {
    records.push(
      encounterRecord(`E${tag}-entry`, "interior_arrest", at(generatedEntry.day), {
        ...person,
        entry_without_inspection: "Y",
      }),
    );
  }
  specs.court.forEach((event, index) => {
    const { event_type, deadlineOffset, ...fields } = event.detail as Record<
      string,
      string | number | undefined
    > & {
      event_type: string;
      deadlineOffset?: number;
    };
    const extra = defined({
      ...(fields as Record<string, string | undefined>),
      deadline: deadlineOffset === undefined ? undefined : at(event.day + deadlineOffset),
    });
    records.push(
      courtRecord(`C${tag}-${index}`, `K-${event.caseIndex}`, event_type, at(event.day), {
        ...person,
        ...extra,
      }),
    );
  });
  specs.benefits.forEach((event) => {
    const receipt = `IOE${tag.length > 0 ? "9" : "0"}00000000${event.receiptIndex}`;
    records.push(
      benefitRecord(receipt, specs.forms[event.receiptIndex]!, event.event, at(event.day), {
        ...defined({
          valid_from: event.validFrom === undefined ? undefined : at(event.validFrom),
          valid_to:
            event.validLength === undefined
              ? undefined
              : at((event.validFrom ?? event.day) + event.validLength),
        }),
      }),
    );
  });
  specs.departures.forEach((departure, index) => {
    records.push(departureRecord(`D${tag}-${index}`, at(departure.day), departure.evidence, person));
  });
  specs.custody.forEach((event, index) => {
    records.push(
      custodyRecord(
        `BK${tag}-${event.bookingIndex}-${index}`,
        event.event,
        at(event.day),
        defined({ reason: event.reason }),
      ),
    );
  });
  specs.travelDocuments.forEach((document, index) => {
    records.push(travelDocumentRecord(`TD${tag}-${index}`, document.status, at(document.day)));
  });
  // Distinct keys: two generated events with the same key would be two versions of one record.
  const seen = new Set<string>();
  return records.filter((record) => {
    const key = `${record.feed}:${record.recordKey}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A generated person and an as-of date within (or just after) the span of their events. */
export const personAsOf = fc.record({
  specs: personEvents,
  asOfOffset: fc.integer({ min: 0, max: SPAN_DAYS + 200 }),
});
