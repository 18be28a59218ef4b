import type { RecordCitation } from "../records/source-record.ts";
import { type AdmissionPeriod, admissionPeriodOf } from "./admission-period.ts";
import { appealDeadlineDay } from "./appeal-deadline.ts";
import { filedDayOf, type Receipt } from "./benefit-receipts.ts";
import {
  civilDateOf,
  type DayNumber,
  dayNumberOf,
  formatDayNumber,
  parseDayNumber,
} from "./calendar-date.ts";
import { citationsOf, mergeCitations } from "./citations.ts";
import type { CompiledLifecycleRules } from "./compiled-lifecycle-rules.ts";
import { groupByCase, type ReplayOptions, replayCourtCase, replayOptionsOf } from "./court-case.ts";
import { reliefProtectionOf } from "./court-case-status.ts";
import type { CurrentStay, Entry } from "./current-stay.ts";
import type { CourtEvent, Observation } from "./person-events.ts";
import type {
  CitizenshipFact,
  TollingInterval,
  TollingReason,
  UnlawfulPresenceBar,
  UnlawfulPresenceBasis,
  UnlawfulPresenceFact,
} from "./person-status.ts";
import { approvalPeriodsOf, type Grant } from "./protections.ts";
import type { ProtectedStatusType } from "./vocabulary.ts";

/**
 * Unlawful presence in the current stay (INA 212(a)(9)(B); docs/lifecycle-semantics.md §9). The
 * bars count one continuous stay, and only a departure ends one, so every entry of the stay adds
 * its unlawful days (an entry without inspection from the day of entry, a parole in place from the
 * day after it ended): the days from the first unlawful day to the end of the stay, inclusive,
 * minus typed tolling intervals that each cite their record, among them the authorised periods of
 * the stay's later entries.
 */

/** The part of the stay one entry governs: from it to the day before the next entry, or the stay's end. */
interface Segment {
  readonly basis: UnlawfulPresenceBasis;
  readonly fromDay: DayNumber;
  readonly toDay: DayNumber;
  /** The first unlawful day; null when the entry's stay stays authorised (D/S with no order). */
  readonly unlawfulFromDay: DayNumber | null;
  /** The records the accrual (or the authorised period before it) rests on. */
  readonly evidence: readonly RecordCitation[];
  readonly admission: AdmissionPeriod | null;
}

interface RawInterval {
  readonly reason: TollingReason;
  readonly from: DayNumber;
  readonly to: DayNumber;
  readonly evidence: readonly RecordCitation[];
}

const TOLLING_OF_GRANT: Partial<Record<ProtectedStatusType, TollingReason>> = {
  LPR: "lawful_status",
  ASYLEE: "lawful_status",
  REFUGEE: "lawful_status",
  T_STATUS: "lawful_status",
  U_STATUS: "lawful_status",
  TPS: "tps",
  DACA: "deferred_action",
  DEFERRED_ACTION: "deferred_action",
  VAWA: "deferred_action",
  SIJ: "deferred_action",
};

/**
 * The IJ removal orders (plain, or the alternate order of a VD grant) that still stand: the current
 * decision of each court case, as the court-case model replays it. An order the board vacated
 * (terminated, remanded, sustained) or a granted motion reopened is no formal finding of a status
 * violation (DOMAIN.md §1.2), so the accrual it started is void from the start; a new order entered
 * after that starts accrual from its own day.
 */
function standingOrdersOf(court: readonly CourtEvent[], rules: CompiledLifecycleRules): CourtEvent[] {
  const options = replayOptionsOf(rules);
  const orders: CourtEvent[] = [];
  for (const events of groupByCase(court).values()) {
    const decision = replayCourtCase(events, options).decision;
    if (decision?.kind === "removal" || decision?.kind === "voluntary_departure") orders.push(decision.event);
  }
  return orders.sort((left, right) => left.day - right.day);
}

