import type { RecordCitation } from "../records/source-record.ts";
import { isCurrentGrant, type Receipt } from "./benefit-receipts.ts";
import { type DayNumber, formatDayNumber, parseDayNumber } from "./calendar-date.ts";
import { citationsOf, mergeCitations } from "./citations.ts";
import type { CompiledLifecycleRules } from "./compiled-lifecycle-rules.ts";
import type { CourtCase } from "./court-case.ts";
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

/**
 * Custody from the latest custody event: in custody after a book-in or transfer, and after a
 * book-out whose reason is `transferred` (a move between facilities is not a release).
 */
export function custodyOf(events: readonly CustodyEvent[]): CustodyFact | null {
  if (events.length === 0) return null;
  let since: CustodyEvent | null = null;
  let detained = false;
  for (const event of events) {
    const inCustody = event.event !== "book_out" || event.reason === "transferred";
    if (inCustody && !detained) since = event;
    if (!inCustody) since = null;
    detained = inCustody;
  }
  const last = events[events.length - 1]!;
  return {
    detained,
    since: detained ? since!.date : null,
    facilityCode: detained ? last.facilityCode : null,
    lastEvent: last.event,
    lastEventOn: last.date,
    reason: last.reason,
    evidence: detained ? citationsOf(since, last) : citationsOf(last),
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
  const lastCustody = inputs.custodyEvents[inputs.custodyEvents.length - 1];
  if (lastCustody?.event === "book_out" && lastCustody.reason === "osup" && inputs.finalOrderHolds) {
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
