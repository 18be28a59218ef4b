import type { FieldValue } from "../feeds/normalise-field.ts";
import {
  citationOf,
  formatCitation,
  type RecordCitation,
  type SourceRecord,
} from "../records/source-record.ts";
import { type DayNumber, parseDayNumber } from "./calendar-date.ts";
import { LifecycleErrors } from "./lifecycle-errors.ts";

/**
 * A person's records read as typed lifecycle events: the latest version of each record key known
 * at `knownAt` (record time), keeping only events dated on or before the as-of day (valid time),
 * sorted by date, then by event order within a day, then by feed and key, so that the derivation
 * never depends on the order records arrive in.
 */

interface Cited {
  readonly day: DayNumber;
  readonly date: string;
  readonly citation: RecordCitation;
  /** `feed:recordKey`: the stable tie-breaker. */
  readonly key: string;
}

export interface AdmissionEvent extends Cited {
  readonly classOfAdmission: string;
  /** Null for D/S. */
  readonly admitUntilDay: DayNumber | null;
  readonly admitUntilText: string;
}

export interface EntryWithoutInspectionEvent extends Cited {
  readonly encounterDay: DayNumber;
}

/** An interior arrest: an encounter that places the person in the US on its date (whatever it says of the entry). */
export interface InteriorArrestEvent extends Cited {}

export interface DepartureEvent extends Cited {
  readonly evidence: string;
}

const BENEFIT_FORMS = [
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
];

export const BENEFIT_EVENTS = [
  "filed",
  "referred",
  "approved",
  "denied",
  "withdrawn",
  "terminated",
  "revoked",
];

export interface BenefitEvent extends Cited {
  readonly receiptNumber: string;
  readonly formType: string;
  readonly event: string;
  readonly validFromDay: DayNumber | null;
  readonly validToDay: DayNumber | null;
}

export const COURT_EVENTS = [
  "nta_filed",
  "hearing",
  "decision",
  "appeal_filed",
  "appeal_decided",
  "motion_filed",
  "motion_decided",
  "stay_granted",
  "stay_lifted",
];

export interface CourtEvent extends Cited {
  readonly caseId: string;
  readonly caseType: string;
  readonly eventType: string;
  readonly outcome: string | null;
  readonly reliefType: string | null;
  readonly inAbsentia: boolean;
  readonly appealWaived: boolean;
  readonly certified: boolean;
  readonly noticeServed: "Y" | "N" | "U" | null;
  readonly deadlineDay: DayNumber | null;
  readonly destinationCountry: string | null;
  readonly withholdingCountry: string | null;
}

const CUSTODY_EVENTS = ["book_in", "transfer", "book_out"];

export interface CustodyEvent extends Cited {
  readonly bookingId: string;
  readonly event: string;
  readonly reason: string | null;
  readonly facilityCode: string;
}

/**
 * A citizenship record. `day`/`date` are the day the citizenship holds from: the date of birth for
 * a citizen at birth (CITIZEN_AT_BIRTH), else the effective date; `effectiveDate` is the record's
 * own date (when it was recorded as effective: a naturalization, an INA 320 derivation, the day a
 * claim was found true).
 */
export interface CitizenshipEvent extends Cited {
  readonly basis: string;
  readonly effectiveDate: string;
}

/**
 * Bases of citizenship held from birth, whatever a record's effective date (DOMAIN.md §1.8, §1.9):
 * acquired at birth (INA 301, `acquired`, `birth_abroad`), and a claim found true (`verified_claim`:
 * the person was a citizen all along). `naturalized` holds from its effective date, and `derived`
 * (INA 320) from the day its conditions were met, which is its effective date.
 */
export const CITIZEN_AT_BIRTH: ReadonlySet<string> = new Set(["acquired", "birth_abroad", "verified_claim"]);

const TRAVEL_DOCUMENT_STATUSES = ["requested", "issued", "refused", "expired"];

export interface TravelDocumentEvent extends Cited {
  readonly travelDocumentId: string;
  readonly country: string;
  readonly status: string;
  readonly validToDay: DayNumber | null;
}

/** A person field observed on a record (date of birth, nationality), with its citation. */
export interface Observation<Value> {
  readonly value: Value;
  readonly citation: RecordCitation;
  readonly key: string;
}

