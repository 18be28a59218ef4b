import type { AdmissionPeriod } from "./admission-period.ts";
import { filedDayOf, isCurrentGrant, type Receipt } from "./benefit-receipts.ts";
import { type DayNumber, formatDayNumber } from "./calendar-date.ts";
import { citationsOf } from "./citations.ts";
import type { CourtCase } from "./court-case.ts";
import type { CourtCaseStatus } from "./court-case-status.ts";
import type { CurrentStay } from "./current-stay.ts";
import type { CitizenshipEvent, TravelDocumentEvent } from "./person-events.ts";
import type {
  AdmissionFact,
  BenefitFact,
  CitizenshipFact,
  CourtCaseFact,
  DepartureFact,
  EntryFact,
  OtherCourtCaseFact,
  OverstayFact,
  ProtectionFact,
  TravelDocumentFact,
} from "./person-status.ts";
import type { PrimaryStateResult } from "./primary-state.ts";
import { type Grant, isCurrent, PROTECTION_PRECEDENCE } from "./protections.ts";
import { isPendingOn, timelyFilingsOf } from "./unlawful-presence.ts";
import { FINALITY_RULES } from "./vocabulary.ts";

/** Builders of the `facts` part of a status, each citing what it rests on. */

const dateOrNull = (day: DayNumber | null) => (day === null ? null : formatDayNumber(day));

export function entryFact(stay: CurrentStay): EntryFact | null {
  const latest = stay.latestEntry;
  if (latest === null) return null;
  return {
    kind: latest.kind,
    latestEntryDate: latest.event.date,
    stayBegan: formatDayNumber(stay.stayBeganDay!),
    reentryAfterRemoval: stay.previousDeparture?.evidence === "removal_executed",
    evidence: citationsOf(...stay.stayEntries.map((entry) => entry.event), stay.previousDeparture),
  };
}

export function admissionFact(admission: AdmissionPeriod | null): AdmissionFact | null {
  if (admission === null) return null;
  const extensions = admission.extensionFilings.flatMap((filing) => filing.receipt.events);
  return {
    classOfAdmission: admission.entry.classOfAdmission,
    admissionDate: admission.entry.date,
    admitUntilRecorded: admission.entry.admitUntilText,
    durationOfStatus: admission.authorisedUntilDay === null,
    authorisedUntil: dateOrNull(admission.authorisedUntilDay),
    evidence: citationsOf(admission.entry, ...extensions),
  };
}

/** States in which the person is here past the authorised period unless a timely filing is pending. */
const IN_COUNTRY_STATES: ReadonlySet<string> = new Set([
  "OVERSTAY_SUSPECTED",
  "EOS_COS_PENDING",
  "BENEFIT_PENDING",
]);

/**
 * Overstay (DOMAIN.md §1.2) as the state shows it: in-country while OVERSTAY_SUSPECTED,
 * out-of-country when a verified departure after the authorised period ended the stay. A claimed
 * departure alone (a self-report no government record corroborates, DOMAIN.md §1.8) ends no stay:
 * past the authorised period it is `departure_claimed`, its days counted to the as-of date as
 * unlawful presence counts them, never out-of-country. "Timely extension/change/adjustment filings
 * remove a person from the count" (§1.2): one pending on the day counted (the as-of date, or the
 * day of the verified departure) leaves no overstay, and a late one removes nobody, so a person
 * pending only on a late extension or adjustment (EOS_COS_PENDING, BENEFIT_PENDING ADJUSTMENT) is
 * counted in the country. Timeliness is the one unlawful presence reads (`timelyFilingsOf`).
 */
