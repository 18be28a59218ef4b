import type { RecordCitation } from "../records/source-record.ts";
import { isCurrentGrant, type Receipt } from "./benefit-receipts.ts";
import { type DayNumber, formatDayNumber, parseDayNumber } from "./calendar-date.ts";
import { citationsOf, mergeCitations } from "./citations.ts";
import type { CompiledLifecycleRules } from "./compiled-lifecycle-rules.ts";
import type { CourtCase } from "./court-case.ts";
import type { CurrentStay } from "./current-stay.ts";
import { LifecycleErrors } from "./lifecycle-errors.ts";
import type { CourtEvent, CustodyEvent } from "./person-events.ts";
import type { CitizenshipClaim, CustodyFact, OverlayView, StayPeriodFact } from "./person-status.ts";
import type { Overlay } from "./vocabulary.ts";

/** Overlays (docs/lifecycle-semantics.md §7) and the stay periods and custody facts they rest on. */

export interface StayPeriod {
  readonly source: "court" | "dhs";
  readonly fromDay: DayNumber;
  readonly untilDay: DayNumber | null;
  readonly liftedDay: DayNumber | null;
  readonly evidence: readonly RecordCitation[];
}

/** Court stays of every case, and DHS stays (I-246 approved). All their events are on or before the as-of date. */
export function stayPeriodsOf(cases: readonly CourtCase[], receipts: readonly Receipt[]): StayPeriod[] {
  const periods: StayPeriod[] = [];
  for (const courtCase of cases) {
    for (const stay of courtCase.stays) {
      periods.push({
        source: "court",
        fromDay: stay.granted.day,
        untilDay: stay.untilDay,
        liftedDay: stay.liftedBy?.day ?? null,
        evidence: citationsOf(stay.granted, stay.liftedBy),
      });
    }
  }
  for (const receipt of receipts) {
    if (receipt.formType !== "I-246" || receipt.status !== "granted") continue;
    periods.push({
      source: "dhs",
      fromDay: receipt.validFromDay!,
      untilDay: receipt.validToDay,
      liftedDay: null,
      evidence: citationsOf(...receipt.events),
    });
  }
  return periods.sort(
    (left, right) => left.fromDay - right.fromDay || left.source.localeCompare(right.source),
  );
}

/** A stay is in effect from its grant until the day it is lifted, through its last day if it has one. */
export function isStayInEffect(period: StayPeriod, asOfDay: DayNumber): boolean {
  return (
    period.fromDay <= asOfDay &&
    (period.liftedDay === null || period.liftedDay > asOfDay) &&
    (period.untilDay === null || period.untilDay >= asOfDay)
  );
}

export function stayPeriodFact(period: StayPeriod, asOfDay: DayNumber): StayPeriodFact {
  return {
    source: period.source,
    from: formatDayNumber(period.fromDay),
    until: period.untilDay === null ? null : formatDayNumber(period.untilDay),
    liftedOn: period.liftedDay === null ? null : formatDayNumber(period.liftedDay),
    inEffect: isStayInEffect(period, asOfDay),
    evidence: period.evidence,
  };
}

/** A custody event that leaves the person in custody: a book-in, a transfer, a book-out to another facility. */
const keepsInCustody = (event: CustodyEvent) => event.event !== "book_out" || event.reason === "transferred";

/**
 * Custody booking by booking (docs/lifecycle-semantics.md §7): detained while any booking of the
 * current stay is open, its latest event a book-in or a transfer. A booking handed on by a
 * `transferred` book-out stays open until a booking begun on or after that day takes the person
 * over (a move between facilities is not a release). A booking of an earlier stay (its latest
 * event before the stay began, so a departure and an entry came after it) is over, and so is one
 * that a verified departure ending the stay follows: the person is no longer held. A claimed
 * departure ends no booking (a person in custody has not departed). The fact names the open
 * booking with the latest event (its facility, its latest event), in custody since the start of
 * its continuous custody (through the bookings that handed the person on to it).
 */