export interface PersonEvents {
  readonly admissions: AdmissionEvent[];
  readonly entriesWithoutInspection: EntryWithoutInspectionEvent[];
  readonly interiorArrests: InteriorArrestEvent[];
  readonly departures: DepartureEvent[];
  readonly benefits: BenefitEvent[];
  readonly court: CourtEvent[];
  readonly custody: CustodyEvent[];
  readonly citizenship: CitizenshipEvent[];
  readonly travelDocuments: TravelDocumentEvent[];
  readonly datesOfBirth: Observation<string>[];
  readonly nationalities: Observation<string>[];
  /** The earliest date of an event after the as-of date (when the status may next change). */
  firstLaterDay: DayNumber | null;
}

/**
 * Whether `candidate` supersedes `current`: a higher version; for two rows claiming the same
 * version (a store error), the later stored, then the greater id, so the choice never depends on
 * the order records arrive in.
 */
function isLaterVersion(candidate: SourceRecord, current: SourceRecord): boolean {
  if (candidate.version !== current.version) return candidate.version > current.version;
  if (candidate.recordedAt !== current.recordedAt) return candidate.recordedAt > current.recordedAt;
  return candidate.id > current.id;
}

/** The latest version of each record key stored at or before `knownAtMillis` (all when undefined). */
export function selectKnownVersions(
  records: readonly SourceRecord[],
  knownAtMillis: number | undefined,
): SourceRecord[] {
  const latest = new Map<string, SourceRecord>();
  for (const record of records) {
    if (knownAtMillis !== undefined) {
      const recordedAt = Date.parse(record.recordedAt);
      if (Number.isNaN(recordedAt)) {
        throw LifecycleErrors.invalidRecord.create(
          formatCitation(record),
          "recordedAt",
          "is not a timestamp",
        );
      }
      if (recordedAt > knownAtMillis) continue;
    }
    const key = `${record.feed}\u0000${record.recordKey}`;
    const current = latest.get(key);
    if (current === undefined || isLaterVersion(record, current)) latest.set(key, record);
  }
  return [...latest.values()];
}

class RecordReader {
  constructor(private readonly record: SourceRecord) {}

  private fail(field: string, problem: string): never {
    throw LifecycleErrors.invalidRecord.create(formatCitation(this.record), field, problem);
  }

  text(field: string): string | null {
    const value: FieldValue | undefined = this.record.fields[field];
    if (value === undefined || value === null) return null;
    return String(value);
  }

  requiredText(field: string): string {
    return this.text(field) ?? this.fail(field, "is required but missing");
  }

  oneOf(field: string, allowed: readonly string[]): string {
    const value = this.requiredText(field);
    if (!allowed.includes(value)) this.fail(field, `is "${value}", not one of ${allowed.join(", ")}`);
    return value;
  }

  date(field: string): { day: DayNumber; text: string } | null {
    const text = this.text(field);
    if (text === null) return null;
    const day = parseDayNumber(text);
    if (day === undefined) this.fail(field, `is "${text}", not a date YYYY-MM-DD`);
    return { day, text };
  }

  requiredDate(field: string): { day: DayNumber; text: string } {
    return this.date(field) ?? this.fail(field, "is required but missing");
  }

  flag(field: string): boolean {
    return this.text(field) === "Y";
  }
}

const byDateThenOrder =
  (order: (event: never) => number) =>
  (left: Cited, right: Cited): number =>
    left.day - right.day ||
    order(left as never) - order(right as never) ||
    (left.key < right.key ? -1 : left.key > right.key ? 1 : 0);

// Comparators are built once: closures created per call cost a `__name` call each under tsx.
const byDate = byDateThenOrder(() => 0);
const benefitOrder = byDateThenOrder((event: BenefitEvent) => BENEFIT_EVENTS.indexOf(event.event));
const courtOrder = byDateThenOrder((event: CourtEvent) => COURT_EVENTS.indexOf(event.eventType));
const custodyOrder = byDateThenOrder((event: CustodyEvent) => CUSTODY_EVENTS.indexOf(event.event));
const travelDocumentOrder = byDateThenOrder((event: TravelDocumentEvent) =>
  TRAVEL_DOCUMENT_STATUSES.indexOf(event.status),
);