/**
 * The notice to appear that terminated a parole (8 CFR 212.5(e)(2)(i): service of a charging
 * document is written notice of termination; DOMAIN.md §1.1: PAROLED is left by an NTA): the first
 * `nta_filed` of a removal case (not a custody matter, `custodyCaseTypes`) dated after the parole's
 * day and while it still ran, up to `toDay`. The parole ends on the NTA's day, whatever the court
 * later decides: a terminated case restores no parole. One on the parole's own day is read as
 * served before it (a parole granted during proceedings, as a release from custody on parole is),
 * and a case whose `nta_filed` the feed lacks ends none: neither reading may add unlawful days.
 */
export function paroleTerminatedBy(
  admission: AdmissionPeriod | null,
  court: readonly CourtEvent[],
  toDay: DayNumber,
  rules: CompiledLifecycleRules,
): CourtEvent | null {
  if (admission === null || admission.kind !== "parole") return null;
  const custodyCaseTypes = new Set(rules.rules.custodyCaseTypes.map((type) => type.toUpperCase()));
  const lastDay = Math.min(toDay, admission.authorisedUntilDay ?? toDay);
  return (
    court.find(
      (event) =>
        event.eventType === "nta_filed" &&
        !custodyCaseTypes.has(event.caseType.toUpperCase()) &&
        event.day > admission.entry.day &&
        event.day <= lastDay,
    ) ?? null
  );
}

function segmentOf(
  entry: Entry,
  fromDay: DayNumber,
  toDay: DayNumber,
  admission: AdmissionPeriod | null,
  court: readonly CourtEvent[],
  standingOrders: readonly CourtEvent[],
  rules: CompiledLifecycleRules,
): Segment | null {
  if (entry.kind === "entry_without_inspection") {
    return {
      basis: "entry_without_inspection",
      fromDay,
      toDay,
      unlawfulFromDay: fromDay,
      evidence: citationsOf(entry.event),
      admission: null,
    };
  }
  if (admission === null) return null;
  const terminatedBy = paroleTerminatedBy(admission, court, toDay, rules);
  if (terminatedBy !== null) {
    return {
      basis: "parole_ended",
      fromDay,
      toDay,
      unlawfulFromDay: terminatedBy.day + 1,
      evidence: citationsOf(admission.entry, terminatedBy),
      admission,
    };
  }
  if (admission.authorisedUntilDay !== null) {
    const extensions = admission.extensionFilings
      .filter((filing) => approvalPeriodsOf(filing.receipt).length > 0)
      .flatMap((filing) => filing.receipt.events);
    return {
      basis: admission.kind === "parole" ? "parole_ended" : "authorised_stay_ended",
      fromDay,
      toDay,
      unlawfulFromDay: admission.authorisedUntilDay + 1,
      evidence: citationsOf(admission.entry, ...extensions),
      admission,
    };
  }
  // D/S: no accrual until a formal finding; the one the records show is an IJ removal order that
  // still stands (Guilford College v. Wolf vacated the 2018 memo that started it automatically).
  const order = standingOrders.find((event) => event.day >= fromDay && event.day <= toDay);
  return {
    basis: "duration_of_status_order",
    fromDay,
    toDay,
    unlawfulFromDay: order === undefined ? null : order.day + 1,
    evidence: citationsOf(admission.entry, ...(admission.openEndedBy?.events ?? []), order),
    admission,
  };
}

/**
 * The stay entry by entry, up to `endDay`. The latest entry's authorised period is the one the
 * status already computed; an earlier admission's counts the extensions filed before the next entry.
 */
function segmentsOf(
  stay: CurrentStay,
  latestAdmission: AdmissionPeriod | null,
  court: readonly CourtEvent[],
  receipts: readonly Receipt[],
  endDay: DayNumber,
  rules: CompiledLifecycleRules,
): Segment[] {
  const entries = stay.stayEntries;
  const standingOrders = standingOrdersOf(court, rules);
  const segments: Segment[] = [];
  for (const [index, entry] of entries.entries()) {
    const next = entries[index + 1];
    const toDay = next === undefined ? endDay : next.event.day - 1;
    if (entry.event.day > toDay) continue;
    const admission =
      next === undefined
        ? latestAdmission
        : admissionPeriodOf(
            entry,
            receipts.filter((receipt) => filedDayOf(receipt) < next.event.day),
            rules,
          );
    const segment = segmentOf(entry, entry.event.day, toDay, admission, court, standingOrders, rules);
    if (segment !== null) segments.push(segment);
  }
  return segments;
}