export function custodyOf(events: readonly CustodyEvent[], stay: CurrentStay): CustodyFact | null {
  if (events.length === 0) return null;
  const bookings = new Map<string, CustodyEvent[]>();
  for (const event of events) {
    const list = bookings.get(event.bookingId);
    if (list === undefined) bookings.set(event.bookingId, [event]);
    else list.push(event);
  }
  const began = stay.stayBeganDay;
  const departed = stay.departure?.tier === "verified" ? stay.departure.record.day : null;
  const bookInDays = events.filter((event) => event.event === "book_in").map((event) => event.day);
  const open: CustodyEvent[][] = [];
  for (const booking of bookings.values()) {
    const last = booking[booking.length - 1]!;
    if (!keepsInCustody(last)) continue;
    if (began !== null && last.day < began) continue;
    if (departed !== null && last.day <= departed) continue;
    const handedOn = last.event === "book_out";
    if (handedOn && bookInDays.some((day) => day >= last.day && day > booking[0]!.day)) continue;
    open.push(booking);
  }
  const latestOverall = events[events.length - 1]!;
  if (open.length === 0) {
    return {
      detained: false,
      since: null,
      facilityCode: null,
      lastEvent: latestOverall.event,
      lastEventOn: latestOverall.date,
      reason: latestOverall.reason,
      evidence: citationsOf(latestOverall),
    };
  }
  // The open booking with the latest event (by date, then its order in the sorted events).
  const current = open.reduce((best, booking) =>
    events.indexOf(booking[booking.length - 1]!) > events.indexOf(best[best.length - 1]!) ? booking : best,
  );
  const last = current[current.length - 1]!;
  // Continuous custody runs back through the bookings that handed the person on to this one.
  let first = current[0]!;
  for (;;) {
    const start = first;
    const handing = [...bookings.values()].find((booking) => {
      const end = booking[booking.length - 1]!;
      return (
        end.event === "book_out" &&
        end.reason === "transferred" &&
        end.day <= start.day &&
        booking[0]!.day < start.day &&
        (began === null || end.day >= began)
      );
    });
    if (handing === undefined) break;
    first = handing[0]!;
  }
  return {
    detained: true,
    since: first.date,
    facilityCode: last.facilityCode,
    lastEvent: last.event,
    lastEventOn: last.date,
    reason: last.reason,
    evidence: citationsOf(first, last),
  };
}

/** Open citizenship claims on the as-of date (opened on or before it, not closed by it). */
export function openClaimsOf(claims: readonly CitizenshipClaim[], asOfDay: DayNumber): CitizenshipClaim[] {
  return claims
    .filter((claim) => {
      const opened = parseDayNumber(claim.openedOn);
      if (opened === undefined)
        throw LifecycleErrors.invalidClaim.create(
          claim.claimId,
          `openedOn "${claim.openedOn}" is not a date`,
        );
      const closedOn = claim.closedOn ?? null;
      const closed = closedOn === null ? null : parseDayNumber(closedOn);
      if (closed === undefined)
        throw LifecycleErrors.invalidClaim.create(claim.claimId, `closedOn "${closedOn}" is not a date`);
      return opened <= asOfDay && (closed === null || closed > asOfDay);
    })
    .sort((left, right) => (left.claimId < right.claimId ? -1 : left.claimId > right.claimId ? 1 : 0));
}

const ASYLUM_RELIEF = /^(asylum|withholding|cat)(?![a-z])/;
const VICTIM_FORMS = new Set(["I-914", "I-918", "I-360"]);

export interface OverlayInputs {
  readonly asOfDay: DayNumber;
  readonly stayPeriods: readonly StayPeriod[];
  readonly custody: CustodyFact | null;
  readonly custodyEvents: readonly CustodyEvent[];
  readonly finalOrderHolds: boolean;
  readonly receipts: readonly Receipt[];
  readonly courtEvents: readonly CourtEvent[];
  readonly openClaims: readonly CitizenshipClaim[];
  readonly rules: CompiledLifecycleRules;
}

