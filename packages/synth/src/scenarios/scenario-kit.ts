import { addMonths, addYears, type DayNumber, dayOf, isoDate } from "../calendar/day-number.ts";
import { isBusinessDay } from "../calendar/federal-holidays.ts";
import { NATIONALITY_PROFILES } from "../names/nationality-profiles.ts";
import type { SeededRandom } from "../random/seeded-random.ts";
import type { PersonFeed } from "../records/feed-profiles.ts";
import type { IdentifierFactory, KeyKind } from "../records/identifier-factory.ts";
import type { Identity } from "../records/identity.ts";
import type { RecordDraft, SourceRow } from "../records/record-draft.ts";
import type { TruthBuilder } from "../truth/truth-builder.ts";
import { recordBenefitMeaning } from "./benefit-meaning.ts";
import { CourtCase } from "./court-case.ts";
import { drawDisposition } from "./draw-disposition.ts";
import { AIR_PORTS, CUSTODY_FACILITIES, LAND_PORTS } from "./places.ts";

/** The current stay (lifecycle-semantics §1): how it began and, for fixed-date admissions, until when. */
interface Stay {
  readonly entry: DayNumber;
  readonly kind: "admission" | "ewi";
  admitUntil: DayNumber | "D/S" | null;
  readonly i94: string | null;
}

/** Electronic I-94 numbers took the 9 digits + letter + digit form in May 2019 (DOMAIN.md §1.2). */
const ALPHANUMERIC_I94_SINCE = dayOf("2019-05-01");

/** Forms whose filing opens an A-file, so later records can cite an A-number. */
const A_FILE_FORMS = new Set([
  "I-589",
  "I-485",
  "I-821",
  "I-821D",
  "I-914",
  "I-918",
  "I-360",
  "I-246",
  "N-400",
]);

/** What a scenario kit is built from. */
export interface ScenarioKitOptions {
  readonly random: SeededRandom;
  readonly asOf: DayNumber;
  readonly identity: Identity;
  readonly ids: IdentifierFactory;
  readonly truth: TruthBuilder;
}

/**
 * The acts a scenario scripts a life with. Each act writes the rows a source system would hold
 * and records what it means for the truth (overlays, grants, the current stay). Every event is
 * dated on or before the reference date `asOf`.
 */
export class ScenarioKit {
  readonly random: SeededRandom;
  readonly asOf: DayNumber;
  readonly identity: Identity;
  readonly truth: TruthBuilder;
  readonly drafts: RecordDraft[] = [];
  private readonly ids: IdentifierFactory;
  private readonly slots = new Map<string, number>();
  stay: Stay | null = null;
  /** The first day the person was in the United States (for convictions), if ever. */
  presentSince: DayNumber | null = null;
  /** The first day a record opened an A-file. */
  aNumberSince: DayNumber | null = null;
  /**
   * Whether the scenario fixed the birth date (`fixBirth`). Until it does, the birth date is a
   * placeholder that the generator redraws after the scenario, at least 16 years before the first event.
   */
  birthFixed = false;
  /** Whether an immigration judge granted this person cancellation of removal (no barring conviction may follow). */
  cancellationGranted = false;

  constructor(options: ScenarioKitOptions) {
    this.random = options.random;
    this.asOf = options.asOf;
    this.identity = options.identity;
    this.ids = options.ids;
    this.truth = options.truth;
  }

  /**
   * Fixes the person's birth date. No record may predate it: a record already scripted before
   * `day` is a scenario bug, and later records are checked as they are added (`emit`).
   */
  fixBirth(day: DayNumber): void {
    for (const draft of this.drafts)
      if (draft.day < day)
        throw new Error(
          `scenario bug: ${draft.feed} row dated ${isoDate(draft.day)} before the birth date ${isoDate(day)}`,
        );
    if (this.presentSince !== null && this.presentSince < day)
      throw new Error(
        `scenario bug: present since ${isoDate(this.presentSince)}, before birth on ${isoDate(day)}`,
      );
    this.identity.birthDay = day;
    this.birthFixed = true;
  }

  /** `day`, or the birth date if the scenario fixed one after `day` (no record predates its person). */
  notBeforeBirth(day: DayNumber): DayNumber {
    return this.birthFixed ? Math.max(day, this.identity.birthDay) : day;
  }

  /** A day between `min` and `max` days before the reference date. */
  daysAgo(min: number, max: number): DayNumber {
    return this.asOf - this.random.between(min, max);
  }

  /** A business day (courts sit on them) about `min` to `max` days before the reference date, rolled back. */
  courtDaysAgo(min: number, max: number): DayNumber {
    let day = this.daysAgo(min, max);
    while (!isBusinessDay(day)) day -= 1;
    return day;
  }