function byValueThenKey(left: Observation<string>, right: Observation<string>): number {
  if (left.value !== right.value) return left.value < right.value ? -1 : 1;
  return left.key < right.key ? -1 : left.key > right.key ? 1 : 0;
}

/** Reads the selected records into typed events dated on or before `asOfDay`. */
export function readPersonEvents(records: readonly SourceRecord[], asOfDay: DayNumber): PersonEvents {
  const events: PersonEvents = {
    admissions: [],
    entriesWithoutInspection: [],
    interiorArrests: [],
    departures: [],
    benefits: [],
    court: [],
    custody: [],
    citizenship: [],
    travelDocuments: [],
    datesOfBirth: [],
    nationalities: [],
    firstLaterDay: null,
  };
  for (const record of records) readRecord(record, asOfDay, events);
  events.admissions.sort(byDate);
  events.entriesWithoutInspection.sort(byDate);
  events.interiorArrests.sort(byDate);
  events.departures.sort(byDate);
  events.benefits.sort(benefitOrder);
  events.court.sort(courtOrder);
  events.custody.sort(custodyOrder);
  events.citizenship.sort(byDate);
  events.travelDocuments.sort(travelDocumentOrder);
  events.datesOfBirth.sort(byValueThenKey);
  events.nationalities.sort(byValueThenKey);
  return events;
}

function noteLater(events: PersonEvents, day: DayNumber): void {
  if (events.firstLaterDay === null || day < events.firstLaterDay) events.firstLaterDay = day;
}

