import type { RecordCitation } from "../records/source-record.ts";
import type { AdmissionPeriod } from "./admission-period.ts";
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
import type { CurrentStay } from "./current-stay.ts";
import type { CourtEvent, Observation } from "./person-events.ts";
import type {
  TollingInterval,
  TollingReason,
  UnlawfulPresenceBar,
  UnlawfulPresenceBasis,
  UnlawfulPresenceFact,
} from "./person-status.ts";
import type { Grant } from "./protections.ts";
import type { ProtectedStatusType } from "./vocabulary.ts";

/**
 * Unlawful presence in the current stay (INA 212(a)(9)(B); docs/lifecycle-semantics.md §9):
 * the days from the accrual start to the departure (or the as-of date), inclusive, minus typed
 * tolling intervals that each cite their record.
 */

interface Accrual {
  readonly basis: UnlawfulPresenceBasis;
  readonly startDay: DayNumber;
  readonly evidence: readonly RecordCitation[];
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

const REMOVAL_ORDERS = new Set(["removal_ordered", "vd_with_alternate_order"]);

function accrualOf(
  stay: CurrentStay,
  admission: AdmissionPeriod | null,
  court: readonly CourtEvent[],
): Accrual | null {
  const latest = stay.latestEntry;
  if (latest === null) return null;
  if (latest.kind === "entry_without_inspection") {
    const first = stay.stayEntries.find((entry) => entry.kind === "entry_without_inspection")!;
    return {
      basis: "entry_without_inspection",
      startDay: first.event.day,
      evidence: citationsOf(first.event),
    };
  }
  if (admission === null) return null;
  if (admission.authorisedUntilDay !== null) {
    const extensions = admission.extensionFilings
      .filter((filing) => filing.receipt.status === "granted")
      .flatMap((filing) => filing.receipt.events);
    return {
      basis: admission.kind === "parole" ? "parole_ended" : "authorised_stay_ended",
      startDay: admission.authorisedUntilDay + 1,
      evidence: citationsOf(admission.entry, ...extensions),
    };
  }
  // D/S: no accrual until a formal finding; the one the records show is an IJ removal order
  // (Guilford College v. Wolf vacated the 2018 memo that started it automatically).
  const order = court.find(
    (event) =>
      event.eventType === "decision" &&
      REMOVAL_ORDERS.has(event.outcome ?? "") &&
      event.day >= admission.entry.day,
  );
  if (order === undefined) return null;
  return {
    basis: "duration_of_status_order",
    startDay: order.day + 1,
    evidence: citationsOf(admission.entry, order),
  };
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

function tollingIntervals(
  accrual: Accrual,
  endDay: DayNumber,
  admission: AdmissionPeriod | null,
  receipts: readonly Receipt[],
  grants: readonly Grant[],
  datesOfBirth: readonly Observation<string>[],
  rules: CompiledLifecycleRules,
): RawInterval[] {
  const intervals: RawInterval[] = [];
  const minority = minorityEnd(datesOfBirth, rules);
  if (minority !== null) {
    intervals.push({
      reason: "under_18",
      from: accrual.startDay,
      to: minority.day,
      evidence: [minority.citation],
    });
  }
  for (const receipt of receipts) {
    if (receipt.formType === "I-589") intervals.push(pendingInterval(receipt, "asylum_pending", endDay));
    if (receipt.formType === "I-485") intervals.push(pendingInterval(receipt, "adjustment_pending", endDay));
  }
  for (const filing of admission?.extensionFilings ?? []) {
    if (!filing.timely) continue;
    const pending = pendingInterval(filing.receipt, "extension_pending", endDay);
    // Statutory tolling lasts at most 120 days of what would otherwise be unlawful presence.
    const from = Math.max(pending.from, accrual.startDay);
    intervals.push({
      ...pending,
      from,
      to: Math.min(pending.to, from + rules.rules.extensionTollingCapDays - 1),
    });
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
  "adjustment_pending",
  "asylum_pending",
  "extension_pending",
  "tps",
  "deferred_action",
];

/** Unlawful presence of the current stay, or null when none can have accrued. */
export function unlawfulPresenceOf(
  stay: CurrentStay,
  admission: AdmissionPeriod | null,
  court: readonly CourtEvent[],
  receipts: readonly Receipt[],
  grants: readonly Grant[],
  datesOfBirth: readonly Observation<string>[],
  asOfDay: DayNumber,
  rules: CompiledLifecycleRules,
): UnlawfulPresenceFact | null {
  const accrual = accrualOf(stay, admission, court);
  if (accrual === null) return null;
  const startDay = Math.max(accrual.startDay, rules.unlawfulPresenceEarliestDay);
  const endDay = stay.departure?.record.day ?? asOfDay;
  if (startDay > endDay) return null;
  const clipped = tollingIntervals(
    { ...accrual, startDay },
    endDay,
    admission,
    receipts,
    grants,
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
  const departure = stay.departure;
  return {
    basis: accrual.basis,
    accrualStart: formatDayNumber(startDay),
    accrualEnd: formatDayNumber(endDay),
    days,
    tolling,
    bar,
    barAttached: departure !== null,
    evidence: mergeCitations(accrual.evidence, departure === null ? [] : citationsOf(departure.record)),
  };
}