  /** A business day in [from, to], or `from` if the range holds none. */
  businessDayBetween(from: DayNumber, to: DayNumber): DayNumber {
    let day = this.random.between(from, Math.max(from, to));
    while (day > from && !isBusinessDay(day)) day -= 1;
    if (isBusinessDay(day)) return day;
    for (let candidate = from; candidate <= to; candidate++) if (isBusinessDay(candidate)) return candidate;
    return from;
  }

  /** The next key of a kind for this person. */
  key(kind: KeyKind): string {
    return this.ids.key(kind, this.identity.index, this.nextSlot(kind));
  }

  private nextSlot(kind: string): number {
    const slot = this.slots.get(kind) ?? 0;
    this.slots.set(kind, slot + 1);
    return slot;
  }

  /** Adds one row; `extras` say which identifiers it may cite. */
  emit(
    feed: PersonFeed,
    key: string,
    day: DayNumber,
    fields: SourceRow,
    extras?: { readonly i94?: string | undefined; readonly withANumber?: boolean },
  ): void {
    if (day > this.asOf)
      throw new Error(`scenario bug: ${feed} row dated ${isoDate(day)} after the reference date`);
    if (this.birthFixed && day < this.identity.birthDay)
      throw new Error(
        `scenario bug: ${feed} row dated ${isoDate(day)} before the birth date ${isoDate(this.identity.birthDay)}`,
      );
    // One object shape for every draft (no spread of optional extras): rendering reads millions.
    this.drafts.push({ feed, key, day, fields, i94: extras?.i94, withANumber: extras?.withANumber });
  }

  /** Marks the A-file opened (an enforcement encounter, a benefit, a court case). */
  openAFile(day: DayNumber): void {
    if (this.aNumberSince === null || day < this.aNumberSince) this.aNumberSince = day;
  }

  /** Marks the person present in the United States from `day` (an entry no record shows). */
  markPresent(day: DayNumber): void {
    if (this.birthFixed && day < this.identity.birthDay)
      throw new Error(
        `scenario bug: present from ${isoDate(day)}, before birth on ${isoDate(this.identity.birthDay)}`,
      );
    if (this.presentSince === null || day < this.presentSince) this.presentSince = day;
  }

  /** The person's A-number as a required field (court, custody, travel documents). */
  aNumber(): string {
    return this.ids.aNumber(this.identity.index, false);
  }

  visa(visaClass: string, issueDay: DayNumber): void {
    const years =
      visaClass === "B1/B2" ? this.random.pick([10, 10, 10, 5, 2, 1]) : this.random.pick([1, 2, 3, 5]);
    const post = this.random.pick(this.identity.nationality.consularPosts);
    const key = this.key("visa");
    this.emit("visa", key, issueDay, {
      visa_id: key,
      visa_class: visaClass,
      issue_date: isoDate(issueDay),
      expiry_date: isoDate(addYears(issueDay, years) - 1),
      issuing_post: post,
    });
    this.identity.hasPassport = true;
  }

  /** An admission (I-94); `until` is the admit-until day or D/S. Starts a new stay. */
  admit(classOfAdmission: string, day: DayNumber, until: DayNumber | "D/S", land = false): string {
    const i94 = this.ids.i94(this.identity.index, this.nextSlot("i94"), day >= ALPHANUMERIC_I94_SINCE);
    this.emit("admission", i94, day, {
      i94_number: i94,
      class_of_admission: classOfAdmission,
      admission_date: isoDate(day),
      admit_until: until === "D/S" ? "D/S" : isoDate(until),
      port_of_entry: this.random.pick(land ? LAND_PORTS : AIR_PORTS),
    });
    this.stay = { entry: day, kind: "admission", admitUntil: until, i94 };
    this.identity.hasPassport = true;
    this.markPresent(day);
    return i94;
  }

  /** A visitor's admission: WT for 90 days from Visa Waiver countries, else B2 for six months with a visa. */
  visitorAdmission(day: DayNumber): { i94: string; admitUntil: DayNumber } {
    const nationality = this.identity.nationality;
    if (nationality.visaWaiver && this.random.chance(0.8)) {
      const admitUntil = day + 89;
      return { i94: this.admit("WT", day, admitUntil), admitUntil };
    }
    // A visa is issued before the admission, but not before the person was born.
    if (nationality.code !== "CAN")
      this.visa("B1/B2", this.notBeforeBirth(day - this.random.between(20, 1500)));
    const admitUntil = addMonths(day, 6) - 1;
    const land = nationality.code === "MEX" || nationality.code === "CAN";
    return { i94: this.admit("B2", day, admitUntil, land && this.random.chance(0.6)), admitUntil };
  }