/** Whether a segment accrues unlawful presence on or after `fromDay`. */
function accruesFrom(segment: Segment, fromDay: DayNumber): boolean {
  return segment.unlawfulFromDay !== null && Math.max(segment.unlawfulFromDay, fromDay) <= segment.toDay;
}

/** The date of birth used for the under-18 tolling: the latest reading (the one that accrues least). */
function minorityEnd(
  datesOfBirth: readonly Observation<string>[],
  rules: CompiledLifecycleRules,
): { day: DayNumber; citation: RecordCitation } | null {
  let best: { day: DayNumber; citation: RecordCitation } | null = null;
  for (const observation of datesOfBirth) {
    let birthDay = parseDayNumber(observation.value);
    if (birthDay === undefined) continue;
    if (rules.placeholderBirthMonthDays.has(observation.value.slice(5))) {
      const treatment = rules.rules.placeholderBirthDateTreatment;
      if (treatment === "ignore") continue;
      if (treatment === "end_of_year") birthDay = dayNumberOf(Number(observation.value.slice(0, 4)), 12, 31);
    }
    const { year, month, day } = civilDateOf(birthDay);
    // The day before the birthday of majority (29 February births come of age on 1 March).
    const lastMinorDay = dayNumberOf(year + rules.rules.minorAgeYears, month, day) - 1;
    if (best === null || lastMinorDay > best.day)
      best = { day: lastMinorDay, citation: observation.citation };
  }
  return best;
}

/** An application is pending from its filing to the day before the next event on its receipt. */
function pendingInterval(receipt: Receipt, reason: TollingReason, endDay: DayNumber): RawInterval {
  const from = filedDayOf(receipt);
  const next = receipt.events.find((event) => event.event !== "filed" && event.day >= from);
  return {
    reason,
    from,
    to: next === undefined ? endDay : next.day - 1,
    evidence: citationsOf(...receipt.events),
  };
}

/** Whether an application is pending on a day: from its filing to the day before the next event on its receipt. */
export function isPendingOn(receipt: Receipt, day: DayNumber): boolean {
  const interval = pendingInterval(receipt, "extension_pending", day);
  return interval.from <= day && day <= interval.to;
}

/** The I-539s of an admission filed on time (`admissionPeriodOf`: by a class that may extend, within the period then in force). */
function timelyExtensionsOf(admission: AdmissionPeriod | null): Receipt[] {
  return (admission?.extensionFilings ?? [])
    .filter((filing) => filing.timely)
    .map((filing) => filing.receipt);
}

/**
 * The extension, change and adjustment applications filed on time for an admission, the filings
 * that remove a person from the overstay count while pending (DOMAIN.md §1.2; late ones do not):
 * the I-539s `admissionPeriodOf` reads as timely, the ones whose pendency tolls unlawful presence
 * here (up to `extensionTollingCapDays`), and the I-485s filed by the end of its authorised period
 * (one filed before the admission, such as one pending across a trip on advance parole, was not
 * filed late for it). A pending I-485 tolls unlawful presence however late it was filed: it is a
 * period of stay authorised from its filing, which does not undo the count of those who overstayed.
 */
export function timelyFilingsOf(admission: AdmissionPeriod, receipts: readonly Receipt[]): Receipt[] {
  const until = admission.authorisedUntilDay;
  const adjustments = receipts.filter(
    (receipt) => receipt.formType === "I-485" && (until === null || filedDayOf(receipt) <= until),
  );
  return [...timelyExtensionsOf(admission), ...adjustments];
}

/** IJ decisions that rule on the relief applications before the court, asylum among them. */
const RELIEF_DECIDING_OUTCOMES = new Set(["removal_ordered", "vd_with_alternate_order", "relief_granted"]);

