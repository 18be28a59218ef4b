import { appendOutboxEvents, type DatabaseHandle, executeSql } from "@passage/store";
import type { RowIngestor } from "../../ingest/row-ingestor.ts";
import { personsChangedEvents } from "../../linkage/identity-issues.ts";

/** A date `days` after `base` (negative: before), YYYY-MM-DD. */
export function dayFrom(base: string, days: number): string {
  const date = new Date(`${base}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** What a test person's records say, relative to `asOf`. */
export interface RemovalCaseOptions {
  /** Unique per person: used in every key and identifier. */
  readonly number: number;
  readonly asOf: string;
  /** The order's destination (default GTM). */
  readonly destination?: string;
  readonly custody?: { readonly facility: string; readonly sinceDays: number } | undefined;
  readonly travelDocument?:
    | { readonly country: string; readonly issuedDays: number; readonly validToDays: number }
    | undefined;
  readonly aggravatedFelony?: boolean;
}

type Row = Record<string, string>;

/**
 * Feed rows of a person under a final removal order: admitted long ago, overstayed, charged,
 * ordered removed (not appealed, notice served), optionally detained, holding a travel document,
 * or convicted of an aggravated felony.
 */
export function removalCaseRows(options: RemovalCaseOptions): Array<[string, Row]> {
  const { number, asOf } = options;
  const day = (days: number) => dayFrom(asOf, days);
  const aNumber = `A${String(200_000_000 + number)}`;
  const person = {
    family_name: `Testperson${number}`,
    given_names: "Ana",
    date_of_birth: "1985-05-05",
    a_number: aNumber,
  };
  const rows: Array<[string, Row]> = [
    [
      "admission",
      {
        ...person,
        i94_number: `9${String(number).padStart(10, "0")}`,
        class_of_admission: "B2",
        admission_date: day(-2000),
        admit_until: day(-1820),
        port_of_entry: "MIA",
      },
    ],
    [
      "court",
      {
        ...person,
        court_event_id: `CE-${number}-1`,
        case_id: `C-${number}`,
        case_type: "RMV",
        event_type: "nta_filed",
        event_date: day(-400),
      },
    ],
    [
      "court",
      {
        ...person,
        court_event_id: `CE-${number}-2`,
        case_id: `C-${number}`,
        case_type: "RMV",
        event_type: "decision",
        event_date: day(-300),
        outcome: "removal_ordered",
        in_absentia: "N",
        notice_served: "Y",
        destination_country: options.destination ?? "GTM",
      },
    ],
  ];
  if (options.custody) {
    rows.push([
      "custody",
      {
        ...person,
        booking_id: `B-${number}`,
        facility_code: options.custody.facility,
        event: "book_in",
        event_date: day(options.custody.sinceDays),
      },
    ]);
  }
  if (options.travelDocument) {
    rows.push([
      "travel_document",
      {
        td_id: `TD-${number}`,
        a_number: aNumber,
        country: options.travelDocument.country,
        status: "issued",
        event_date: day(options.travelDocument.issuedDays),
        valid_to: day(options.travelDocument.validToDays),
      },
    ]);
  }
  if (options.aggravatedFelony) {
    rows.push([
      "conviction",
      {
        ...person,
        disposition_id: `D-${number}`,
        offense_code: "ROBBERY",
        offense_level: "felony",
        aggravated_felony: "Y",
        disposition: "convicted",
        disposition_date: day(-800),
        sentence_days: "1095",
      },
    ]);
  }
  return rows;
}

/** A stay of removal granted by the court `days` from `asOf` (negative: before). */
export function stayRow(number: number, asOf: string, days: number): [string, Row] {
  return [
    "court",
    {
      family_name: `Testperson${number}`,
      given_names: "Ana",
      date_of_birth: "1985-05-05",
      a_number: `A${String(200_000_000 + number)}`,
      court_event_id: `CE-${number}-stay`,
      case_id: `C-${number}`,
      case_type: "RMV",
      event_type: "stay_granted",
      event_date: dayFrom(asOf, days),
    },
  ];
}

/** The key value a row is linked by (its feed's key field). */
const KEY_FIELDS: Readonly<Record<string, string>> = {
  admission: "i94_number",
  benefit: "receipt_number",
  court: "court_event_id",
  custody: "booking_id",
  travel_document: "td_id",
  conviction: "disposition_id",
  departure: "departure_id",
  flight: "flight_id",
};

/**
 * Ingests the rows and links them to `personId` as linkage would (person and person_member
 * rows, then a PersonsChanged event), so the lifecycle handler derives the person.
 */
export async function ingestPerson(
  database: DatabaseHandle,
  ingestor: RowIngestor,
  personId: string,
  rows: ReadonlyArray<[string, Row]>,
): Promise<void> {
  for (const [feed, row] of rows) {
    const outcome = await ingestor.ingest(feed, row);
    if (outcome.outcome === "rejected") throw new Error(`row rejected: ${JSON.stringify(outcome)}`);
  }
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1) ON CONFLICT DO NOTHING", [
    personId,
  ]);
  for (const [feed, row] of rows) {
    await executeSql(
      database.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [feed, row[KEY_FIELDS[feed]!], personId],
    );
  }
  await rederivePersons(database, [personId]);
}

/**
 * Has the lifecycle handler derive these persons again: the PersonsChanged linkage appends after
 * changing their membership (a test that writes person_member itself appends it so).
 */
export async function rederivePersons(database: DatabaseHandle, personIds: readonly string[]): Promise<void> {
  await database.db
    .transaction()
    .execute((transaction) =>
      appendOutboxEvents(transaction, personsChangedEvents(personIds, [], "record_linked")),
    );
}