  /** A CBP or ICE encounter; with `entryWithoutInspection` Y it is an entry (lifecycle-semantics §1). */
  encounter(
    type: "border_apprehension" | "inadmissible_at_port" | "interior_arrest",
    day: DayNumber,
    options: { entryDay?: DayNumber; ewi?: "Y" | "N" | "U" | null } = {},
  ): void {
    const key = this.key("encounter");
    const fields: SourceRow = { encounter_id: key, encounter_type: type, event_date: isoDate(day) };
    if (options.entryDay !== undefined) fields.entry_date = isoDate(options.entryDay);
    if (options.ewi) fields.entry_without_inspection = options.ewi;
    this.emit("encounter", key, day, fields);
    if (type !== "inadmissible_at_port") this.openAFile(day);
    if (options.ewi === "Y") {
      const entry = options.entryDay ?? day;
      this.stay = { entry, kind: "ewi", admitUntil: null, i94: null };
      this.markPresent(entry);
    }
  }

  /** An entry without inspection, recorded by an apprehension near the border or a later interior arrest. */
  enterWithoutInspection(entryDay: DayNumber, encounterDay = entryDay + this.random.between(0, 2)): void {
    const type = encounterDay - entryDay > 30 ? "interior_arrest" : "border_apprehension";
    this.encounter(type, Math.min(encounterDay, this.asOf), { entryDay, ewi: "Y" });
    if (!this.random.chance(0.35)) this.identity.hasPassport = false;
  }

  /** A departure record. Ends the current stay; a verified one by a government record, a self-report is claimed. */
  depart(
    day: DayNumber,
    evidence: "carrier_manifest" | "land_exchange" | "removal_executed" | "vd_verified" | "self_report",
    mode?: "air" | "land" | "sea",
  ): void {
    const key = this.key("departure");
    const travel = mode ?? (evidence === "land_exchange" ? "land" : this.random.chance(0.93) ? "air" : "sea");
    const hour = this.random.between(0, 23);
    const minute = this.random.between(0, 59);
    const port = this.random.pick(travel === "land" ? LAND_PORTS : AIR_PORTS);
    const second = this.random.between(0, 59);
    const reported = Math.min(day + (evidence === "carrier_manifest" && hour > 20 ? 1 : 0), this.asOf);
    // Reported on the reference date: at its first instant, so that a population generated for today
    // holds no report time still to come (ingest rejects a timestamp after its receipt).
    const time = reported === this.asOf ? "00:00:00" : `${pad(hour)}:${pad(minute)}:${pad(second)}`;
    this.emit(
      "departure",
      key,
      day,
      {
        departure_id: key,
        departure_date: isoDate(day),
        port,
        mode: travel,
        evidence,
        reported_at: `${isoDate(reported)}T${time}Z`,
      },
      {
        i94: this.stay?.i94 || undefined,
        withANumber: evidence === "removal_executed" || evidence === "vd_verified",
      },
    );
    const stay = this.stay;
    const admitUntil =
      stay?.kind === "admission" && typeof stay.admitUntil === "number" ? stay.admitUntil : null;
    const tier = evidence === "self_report" ? "claimed" : "verified";
    // A verified departure ends the detention of the stay it ends; a claim ends none.
    if (tier === "verified") this.truth.openBooking = false;
    const corroborates =
      tier === "verified" && this.truth.departure?.tier === "claimed" && day - this.truth.departure.day <= 30;
    if (corroborates) {
      this.truth.departure = { ...this.truth.departure!, tier: "verified" };
    } else {
      this.truth.departure = {
        day,
        tier,
        overstayDays: admitUntil !== null && day > admitUntil ? day - admitUntil : null,
        admitUntil,
      };
    }
  }

  /**
   * A benefit application and its events. Records what it means: pending forms, grants with
   * their validity, confidentiality overlays (8 CFR 208.6, 8 U.S.C. 1367), DHS stays, extensions.
   */
  benefit(
    form: string,
    events: readonly { event: string; day: DayNumber; validFrom?: DayNumber; validTo?: DayNumber }[],
    extras: { i94?: string } = {},
  ): string {
    const receipt = this.ids.receipt(
      form,
      this.random.below(8),
      this.identity.index,
      this.nextSlot("receipt"),
    );
    for (const event of events) {
      const fields: SourceRow = {
        receipt_number: receipt,
        form_type: form,
        event: event.event,
        event_date: isoDate(event.day),
      };
      if (event.validFrom !== undefined) fields.valid_from = isoDate(event.validFrom);
      if (event.validTo !== undefined) fields.valid_to = isoDate(event.validTo);
      this.emit("benefit", receipt, event.day, fields, { i94: extras.i94 || undefined });
    }
    if (A_FILE_FORMS.has(form)) this.openAFile(events[0]!.day);
    recordBenefitMeaning(this.truth, this.stay, this.asOf, form, events[events.length - 1]!);
    return receipt;
  }

