/**
 * The ingest contract of SOURCES.md as data: every feed, its key, and each field's type.
 * Ingest, the synthetic generator, linkage and the lifecycle engine all read this one table.
 */
export const FEEDS = [
  "visa",
  "admission",
  "departure",
  "benefit",
  "court",
  "custody",
  "encounter",
  "conviction",
  "citizenship",
  "travel_document",
  "flight",
] as const;
export type Feed = (typeof FEEDS)[number];

/** How a field's text is parsed and normalised (see normalise-field.ts). */
export type FieldType =
  | { kind: "key" }
  | { kind: "text" }
  | { kind: "name" }
  | { kind: "date" }
  | { kind: "timestamp" }
  | { kind: "date_or_ds" }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "country" }
  | { kind: "a_number" }
  | { kind: "i94_number" }
  | { kind: "receipt_number" }
  | { kind: "passport_number" }
  | { kind: "opaque_id" }
  | { kind: "offense_code" }
  /** An institutional code (a removal hub): trimmed and upper-cased, as countries are. */
  | { kind: "hub_code" }
  | { kind: "integer"; min?: number }
  | { kind: "decimal"; min?: number };

export interface FieldDefinition {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  readonly description: string;
}

export interface FeedSchema {
  readonly feed: Feed;
  /** The key field; a `FEED:KEY` reference names a record by this field's value. */
  readonly keyField: string;
  /** Feeds with one row per event carry a second key component (SOURCES.md "(+ field)"). */
  readonly keySecondField: string | undefined;
  /** Whether the feed describes a person (all but `flight`), and so takes part in linkage. */
  readonly aboutPerson: boolean;
  readonly fields: readonly FieldDefinition[];
  readonly fieldsByName: ReadonlyMap<string, FieldDefinition>;
}

const YES_NO = ["Y", "N"] as const;
const YES_NO_UNKNOWN = ["Y", "N", "U"] as const;

const enumOf = (values: readonly string[]): FieldType => ({ kind: "enum", values });
const field = (name: string, type: FieldType, description: string, required = false): FieldDefinition => ({
  name,
  type,
  required,
  description,
});

/** Person fields that appear in most feeds (all optional unless a feed marks one required). */
export const PERSON_FIELDS: readonly FieldDefinition[] = [
  field("family_name", { kind: "name" }, "Family name as written in the source"),
  field("given_names", { kind: "name" }, "Given names as written in the source"),
  field(
    "date_of_birth",
    { kind: "date" },
    "Date of birth (evidence, not truth: may be swapped or a placeholder)",
  ),
  field("sex", enumOf(["M", "F", "X", "U"]), "Sex as recorded"),
  field("country_of_birth", { kind: "country" }, "Country of birth, ISO 3166-1 alpha-3"),
  field("nationality", { kind: "country" }, "Nationality, ISO 3166-1 alpha-3"),
  field("a_number", { kind: "a_number" }, "Alien registration number, normalised to 9 digits"),
  field("passport_number", { kind: "passport_number" }, "Passport number (meaningful only with its country)"),
  field("passport_country", { kind: "country" }, "Passport issuing country, ISO 3166-1 alpha-3"),
  field("i94_number", { kind: "i94_number" }, "I-94 admission record number, 11 characters"),
  field("fin", { kind: "opaque_id" }, "Opaque cross-reference to a fingerprint record; never interpreted"),
];

const requirePersonFields = (...required: string[]): FieldDefinition[] =>
  PERSON_FIELDS.map((definition) =>
    required.includes(definition.name) ? { ...definition, required: true } : definition,
  );

function schema(
  feed: Feed,
  keyField: string,
  keySecondField: string | undefined,
  fields: FieldDefinition[],
  aboutPerson = true,
): FeedSchema {
  const seen = new Map<string, FieldDefinition>();
  for (const definition of fields) seen.set(definition.name, definition);
  return { feed, keyField, keySecondField, aboutPerson, fields: [...seen.values()], fieldsByName: seen };
}