/** Whether an IJ decision decides a pending asylum application (an order or a grant rules on every one). */
function decidesAsylum(event: CourtEvent): boolean {
  if (event.eventType !== "decision" || event.outcome === null) return false;
  if (RELIEF_DECIDING_OUTCOMES.has(event.outcome)) return true;
  return event.outcome === "denied" && reliefProtectionOf(event.reliefType) === "ASYLEE";
}

/**
 * Where the court's part of a referred asylum application ends: the court events that decided it
 * for good, the last of them the end (the day before it the application stopped being pending), or
 * `pending` when the court or the board has not decided it yet. It stays pending through
 * administrative review: an IJ decision on it that is appealed in time (or certified) leaves it
 * pending before the board until the board rules; a ruling that sends the case back (sustained,
 * remanded, granted) or closes it administratively returns it to the IJ, pending until the next
 * decision on it. Court events are in day order; positions, not days, keep same-day events apart.
 */
function asylumCourtEnd(
  court: readonly CourtEvent[],
  fromDay: DayNumber,
  options: ReplayOptions,
): { readonly pending: boolean; readonly chain: readonly CourtEvent[] } {
  const chain: CourtEvent[] = [];
  let cursor = court.findIndex((event) => event.day >= fromDay);
  while (cursor !== -1) {
    const decisionAt = court.findIndex((event, index) => index >= cursor && decidesAsylum(event));
    if (decisionAt === -1) break;
    const decision = court[decisionAt]!;
    chain.push(decision);
    const onCase = (index: number) => court[index]!.caseId === decision.caseId;
    const appealAt = court.findIndex(
      (event, index) =>
        index > decisionAt && onCase(index) && (event.eventType === "appeal_filed" || decidesAsylum(event)),
    );
    const appeal = appealAt === -1 ? undefined : court[appealAt]!;
    const deadline = appealDeadlineDay(decision.day, options.appealWindowDays, options.extraClosedDays);
    if (appeal?.eventType !== "appeal_filed" || !(appeal.certified || appeal.day <= deadline)) {
      return { pending: false, chain };
    }
    chain.push(appeal);
    const rulingAt = court.findIndex(
      (event, index) => index > appealAt && onCase(index) && event.eventType === "appeal_decided",
    );
    if (rulingAt === -1) break;
    const ruling = court[rulingAt]!;
    chain.push(ruling);
    if (ruling.outcome === null || !RETURNING_RULINGS.has(ruling.outcome)) return { pending: false, chain };
    cursor = rulingAt + 1;
  }
  return { pending: true, chain };
}

/** Board rulings that return the case to the IJ, with the asylum application pending before it again. */
const RETURNING_RULINGS = new Set(["sustained", "remanded", "granted", "admin_closed"]);

/**
 * A bona fide asylum application is pending (INA 212(a)(9)(B)(iii)(II)) from its filing until it is
 * decided or withdrawn. One before the immigration judge stays pending until the IJ decides it (a
 * removal order, a grant of relief, or asylum denied) and, when that decision is appealed in time,
 * until the board rules on the appeal (`asylumCourtEnd`), or a later event on its receipt
 * (withdrawn, denied, approved) ends it. It is before the judge from its referral, or from its
 * filing when that is defensive, filed once proceedings of the stay had begun (`proceedingsBegunBy`):
 * defensive claims are decided in court (DOMAIN.md §1.3) and USCIS never refers them.
 */
function asylumPendingInterval(
  receipt: Receipt,
  court: readonly CourtEvent[],
  stayBeganDay: DayNumber | null,
  endDay: DayNumber,
  options: ReplayOptions,
): RawInterval {
  const from = filedDayOf(receipt);
  const next = receipt.events.find(
    (event) => event.event !== "filed" && event.event !== "referred" && event.day >= from,
  );
  const referral = receipt.events.find((event) => event.event === "referred" && event.day >= from);
  const inCourtFrom = proceedingsBegunBy(court, stayBeganDay, from) ? from : referral?.day;
  const inCourt = inCourtFrom === undefined ? undefined : asylumCourtEnd(court, inCourtFrom, options);
  const courtEnd =
    inCourt === undefined || inCourt.pending ? undefined : inCourt.chain[inCourt.chain.length - 1];
  const endedInCourt = courtEnd !== undefined && (next === undefined || courtEnd.day < next.day);
  const end = endedInCourt ? courtEnd : next;
  const courtEvidence =
    inCourt === undefined ? [] : inCourt.chain.filter((event) => end === undefined || event.day <= end.day);
  return {
    reason: "asylum_pending",
    from,
    to: end === undefined ? endDay : end.day - 1,
    evidence: citationsOf(...receipt.events, ...courtEvidence),
  };
}