  /** Opens a court case (EOIR); its events are added through the returned case. */
  court(caseType = "RMV"): CourtCase {
    return new CourtCase(this, this.key("courtCase"), caseType);
  }

  /** A custody booking: book-in, optional transfer, and a book-out with its reason unless still detained. */
  custody(
    bookIn: DayNumber,
    bookOut: { day: DayNumber; reason: "released" | "removed" | "bond" | "osup" } | null,
  ): void {
    const booking = this.key("booking");
    let facility = this.random.pick(CUSTODY_FACILITIES);
    const base = (event: string, day: DayNumber): SourceRow => ({
      booking_id: booking,
      facility_code: facility,
      event,
      event_date: isoDate(day),
    });
    this.emit("custody", booking, bookIn, base("book_in", bookIn));
    const end = bookOut?.day ?? this.asOf;
    if (end - bookIn > 20 && this.random.chance(0.35)) {
      const transferDay = this.random.between(bookIn + 1, end - 1);
      facility = this.random.pick(CUSTODY_FACILITIES);
      this.emit("custody", booking, transferDay, { ...base("transfer", transferDay), reason: "transferred" });
    }
    if (bookOut !== null)
      this.emit("custody", booking, bookOut.day, {
        ...base("book_out", bookOut.day),
        reason: bookOut.reason,
      });
    this.openAFile(bookIn);
    // Detained while any booking is open (lifecycle-semantics §7), not only the latest.
    this.truth.openBooking ||= bookOut === null;
    this.truth.lastBookOutReason = bookOut?.reason ?? null;
  }

  /**
   * A criminal court disposition, drawn independently of who the person is. For a person granted
   * cancellation of removal an aggravated felony conviction is redrawn: it bars cancellation
   * (INA 240A(a)(3), (b)(1)(C)), so the grant would be impossible on the person's own records.
   */
  conviction(day: DayNumber): void {
    const key = this.key("disposition");
    let disposition = drawDisposition(this.random);
    while (this.cancellationGranted && disposition.aggravated_felony === "Y")
      disposition = drawDisposition(this.random);
    this.emit("conviction", key, day, {
      disposition_id: key,
      ...disposition,
      disposition_date: isoDate(day),
    });
  }

  /**
   * A certificate of naturalisation or citizenship, or a verified claim, recorded on `recordDay`
   * and effective on `effectiveDay` (by default the same day; at birth for citizenship acquired
   * at birth, INA 301).
   */
  citizenship(
    basis: "naturalized" | "derived" | "acquired" | "birth_abroad" | "verified_claim",
    recordDay: DayNumber,
    effectiveDay: DayNumber = recordDay,
  ): void {
    if (effectiveDay > recordDay)
      throw new Error(`scenario bug: citizenship effective ${isoDate(effectiveDay)} after it was recorded`);
    const key = this.key("certificate");
    this.emit("citizenship", key, recordDay, {
      certificate_id: key,
      basis,
      effective_date: isoDate(effectiveDay),
    });
    this.truth.citizen = true;
  }

  /** A travel-document request to the country of removal and its later statuses. */
  travelDocument(
    country: string,
    events: readonly {
      status: "requested" | "issued" | "refused" | "expired";
      day: DayNumber;
      validTo?: DayNumber;
    }[],
  ): void {
    const key = this.key("travelDocument");
    for (const event of events) {
      const fields: SourceRow = {
        td_id: key,
        a_number: this.aNumber(),
        country,
        status: event.status,
        event_date: isoDate(event.day),
      };
      if (event.validTo !== undefined) fields.valid_to = isoDate(event.validTo);
      this.emit("travel_document", key, event.day, fields);
    }
  }

  /** Another nationality than the person's (a third country of removal). */
  otherCountry(): string {
    const own = this.identity.nationality.code;
    const neighbours: Readonly<Record<string, string>> = {
      GTM: "MEX",
      HND: "MEX",
      SLV: "MEX",
      NIC: "CRI",
      VEN: "COL",
      CUB: "MEX",
      HTI: "DOM",
    };
    const preferred = neighbours[own];
    if (preferred !== undefined && this.random.chance(0.6)) return preferred;
    let other = own;
    while (other === own) other = this.random.pick(NATIONALITY_PROFILES).code;
    return other;
  }
}

/** The day of the person's first record or presence (the reference date if none). */
export function firstEventDay(kit: ScenarioKit): DayNumber {
  let first = kit.presentSince ?? kit.asOf;
  for (const draft of kit.drafts) if (draft.day < first) first = draft.day;
  return first;
}

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