const overlay = (
  name: Overlay,
  since: string | null,
  until: string | null,
  description: string,
  evidence: readonly RecordCitation[],
  claimIds: readonly string[] = [],
): OverlayView => ({ overlay: name, since, until, description, evidence, claimIds });

export function overlaysOf(inputs: OverlayInputs): OverlayView[] {
  const { asOfDay } = inputs;
  const overlays: OverlayView[] = [];
  const stays = inputs.stayPeriods.filter((period) => isStayInEffect(period, asOfDay));
  if (stays.length > 0) {
    const open = stays.some((period) => period.untilDay === null);
    const until = open ? null : formatDayNumber(Math.max(...stays.map((period) => period.untilDay!)));
    const sources = [...new Set(stays.map((period) => (period.source === "dhs" ? "DHS (I-246)" : "court")))];
    overlays.push(
      overlay(
        "STAY",
        formatDayNumber(stays[0]!.fromDay),
        until,
        `Stay of removal in effect (${sources.join(", ")})`,
        mergeCitations(...stays.map((period) => period.evidence)),
      ),
    );
  }
  if (inputs.custody?.detained) {
    overlays.push(overlay("DETAINED", inputs.custody.since, null, "In custody", inputs.custody.evidence));
  }
  // Released on an order of supervision, and not held since under another booking.
  const lastCustody = inputs.custodyEvents[inputs.custodyEvents.length - 1];
  if (
    lastCustody?.event === "book_out" &&
    lastCustody.reason === "osup" &&
    inputs.finalOrderHolds &&
    !inputs.custody?.detained
  ) {
    overlays.push(
      overlay(
        "OSUP",
        lastCustody.date,
        null,
        "Released on an order of supervision after a final order",
        citationsOf(lastCustody),
      ),
    );
  }
  const asylumEvidence = [
    ...inputs.receipts.filter((receipt) => receipt.formType === "I-589").flatMap((receipt) => receipt.events),
    ...inputs.courtEvents.filter(
      (event) =>
        (event.reliefType !== null && ASYLUM_RELIEF.test(event.reliefType)) ||
        inputs.rules.confidentialAsylumCaseTypes.has(event.caseType),
    ),
  ];
  if (asylumEvidence.length > 0) {
    const first = Math.min(...asylumEvidence.map((event) => event.day));
    overlays.push(
      overlay(
        "CONFIDENTIAL_ASYLUM",
        formatDayNumber(first),
        null,
        "Asylum, withholding or fear claim: no disclosure without written consent (8 CFR 208.6)",
        citationsOf(...asylumEvidence),
      ),
    );
  }
  const victimEvents = inputs.receipts
    .filter((receipt) => VICTIM_FORMS.has(receipt.formType))
    .flatMap((receipt) => receipt.events);
  if (victimEvents.length > 0) {
    overlays.push(
      overlay(
        "CONFIDENTIAL_1367",
        formatDayNumber(Math.min(...victimEvents.map((event) => event.day))),
        null,
        "T, U or VAWA case: no disclosure of its existence, no adverse use of abuser-sourced information (8 U.S.C. 1367)",
        citationsOf(...victimEvents),
      ),
    );
  }
  if (inputs.openClaims.length > 0) {
    overlays.push(
      overlay(
        "USC_CLAIM_OPEN",
        inputs.openClaims.map((claim) => claim.openedOn).sort()[0]!,
        null,
        "A citizenship claim is open: supervisory review before any action",
        [],
        inputs.openClaims.map((claim) => claim.claimId),
      ),
    );
  }
  return overlays;
}

/** Whether a receipt is a pending or current victim-based application (T, U, VAWA/SIJ). */
export function isVictimProtection(receipt: Receipt, asOfDay: DayNumber): boolean {
  return (
    VICTIM_FORMS.has(receipt.formType) && (receipt.status === "pending" || isCurrentGrant(receipt, asOfDay))
  );
}