function readRecord(record: SourceRecord, asOfDay: DayNumber, events: PersonEvents): void {
  const reader = new RecordReader(record);
  const citation = citationOf(record);
  const key = `${record.feed}:${record.recordKey}`;
  // Object literals with every field (no spreads) keep each event type one hidden class.
  switch (record.feed) {
    case "admission": {
      const admitted = reader.requiredDate("admission_date");
      if (admitted.day > asOfDay) {
        noteLater(events, admitted.day);
        return;
      }
      const admitUntilText = reader.requiredText("admit_until");
      events.admissions.push({
        day: admitted.day,
        date: admitted.text,
        citation,
        key,
        classOfAdmission: reader.requiredText("class_of_admission").toUpperCase(),
        admitUntilDay: admitUntilText === "D/S" ? null : reader.requiredDate("admit_until").day,
        admitUntilText,
      });
      break;
    }
    case "encounter": {
      const encounter = reader.requiredDate("event_date");
      const entry = reader.date("entry_date") ?? encounter;
      // The entry is an event on its own date; the encounter only documents it (valid time).
      if (entry.day > asOfDay) {
        noteLater(events, entry.day);
        return;
      }
      if (reader.flag("entry_without_inspection")) {
        events.entriesWithoutInspection.push({
          day: entry.day,
          date: entry.text,
          citation,
          key,
          encounterDay: encounter.day,
        });
      }
      if (reader.text("encounter_type") === "interior_arrest") {
        if (encounter.day > asOfDay) noteLater(events, encounter.day);
        else events.interiorArrests.push({ day: encounter.day, date: encounter.text, citation, key });
      }
      break;
    }
    case "departure": {
      const departed = reader.requiredDate("departure_date");
      if (departed.day > asOfDay) {
        noteLater(events, departed.day);
        return;
      }
      events.departures.push({
        day: departed.day,
        date: departed.text,
        citation,
        key,
        evidence: reader.requiredText("evidence"),
      });
      break;
    }
    case "benefit": {
      const happened = reader.requiredDate("event_date");
      if (happened.day > asOfDay) {
        noteLater(events, happened.day);
        return;
      }
      events.benefits.push({
        day: happened.day,
        date: happened.text,
        citation,
        key,
        receiptNumber: reader.requiredText("receipt_number"),
        formType: reader.oneOf("form_type", BENEFIT_FORMS),
        event: reader.oneOf("event", BENEFIT_EVENTS),
        validFromDay: reader.date("valid_from")?.day ?? null,
        validToDay: reader.date("valid_to")?.day ?? null,
      });
      break;
    }
    case "court": {
      const happened = reader.requiredDate("event_date");
      if (happened.day > asOfDay) {
        noteLater(events, happened.day);
        return;
      }
      const noticeServed = reader.text("notice_served");
      events.court.push({
        day: happened.day,
        date: happened.text,
        citation,
        key,
        caseId: reader.requiredText("case_id"),
        caseType: reader.requiredText("case_type").toUpperCase(),
        eventType: reader.oneOf("event_type", COURT_EVENTS),
        outcome: reader.text("outcome"),
        reliefType: reader.text("relief_type")?.toLowerCase() ?? null,
        inAbsentia: reader.flag("in_absentia"),
        appealWaived: reader.flag("appeal_waived"),
        certified: reader.flag("certified"),
        noticeServed:
          noticeServed === "Y" || noticeServed === "N" || noticeServed === "U" ? noticeServed : null,
        deadlineDay: reader.date("deadline")?.day ?? null,
        destinationCountry: reader.text("destination_country"),
        withholdingCountry: reader.text("withholding_country"),
      });
      break;
    }
    case "custody": {
      const happened = reader.requiredDate("event_date");
      if (happened.day > asOfDay) {
        noteLater(events, happened.day);
        return;
      }
      const custody: CustodyEvent = {
        day: happened.day,
        date: happened.text,
        citation,
        key,
        bookingId: reader.requiredText("booking_id"),
        event: reader.oneOf("event", CUSTODY_EVENTS),
        reason: reader.text("reason"),
        facilityCode: reader.requiredText("facility_code"),
      };
      events.custody.push(custody);
      // A book-out for removal is ICE's record that the removal was executed (DOMAIN.md §1.8 tier
      // 2): a departure on that day, whether or not a departure record of it arrives.
      if (custody.event === "book_out" && custody.reason?.toLowerCase() === "removed") {
        events.departures.push({
          day: custody.day,
          date: custody.date,
          citation,
          key,
          evidence: "removal_executed",
        });
      }
      break;
    }
    case "citizenship": {
      const effective = reader.requiredDate("effective_date");
      const basis = reader.requiredText("basis");
      // A citizen at birth was one on every as-of date: the record counts whatever its effective
      // date, from the date of birth it gives (from its effective date when it gives none).
      const atBirth = CITIZEN_AT_BIRTH.has(basis);
      if (!atBirth && effective.day > asOfDay) {
        noteLater(events, effective.day);
        return;
      }
      const born = atBirth ? reader.date("date_of_birth") : null;
      const holdsFrom = born !== null && born.day < effective.day ? born : effective;
      events.citizenship.push({
        day: holdsFrom.day,
        date: holdsFrom.text,
        citation,
        key,
        basis,
        effectiveDate: effective.text,
      });
      break;
    }
    case "travel_document": {
      const happened = reader.requiredDate("event_date");
      if (happened.day > asOfDay) {
        noteLater(events, happened.day);
        return;
      }
      events.travelDocuments.push({
        day: happened.day,
        date: happened.text,
        citation,
        key,
        travelDocumentId: reader.requiredText("td_id"),
        country: reader.requiredText("country"),
        status: reader.oneOf("status", TRAVEL_DOCUMENT_STATUSES),
        validToDay: reader.date("valid_to")?.day ?? null,
      });
      break;
    }
    case "visa":
    case "conviction": {
      // No lifecycle event, but their person fields (date of birth, nationality) are evidence.
      const dated = reader.date(record.feed === "visa" ? "issue_date" : "disposition_date");
      if (dated !== null && dated.day > asOfDay) {
        noteLater(events, dated.day);
        return;
      }
      break;
    }
    case "flight":
      return;
  }
  const dateOfBirth = reader.text("date_of_birth");
  if (dateOfBirth !== null) events.datesOfBirth.push({ value: dateOfBirth, citation, key });
  const nationality = reader.text("nationality");
  if (nationality !== null) events.nationalities.push({ value: nationality, citation, key });
  const passportCountry = reader.text("passport_country");
  if (passportCountry !== null) events.nationalities.push({ value: passportCountry, citation, key });
}