export function overstayFact(
  primary: PrimaryStateResult,
  admission: AdmissionPeriod | null,
  receipts: readonly Receipt[],
  stay: CurrentStay,
  asOfDay: DayNumber,
): OverstayFact | null {
  const until = admission?.authorisedUntilDay ?? null;
  if (admission === null || until === null) return null;
  const timely = timelyFilingsOf(admission, receipts);
  const countedOn = (day: DayNumber) => day > until && !timely.some((receipt) => isPendingOn(receipt, day));
  // A late adjustment pending on the day is cited: it is why a BENEFIT_PENDING person is counted.
  const evidenceOn = (day: DayNumber) =>
    citationsOf(
      admission.entry,
      ...admission.extensionFilings.flatMap((filing) => filing.receipt.events),
      ...receipts
        .filter(
          (receipt) => receipt.formType === "I-485" && !timely.includes(receipt) && isPendingOn(receipt, day),
        )
        .flatMap((receipt) => receipt.events),
    );
  const inCountry =
    primary.primary !== "BENEFIT_PENDING"
      ? IN_COUNTRY_STATES.has(primary.primary)
      : primary.detail === "ADJUSTMENT";
  if (inCountry) {
    if (!countedOn(asOfDay)) return null;
    return {
      kind: "in_country",
      days: asOfDay - until,
      authorisedUntil: formatDayNumber(until),
      departureDate: null,
      evidence: evidenceOn(asOfDay),
    };
  }
  const departure = stay.departure;
  if (primary.primary === "DEPARTED" && departure?.tier === "claimed") {
    if (!countedOn(asOfDay)) return null;
    return {
      kind: "departure_claimed",
      days: asOfDay - until,
      authorisedUntil: formatDayNumber(until),
      departureDate: departure.record.date,
      evidence: [...evidenceOn(asOfDay), ...citationsOf(departure.record)],
    };
  }
  if (primary.primary === "DEPARTED" && departure !== null && countedOn(departure.record.day)) {
    return {
      kind: "out_of_country",
      days: departure.record.day - until,
      authorisedUntil: formatDayNumber(until),
      departureDate: departure.record.date,
      evidence: [...evidenceOn(departure.record.day), ...citationsOf(departure.record)],
    };
  }
  return null;
}

export function benefitFacts(receipts: readonly Receipt[], asOfDay: DayNumber): BenefitFact[] {
  return [...receipts]
    .sort(
      (left, right) =>
        filedDayOf(left) - filedDayOf(right) || (left.receiptNumber < right.receiptNumber ? -1 : 1),
    )
    .map((receipt) => ({
      receiptNumber: receipt.receiptNumber,
      formType: receipt.formType,
      benefit: receipt.benefit,
      status: receipt.status,
      filedOn: receipt.filed?.date ?? null,
      decidedOn: receipt.status === "pending" ? null : receipt.latest.date,
      validFrom: dateOrNull(receipt.validFromDay),
      validTo: dateOrNull(receipt.validToDay),
      current: receipt.status === "pending" || isCurrentGrant(receipt, asOfDay),
      evidence: citationsOf(...receipt.events),
    }));
}

export function protectionFacts(grants: readonly Grant[], asOfDay: DayNumber): ProtectionFact[] {
  return grants
    .filter((grant) => isCurrent(grant, asOfDay))
    .sort(
      (left, right) =>
        PROTECTION_PRECEDENCE.indexOf(left.type) - PROTECTION_PRECEDENCE.indexOf(right.type) ||
        left.fromDay - right.fromDay ||
        (left.country ?? "").localeCompare(right.country ?? ""),
    )
    .map((grant) => ({
      type: grant.type,
      source: grant.source,
      validFrom: formatDayNumber(grant.fromDay),
      validTo: dateOrNull(grant.toDay),
      country: grant.country,
      evidence: grant.evidence,
    }));
}

