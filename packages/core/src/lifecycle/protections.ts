import type { RecordCitation } from "../records/source-record.ts";
import { PROTECTED_STATUS_OF_FORM, type Receipt } from "./benefit-receipts.ts";
import type { DayNumber } from "./calendar-date.ts";
import { citationsOf, mergeCitations } from "./citations.ts";
import { type CourtCase, type CurrentDecision, type ReplayOptions, replayCourtCase } from "./court-case.ts";
import { type Finality, finalityOf, reliefProtectionOf } from "./court-case-status.ts";
import type { BenefitEvent, CourtEvent } from "./person-events.ts";
import type { ProtectedStatusType } from "./vocabulary.ts";

/**
 * Every protection the records grant (docs/lifecycle-semantics.md §6): approved benefits by form,
 * and court relief while the decision granting it stands (from the decision date). A removal
 * order that names a `withholding_country` withholds removal to that country: the IJ orders
 * removal and withholds it in the same decision (8 CFR 1208.16).
 */

export interface Grant {
  readonly type: ProtectedStatusType;
  readonly source: "benefit" | "court";
  readonly fromDay: DayNumber;
  readonly toDay: DayNumber | null;
  /** Withholding and CAT protect against removal to one country; null if none is recorded. */
  readonly country: string | null;
  readonly evidence: readonly RecordCitation[];
}

/** The order in which a current grant names PROTECTED_STATUS's detail (§6). */
export const PROTECTION_PRECEDENCE: readonly ProtectedStatusType[] = [
  "LPR",
  "ASYLEE",
  "REFUGEE",
  "TPS",
  "T_STATUS",
  "U_STATUS",
  "VAWA",
  "SIJ",
  "WITHHOLDING",
  "CAT",
  "DACA",
  "DEFERRED_ACTION",
];

/**
 * The removal orders of the cases (plain, or the alternate order of a VD grant), each with the day
 * it becomes final under 8 CFR 1241.1 given the events so far (that day may be after the as-of date).
 */
function orderFinalitiesOf(
  cases: readonly CourtCase[],
  verifiedDepartureDays: readonly DayNumber[],
): Finality[] {
  const finalities: Finality[] = [];
  for (const { decision } of cases) {
    if (decision === null || (decision.kind !== "removal" && decision.kind !== "voluntary_departure"))
      continue;
    const finality = finalityOf(decision, verifiedDepartureDays);
    if (finality !== null) finalities.push(finality);
  }
  return finalities.sort((left, right) => left.day - right.day);
}

/**
 * LPR status ends when a removal order becomes final (8 CFR 1.2; docs/lifecycle-semantics.md §8):
 * a grant made before that day holds to the day before it, citing the records that made the order
 * final. A grant made on or after it is permanent residence the order never ended (the LPR blocker,
 * `status-blockers.ts`), and an order vacated or reopened is no longer a case's current decision, so
 * it ends nothing.
 */
function endedByFinalOrder(grant: Grant, finalities: readonly Finality[]): Grant {
  if (grant.type !== "LPR") return grant;
  const ending = finalities.find(
    (finality) => finality.day > grant.fromDay && (grant.toDay === null || finality.day <= grant.toDay),
  );
  if (ending === undefined) return grant;
  return {
    ...grant,
    toDay: ending.day - 1,
    evidence: mergeCitations(grant.evidence, citationsOf(...ending.evidence)),
  };
}

/**
 * The grants as the receipts and cases stand: each granted receipt over its validity and each court
 * grant while its decision stands, an LPR grant ended by a removal order final since
 * (`endedByFinalOrder`). `verifiedDepartureDays` decide whether a VD grant was complied with.
 */
export function grantsOf(
  receipts: readonly Receipt[],
  cases: readonly CourtCase[],
  verifiedDepartureDays: readonly DayNumber[] = [],
): Grant[] {
  const grants: Grant[] = [];
  for (const receipt of receipts) {
    const type = PROTECTED_STATUS_OF_FORM[receipt.formType];
    if (receipt.status !== "granted" || type === undefined) continue;
    grants.push({
      type,
      source: "benefit",
      fromDay: receipt.validFromDay!,
      toDay: receipt.validToDay,
      country: null,
      evidence: citationsOf(...receipt.events),
    });
  }
  for (const courtCase of cases) {
    const grant = courtGrantOf(courtCase.decision);
    if (grant !== null) grants.push(grant);
  }
  const finalities = orderFinalitiesOf(cases, verifiedDepartureDays);
  return grants.map((grant) => endedByFinalOrder(grant, finalities));
}

/** The protection a court decision grants while it stands (from its date), or null. */
function courtGrantOf(decision: CurrentDecision | null): Grant | null {
  if (decision === null) return null;
  const { event } = decision;
  const relief = reliefProtectionOf(event.reliefType);
  let type: ProtectedStatusType | null = null;
  if (decision.kind === "relief") type = relief;
  else if (
    (decision.kind === "removal" || decision.kind === "voluntary_departure") &&
    event.withholdingCountry !== null
  ) {
    type = relief === "CAT" ? "CAT" : "WITHHOLDING";
  }
  if (type === null) return null;
  return {
    type,
    source: "court",
    fromDay: event.day,
    toDay: null,
    country: type === "WITHHOLDING" || type === "CAT" ? event.withholdingCountry : null,
    evidence: citationsOf(event, decision.affirmedBy),
  };
}