/**
 * Whether removal proceedings of the stay had begun by the day: a court event dated from the stay's
 * first entry to that day (its NTA, or a later event of a case whose NTA the feed lacks).
 */
function proceedingsBegunBy(
  court: readonly CourtEvent[],
  stayBeganDay: DayNumber | null,
  day: DayNumber,
): boolean {
  return court.some((event) => event.day <= day && (stayBeganDay === null || event.day >= stayBeganDay));
}

function tollingIntervals(
  stayBeganDay: DayNumber | null,
  startDay: DayNumber,
  endDay: DayNumber,
  segments: readonly Segment[],
  receipts: readonly Receipt[],
  court: readonly CourtEvent[],
  grants: readonly Grant[],
  datesOfBirth: readonly Observation<string>[],
  rules: CompiledLifecycleRules,
): RawInterval[] {
  const intervals: RawInterval[] = [];
  const minority = minorityEnd(datesOfBirth, rules);
  if (minority !== null) {
    intervals.push({ reason: "under_18", from: startDay, to: minority.day, evidence: [minority.citation] });
  }
  for (const receipt of receipts) {
    if (receipt.formType === "I-589")
      intervals.push(asylumPendingInterval(receipt, court, stayBeganDay, endDay, replayOptionsOf(rules)));
    if (receipt.formType === "I-485") intervals.push(pendingInterval(receipt, "adjustment_pending", endDay));
  }
  for (const segment of segments) {
    // An admission or parole of the stay is authorised stay until its period ends, even after
    // unlawful presence began under an earlier entry (the parole in place after an EWI).
    const authorisedTo =
      segment.unlawfulFromDay === null ? segment.toDay : Math.min(segment.unlawfulFromDay - 1, segment.toDay);
    if (authorisedTo >= segment.fromDay) {
      intervals.push({
        reason: "authorised_stay",
        from: segment.fromDay,
        to: authorisedTo,
        evidence: segment.evidence,
      });
    }
    if (segment.unlawfulFromDay === null) continue;
    for (const receipt of timelyExtensionsOf(segment.admission)) {
      const pending = pendingInterval(receipt, "extension_pending", segment.toDay);
      // Statutory tolling lasts at most 120 days of what would otherwise be unlawful presence.
      const from = Math.max(pending.from, segment.unlawfulFromDay, startDay);
      intervals.push({
        ...pending,
        from,
        to: Math.min(pending.to, segment.toDay, from + rules.rules.extensionTollingCapDays - 1),
      });
    }
  }
  for (const grant of grants) {
    const reason = TOLLING_OF_GRANT[grant.type];
    if (reason === undefined) continue;
    intervals.push({ reason, from: grant.fromDay, to: grant.toDay ?? endDay, evidence: grant.evidence });
  }
  return intervals;
}

const REASON_ORDER: readonly TollingReason[] = [
  "under_18",
  "lawful_status",
  "authorised_stay",
  "adjustment_pending",
  "asylum_pending",
  "extension_pending",
  "tps",
  "deferred_action",
];

/**
 * Whether the verified departure that ended the stay was one before proceedings began, the only
 * departure on which the 3-year bar attaches (INA 212(a)(9)(B)(i)(I): "voluntarily departed ...
 * prior to the commencement of proceedings"): not a removal (which makes one inadmissible under
 * 212(a)(9)(A) instead), and no proceedings of the stay begun on or before its day. The 10-year bar
 * attaches on any departure or removal.
 */