export const FEED_SCHEMAS: Readonly<Record<Feed, FeedSchema>> = Object.freeze({
  visa: schema("visa", "visa_id", undefined, [
    field("visa_id", { kind: "key" }, "Visa record identifier", true),
    ...PERSON_FIELDS,
    field("visa_class", { kind: "text" }, "Visa class (B1/B2, F1, H1B, ...)", true),
    field("issue_date", { kind: "date" }, "Issue date", true),
    field("expiry_date", { kind: "date" }, "Expiry date", true),
    field("issuing_post", { kind: "text" }, "Consular post that issued the visa (an institutional place)"),
  ]),
  admission: schema("admission", "i94_number", undefined, [
    ...PERSON_FIELDS,
    field("i94_number", { kind: "i94_number" }, "I-94 admission record number, 11 characters", true),
    field("class_of_admission", { kind: "text" }, "Class of admission (B2, WT, F1, H1B, ...)", true),
    field("admission_date", { kind: "date" }, "Date of admission", true),
    field("admit_until", { kind: "date_or_ds" }, "Admit-until date, or D/S (duration of status)", true),
    field("port_of_entry", { kind: "text" }, "Port of entry (an institutional place)"),
  ]),
  departure: schema("departure", "departure_id", undefined, [
    field("departure_id", { kind: "key" }, "Departure record identifier", true),
    ...PERSON_FIELDS,
    field("departure_date", { kind: "date" }, "Date of departure", true),
    field("port", { kind: "text" }, "Port of departure (an institutional place)"),
    field("mode", enumOf(["air", "land", "sea"]), "Mode of travel", true),
    field(
      "evidence",
      enumOf(["carrier_manifest", "land_exchange", "removal_executed", "vd_verified", "self_report"]),
      "Evidence tier of the departure record",
      true,
    ),
    field("reported_at", { kind: "timestamp" }, "When the departure was reported", true),
  ]),
  benefit: schema("benefit", "receipt_number", "event", [
    field("receipt_number", { kind: "receipt_number" }, "USCIS receipt number (3 letters + 10 digits)", true),
    ...PERSON_FIELDS,
    field(
      "form_type",
      enumOf(["I-589", "I-485", "I-821", "I-821D", "I-914", "I-918", "I-360", "I-539", "I-246", "N-400"]),
      "Form filed",
      true,
    ),
    field(
      "event",
      enumOf(["filed", "approved", "denied", "withdrawn", "referred", "terminated", "revoked"]),
      "Event on the application",
      true,
    ),
    field("event_date", { kind: "date" }, "Date of the event", true),
    field("valid_from", { kind: "date" }, "Start of the granted period"),
    field("valid_to", { kind: "date" }, "End of the granted period"),
  ]),
  court: schema("court", "court_event_id", undefined, [
    field("court_event_id", { kind: "key" }, "Court event identifier", true),
    ...requirePersonFields("a_number"),
    field("case_id", { kind: "opaque_id" }, "Court case identifier", true),
    field("case_type", { kind: "text" }, "EOIR case type (RMV, AOC, WHO, CFR, ...)", true),
    field(
      "event_type",
      enumOf([
        "nta_filed",
        "hearing",
        "decision",
        "appeal_filed",
        "appeal_decided",
        "motion_filed",
        "motion_decided",
        "stay_granted",
        "stay_lifted",
      ]),
      "Court event type",
      true,
    ),
    field("event_date", { kind: "date" }, "Date of the event", true),
    field(
      "outcome",
      enumOf([
        "removal_ordered",
        "vd_with_alternate_order",
        "relief_granted",
        "terminated",
        "admin_closed",
        "dismissed",
        "sustained",
        "remanded",
        "granted",
        "denied",
      ]),
      "Outcome of a decision or motion",
    ),
    field(
      "relief_type",
      { kind: "text" },
      "Relief granted or sought (asylum, withholding, cat, cancellation, ...)",
    ),
    field("in_absentia", enumOf(YES_NO), "Whether the order was entered in absentia"),
    field(
      "appeal_waived",
      enumOf(YES_NO),
      "Whether the respondent waived appeal of the decision (8 CFR 1241.1(b))",
    ),
    field(
      "certified",
      enumOf(YES_NO),
      "Whether an appeal event is a certification to the BIA (8 CFR 1241.1(d))",
    ),
    field("notice_served", enumOf(YES_NO_UNKNOWN), "Whether written notice of the hearing was served"),
    field("deadline", { kind: "date" }, "Deadline set by the event (e.g. voluntary departure)"),
    field("destination_country", { kind: "country" }, "Country of removal designated by the order"),
    field("withholding_country", { kind: "country" }, "Country to which removal is withheld"),
  ]),
  custody: schema("custody", "booking_id", "event", [
    field("booking_id", { kind: "key" }, "Booking identifier", true),
    ...requirePersonFields("a_number"),
    field("facility_code", { kind: "text" }, "Custody facility code (an institutional place)", true),
    field("event", enumOf(["book_in", "book_out", "transfer"]), "Custody event", true),
    field("event_date", { kind: "date" }, "Date of the event", true),
    field(
      "reason",
      enumOf(["released", "removed", "bond", "osup", "transferred"]),
      "Reason for a book-out or transfer",
    ),
  ]),
  encounter: schema("encounter", "encounter_id", undefined, [
    field("encounter_id", { kind: "key" }, "Encounter identifier", true),
    ...PERSON_FIELDS,
    field(
      "encounter_type",
      enumOf(["border_apprehension", "inadmissible_at_port", "interior_arrest"]),
      "Encounter type",
      true,
    ),
    field("event_date", { kind: "date" }, "Date of the encounter", true),
    field("entry_date", { kind: "date" }, "Estimated date of unlawful entry"),
    field(
      "entry_without_inspection",
      enumOf(YES_NO_UNKNOWN),
      "Whether the person entered without inspection",
    ),
  ]),
  conviction: schema("conviction", "disposition_id", undefined, [
    field("disposition_id", { kind: "key" }, "Court disposition identifier", true),
    ...requirePersonFields("date_of_birth"),
    field("offense_code", { kind: "offense_code" }, "Offense code from the controlled list", true),
    field("offense_level", enumOf(["felony", "misdemeanor", "infraction"]), "Offense level", true),
    field("aggravated_felony", enumOf(YES_NO_UNKNOWN), "Aggravated felony under INA 101(a)(43)"),
    field(
      "disposition",
      enumOf(["convicted", "acquitted", "dismissed", "vacated", "expunged"]),
      "Disposition",
      true,
    ),
    field("disposition_date", { kind: "date" }, "Date of the disposition", true),
    field("sentence_days", { kind: "integer", min: 0 }, "Sentence in days"),
    field("jurisdiction", { kind: "text" }, "Jurisdiction of the court"),
  ]),
  citizenship: schema("citizenship", "certificate_id", undefined, [
    field("certificate_id", { kind: "key" }, "Certificate or verification identifier", true),
    ...requirePersonFields("date_of_birth"),
    field(
      "basis",
      enumOf(["naturalized", "derived", "acquired", "birth_abroad", "verified_claim"]),
      "Basis of citizenship",
      true,
    ),
    field("effective_date", { kind: "date" }, "Date citizenship took effect", true),
  ]),
  travel_document: schema("travel_document", "td_id", "status", [
    field("td_id", { kind: "key" }, "Travel document request identifier", true),
    field("a_number", { kind: "a_number" }, "Alien registration number, normalised to 9 digits", true),
    field("country", { kind: "country" }, "Country asked to issue the document", true),
    field("status", enumOf(["requested", "issued", "refused", "expired"]), "Status of the request", true),
    field("event_date", { kind: "date" }, "Date of the status", true),
    field("valid_to", { kind: "date" }, "Last day the document is valid"),
  ]),
  flight: schema(
    "flight",
    "flight_id",
    undefined,
    [
      field("flight_id", { kind: "key" }, "Flight identifier", true),
      field("date", { kind: "date" }, "Flight date", true),
      field(
        "origin_hub",
        { kind: "hub_code" },
        "Origin hub code (an institutional place), upper-cased",
        true,
      ),
      field("destination_country", { kind: "country" }, "Destination country", true),
      field("destination_port", { kind: "text" }, "Destination airport"),
      field("seats", { kind: "integer", min: 0 }, "Seats available for removal", true),
      field("cost", { kind: "decimal", min: 0 }, "Cost of the flight in US dollars", true),
    ],
    false,
  ),
});

export function isFeed(value: string): value is Feed {
  return (FEEDS as readonly string[]).includes(value);
}