/** Receipt events after which an approval no longer holds (a later approval renews, it ends nothing). */
const ENDING_EVENTS: ReadonlySet<string> = new Set(["denied", "withdrawn", "terminated", "revoked"]);

/** One approval on a receipt and the days it was in force. */
export interface ApprovalPeriod {
  readonly approval: BenefitEvent;
  readonly fromDay: DayNumber;
  /** The earlier of its `valid_to` and the day before the event that ended it; null while open. */
  readonly toDay: DayNumber | null;
  /** The withdrawal, termination, revocation or denial that ended it early, if any. */
  readonly endedBy: BenefitEvent | null;
  /** The receipt's events up to the one that ended it. */
  readonly events: readonly BenefitEvent[];
}

/**
 * Every approval on a receipt with the period it was in force, whatever happened after it: a
 * withdrawal, termination or revocation ends a grant on its day, not retroactively
 * (docs/lifecycle-semantics.md §8, §9). An approval ended on or before the day it would start never held.
 */
export function approvalPeriodsOf(receipt: Receipt): ApprovalPeriod[] {
  const periods: ApprovalPeriod[] = [];
  for (const [index, approval] of receipt.events.entries()) {
    if (approval.event !== "approved") continue;
    const endedAt = receipt.events.findIndex((event, at) => at > index && ENDING_EVENTS.has(event.event));
    const endedBy = endedAt === -1 ? null : receipt.events[endedAt]!;
    const fromDay = approval.validFromDay ?? approval.day;
    const ownEnd = approval.validToDay;
    const toDay = endedBy === null ? ownEnd : Math.min(ownEnd ?? endedBy.day - 1, endedBy.day - 1);
    if (toDay !== null && toDay < fromDay) continue;
    const events = endedAt === -1 ? receipt.events : receipt.events.slice(0, endedAt + 1);
    periods.push({ approval, fromDay, toDay, endedBy, events });
  }
  return periods;
}

/**
 * Every protection the records show in force at some time, each over the period it was (for
 * unlawful presence, which a grant tolls while it held however it ended later, §9): each approval
 * of a receipt until it expired or was ended, and each court grant from its decision to the day
 * before the event that took its place (a reopening, a board ruling, a new decision); an LPR grant
 * until a removal order final since ended it (`endedByFinalOrder`). The status as of a day reads
 * `grantsOf`, the grants in force on it.
 */
export function grantPeriodsOf(
  receipts: readonly Receipt[],
  cases: readonly CourtCase[],
  options: ReplayOptions,
  verifiedDepartureDays: readonly DayNumber[] = [],
): Grant[] {
  const grants: Grant[] = [];
  for (const receipt of receipts) {
    const type = PROTECTED_STATUS_OF_FORM[receipt.formType];
    if (type === undefined) continue;
    for (const period of approvalPeriodsOf(receipt)) {
      grants.push({
        type,
        source: "benefit",
        fromDay: period.fromDay,
        toDay: period.toDay,
        country: null,
        evidence: citationsOf(...period.events),
      });
    }
  }
  for (const courtCase of cases) grants.push(...courtGrantPeriodsOf(courtCase.events, options));
  const finalities = orderFinalitiesOf(cases, verifiedDepartureDays);
  return grants.map((grant) => endedByFinalOrder(grant, finalities));
}

/**
 * The court grants of one case over time: the case replayed event by event, a grant holding from
 * its decision while that decision stays the case's current one. The event that replaced it ends
 * it the day before (cited with it).
 */
function courtGrantPeriodsOf(events: readonly CourtEvent[], options: ReplayOptions): Grant[] {
  const periods: Grant[] = [];
  let open: { grant: Grant; decision: CourtEvent } | null = null;
  for (let index = 0; index < events.length; index += 1) {
    const decision = replayCourtCase(events.slice(0, index + 1), options).decision;
    if (open !== null && decision?.event !== open.decision) {
      const ending = events[index]!;
      const toDay = ending.day - 1;
      if (toDay >= open.grant.fromDay)
        periods.push({
          ...open.grant,
          toDay,
          evidence: mergeCitations(open.grant.evidence, citationsOf(ending)),
        });
      open = null;
    }
    if (open === null) {
      const grant = courtGrantOf(decision);
      if (grant !== null) open = { grant, decision: decision!.event };
    } else {
      open = { grant: courtGrantOf(decision) ?? open.grant, decision: open.decision };
    }
  }
  if (open !== null) periods.push(open.grant);
  return periods;
}

export function isCurrent(grant: Grant, asOfDay: DayNumber): boolean {
  return grant.fromDay <= asOfDay && (grant.toDay === null || grant.toDay >= asOfDay);
}