function departedBeforeProceedings(stay: CurrentStay, court: readonly CourtEvent[]): boolean {
  const departure = stay.departure!;
  const removed = [departure.record, departure.claim, departure.corroboratedBy].some(
    (event) => event?.evidence === "removal_executed",
  );
  return !removed && !proceedingsBegunBy(court, stay.stayBeganDay, departure.record.day);
}

/**
 * Unlawful presence of the current stay, or null when none can have accrued. `grantPeriods` are
 * every grant over the period it was in force (`grantPeriodsOf`), each tolling that period however
 * it ended later. Null for a citizen: INA 212(a)(9)(B) makes aliens inadmissible, and citizenship
 * makes the bars moot as it does every protection (§8), whatever accrued before it.
 */
export function unlawfulPresenceOf(
  stay: CurrentStay,
  admission: AdmissionPeriod | null,
  court: readonly CourtEvent[],
  receipts: readonly Receipt[],
  grantPeriods: readonly Grant[],
  datesOfBirth: readonly Observation<string>[],
  citizenship: CitizenshipFact | null,
  asOfDay: DayNumber,
  rules: CompiledLifecycleRules,
): UnlawfulPresenceFact | null {
  if (citizenship !== null) return null;
  // A self-report is DEPARTED(claimed) until a government record corroborates it (DOMAIN.md
  // §1.8): until then the stay goes on for the bars, which attach only on departure (§1.2).
  const departure = stay.departure?.tier === "verified" ? stay.departure : null;
  const endDay = departure?.record.day ?? asOfDay;
  const segments = segmentsOf(stay, admission, court, receipts, endDay, rules);
  const earliestDay = rules.unlawfulPresenceEarliestDay;
  const first = segments.find((segment) => accruesFrom(segment, earliestDay));
  if (first === undefined) return null;
  const startDay = Math.max(first.unlawfulFromDay!, earliestDay);
  const clipped = tollingIntervals(
    stay.stayBeganDay,
    startDay,
    endDay,
    segments,
    receipts,
    court,
    grantPeriods,
    datesOfBirth,
    rules,
  )
    .map((interval) => ({
      ...interval,
      from: Math.max(interval.from, startDay),
      to: Math.min(interval.to, endDay),
    }))
    .filter((interval) => interval.from <= interval.to)
    .sort(
      (left, right) =>
        left.from - right.from ||
        REASON_ORDER.indexOf(left.reason) - REASON_ORDER.indexOf(right.reason) ||
        left.to - right.to,
    );
  // Count each tolled day once: an interval removes only the days no earlier interval removed.
  let coveredUntil = startDay - 1;
  let tolledDays = 0;
  const tolling: TollingInterval[] = [];
  for (const interval of clipped) {
    const newFrom = Math.max(interval.from, coveredUntil + 1);
    const removed = interval.to >= newFrom ? interval.to - newFrom + 1 : 0;
    coveredUntil = Math.max(coveredUntil, interval.to);
    tolledDays += removed;
    tolling.push({
      reason: interval.reason,
      from: formatDayNumber(interval.from),
      to: formatDayNumber(interval.to),
      days: removed,
      evidence: interval.evidence,
    });
  }
  const days = endDay - startDay + 1 - tolledDays;
  const { threeYearBarMinimumDays, tenYearBarMinimumDays } = rules.rules;
  const bar: UnlawfulPresenceBar =
    days >= tenYearBarMinimumDays ? "ten_year" : days >= threeYearBarMinimumDays ? "three_year" : "none";
  const accruing = segments.filter((segment) => accruesFrom(segment, startDay));
  return {
    basis: first.basis,
    accrualStart: formatDayNumber(startDay),
    accrualEnd: formatDayNumber(endDay),
    days,
    tolling,
    bar,
    barAttached: departure !== null && (bar !== "three_year" || departedBeforeProceedings(stay, court)),
    evidence: mergeCitations(
      ...accruing.map((segment) => segment.evidence),
      departure === null ? [] : citationsOf(departure.record),
    ),
  };
}