export function courtCaseFact(courtCase: CourtCase, status: CourtCaseStatus): CourtCaseFact {
  const decision = courtCase.decision;
  const event = decision?.event ?? null;
  const finality = status.isFinal ? status.finality : null;
  return {
    caseId: courtCase.caseId,
    caseType: courtCase.caseType,
    ntaFiledOn: courtCase.ntaFiled?.date ?? null,
    reopenedOn: courtCase.reopenedBy?.date ?? null,
    adminClosedOn: courtCase.adminClosedBy?.date ?? null,
    decision:
      decision === null || event === null
        ? null
        : {
            outcome: event.outcome!,
            decidedOn: event.date,
            inAbsentia: event.inAbsentia,
            noticeServed: event.noticeServed,
            appealWaived: event.appealWaived,
            reliefType: event.reliefType,
            destinationCountry: event.destinationCountry,
            withholdingCountry: event.withholdingCountry,
            appealDeadline: formatDayNumber(decision.appealDeadlineDay),
            evidence: citationsOf(event),
          },
    appeal:
      decision === null || (decision.appealFiled === null && decision.appealDecided === null)
        ? null
        : {
            filedOn: decision.appealFiled?.date ?? null,
            timely: decision.appealTimely,
            certified: decision.appealFiled?.certified === true || decision.appealDecided?.certified === true,
            decidedOn: decision.appealDecided?.date ?? null,
            outcome: decision.appealDecided?.outcome ?? null,
            reinstatedVoluntaryDepartureUntil: dateOrNull(decision.reinstatedVoluntaryDepartureUntil),
            evidence: citationsOf(decision.appealFiled, decision.appealDecided),
          },
    finality:
      finality === null
        ? null
        : {
            finalOn: formatDayNumber(finality.day),
            rule: finality.rule,
            basis: FINALITY_RULES[finality.rule].basis,
            description: FINALITY_RULES[finality.rule].description,
            evidence: citationsOf(...finality.evidence),
          },
    voluntaryDeparture:
      decision === null || decision.kind !== "voluntary_departure"
        ? null
        : {
            deadline: formatDayNumber(
              decision.reinstatedVoluntaryDepartureUntil ?? decision.voluntaryDepartureDeadlineDay!,
            ),
            deadlineRecorded:
              decision.voluntaryDepartureDeadlineRecorded ||
              decision.reinstatedVoluntaryDepartureUntil !== null,
            terminatedOn: decision.voluntaryDepartureTerminatedBy?.date ?? null,
            compliedOn: dateOrNull(status.voluntaryDepartureCompliedDay),
            evidence: citationsOf(event, decision.affirmedBy, decision.voluntaryDepartureTerminatedBy),
          },
    motion:
      decision?.motionFiled == null
        ? null
        : {
            filedOn: decision.motionFiled.date,
            decidedOn: decision.motionDecided?.date ?? null,
            outcome: decision.motionDecided?.outcome ?? null,
            staysRemoval: status.motionInAbsentiaPending,
            evidence: citationsOf(decision.motionFiled, decision.motionDecided),
          },
    evidence: citationsOf(...courtCase.events),
  };
}

export function otherCourtCaseFact(
  courtCase: CourtCase,
  reason: OtherCourtCaseFact["reason"],
): OtherCourtCaseFact {
  return {
    caseId: courtCase.caseId,
    caseType: courtCase.caseType,
    lastEventOn: formatDayNumber(courtCase.lastEventDay),
    reason,
    evidence: citationsOf(...courtCase.events),
  };
}

export function departureFact(stay: CurrentStay): DepartureFact | null {
  const departure = stay.departure;
  if (departure === null) return null;
  const { record, claim, corroboratedBy, tier } = departure;
  return {
    tier,
    date: record.date,
    evidenceKind: record.evidence,
    record: record.citation,
    claim: claim?.citation ?? null,
    corroboratedBy: corroboratedBy?.citation ?? null,
    evidence: citationsOf(record, claim, corroboratedBy),
  };
}

export function travelDocumentFact(
  active: TravelDocumentEvent | null,
  all: readonly TravelDocumentEvent[],
): TravelDocumentFact | null {
  const shown = active ?? all[all.length - 1] ?? null;
  if (shown === null) return null;
  const history = all.filter((event) => event.travelDocumentId === shown.travelDocumentId);
  return {
    travelDocumentId: shown.travelDocumentId,
    country: shown.country,
    status: shown.status,
    statusOn: shown.date,
    validTo: dateOrNull(shown.validToDay),
    evidence: citationsOf(...history),
  };
}

export function citizenshipFact(
  records: readonly CitizenshipEvent[],
  naturalisation: Receipt | null,
): CitizenshipFact | null {
  const first = records[0];
  if (first !== undefined) {
    return { basis: first.basis, effectiveDate: first.effectiveDate, evidence: citationsOf(...records) };
  }
  if (naturalisation !== null) {
    // Citizenship from the oath (the approval's valid_from), as the state reads it, not the approval.
    return {
      basis: "naturalized",
      effectiveDate: formatDayNumber(naturalisation.validFromDay ?? naturalisation.latest.day),
      evidence: citationsOf(...naturalisation.events),
    };
  }
  return null;
}
