import { FEED_SCHEMAS, type Feed } from "../../feeds/feed-schemas.ts";
import type { FieldValue } from "../../feeds/normalise-field.ts";
import { citationOf, type RecordCitation, type SourceRecord } from "../../records/source-record.ts";

/**
 * Builders of normalised source records for lifecycle tests and benchmarks: the fields a feed
 * requires get plain defaults, the caller gives what the scenario is about.
 */

export interface RecordOptions {
  readonly version?: number;
  /** When the version was stored (record time); default 2000-01-01. */
  readonly recordedAt?: string;
}

type Fields = Record<string, FieldValue>;

export const TEST_A_NUMBER = "012345678";

/** A source record of `feed` with these normalised fields; its key follows the feed's schema. */
export function recordOf(feed: Feed, fields: Fields, options: RecordOptions = {}): SourceRecord {
  const schema = FEED_SCHEMAS[feed];
  const keyValue = String(fields[schema.keyField]);
  const recordKey =
    schema.keySecondField === undefined ? keyValue : `${keyValue}|${fields[schema.keySecondField]}`;
  const version = options.version ?? 1;
  return {
    id: `${feed}:${recordKey}@v${version}`,
    feed,
    keyValue,
    recordKey,
    version,
    fields,
    recordedAt: options.recordedAt ?? "2000-01-01T00:00:00.000Z",
  };
}

export const admissionRecord = (
  i94Number: string,
  classOfAdmission: string,
  admissionDate: string,
  admitUntil: string,
  extra: Fields = {},
  options?: RecordOptions,
) =>
  recordOf(
    "admission",
    {
      i94_number: i94Number,
      class_of_admission: classOfAdmission,
      admission_date: admissionDate,
      admit_until: admitUntil,
      ...extra,
    },
    options,
  );

export const departureRecord = (
  departureId: string,
  departureDate: string,
  evidence: string,
  extra: Fields = {},
  options?: RecordOptions,
) =>
  recordOf(
    "departure",
    {
      departure_id: departureId,
      departure_date: departureDate,
      mode: "air",
      evidence,
      reported_at: `${departureDate}T12:00:00.000Z`,
      ...extra,
    },
    options,
  );

export const benefitRecord = (
  receiptNumber: string,
  formType: string,
  event: string,
  eventDate: string,
  extra: Fields = {},
  options?: RecordOptions,
) =>
  recordOf(
    "benefit",
    { receipt_number: receiptNumber, form_type: formType, event, event_date: eventDate, ...extra },
    options,
  );

export const courtRecord = (
  courtEventId: string,
  caseId: string,
  eventType: string,
  eventDate: string,
  extra: Fields = {},
  options?: RecordOptions,
) =>
  recordOf(
    "court",
    {
      court_event_id: courtEventId,
      a_number: TEST_A_NUMBER,
      case_id: caseId,
      case_type: "RMV",
      event_type: eventType,
      event_date: eventDate,
      ...extra,
    },
    options,
  );

export const custodyRecord = (
  bookingId: string,
  event: string,
  eventDate: string,
  extra: Fields = {},
  options?: RecordOptions,
) =>
  recordOf(
    "custody",
    {
      booking_id: bookingId,
      a_number: TEST_A_NUMBER,
      facility_code: "FAC-01",
      event,
      event_date: eventDate,
      ...extra,
    },
    options,
  );

export const encounterRecord = (
  encounterId: string,
  encounterType: string,
  eventDate: string,
  extra: Fields = {},
  options?: RecordOptions,
) =>
  recordOf(
    "encounter",
    { encounter_id: encounterId, encounter_type: encounterType, event_date: eventDate, ...extra },
    options,
  );

export const citizenshipRecord = (
  certificateId: string,
  basis: string,
  effectiveDate: string,
  extra: Fields = {},
  options?: RecordOptions,
) =>
  recordOf(
    "citizenship",
    {
      certificate_id: certificateId,
      date_of_birth: "1980-05-05",
      basis,
      effective_date: effectiveDate,
      ...extra,
    },
    options,
  );

export const travelDocumentRecord = (
  travelDocumentId: string,
  status: string,
  eventDate: string,
  extra: Fields = {},
  options?: RecordOptions,
) =>
  recordOf(
    "travel_document",
    {
      td_id: travelDocumentId,
      a_number: TEST_A_NUMBER,
      country: "MEX",
      status,
      event_date: eventDate,
      ...extra,
    },
    options,
  );

/** The citation of a record, as a status cites it. */
export const cite = (record: SourceRecord): RecordCitation => citationOf(record);

/**
 * A person who entered without inspection (an interior arrest on 2021-03-01) and is in removal
 * proceedings in case K-1 (NTA 2023-01-10, a hearing 2023-06-01): the start of many court scenarios.
 */
export const ewiInProceedings = (nationality = "SLV") => [
  encounterRecord("E-1", "interior_arrest", "2021-03-01", {
    entry_without_inspection: "Y",
    nationality,
  }),
  courtRecord("C-1", "K-1", "nta_filed", "2023-01-10"),
  courtRecord("C-2", "K-1", "hearing", "2023-06-01"),
];
