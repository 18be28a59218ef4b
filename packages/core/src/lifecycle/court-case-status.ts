import type { DayNumber } from "./calendar-date.ts";
import {
  activeVoluntaryDepartureDeadline,
  type CourtCase,
  type CurrentDecision,
  certifiedToBoard,
  departureWithin,
  hasNoAppealPeriod,
  isBeforeBoard,
  isInAbsentiaOrder,
} from "./court-case.ts";
import type { CourtEvent } from "./person-events.ts";
import type { FinalityRule, PrimaryState } from "./vocabulary.ts";

/**
 * Where a replayed court case stands on the as-of date: finality under 8 CFR 1241.1 (all six
 * ways), the court-driven primary state (docs/lifecycle-semantics.md §2 items 3-10) and the
 * court blockers (appeal window, appeal pending, in absentia motion, VD period, order not final).
 */

export interface Finality {
  readonly day: DayNumber;
  readonly rule: FinalityRule;
  readonly evidence: readonly CourtEvent[];
}

export interface CourtStage {
  readonly state: PrimaryState;
  readonly detail: string | null;
  readonly sinceDay: DayNumber | null;
  readonly untilDay: DayNumber | null;
  readonly evidence: readonly CourtEvent[];
}

export interface CourtCaseStatus {
  /** The state the case gives the person, or null when the case no longer drives it. */
  readonly stage: CourtStage | null;
  /** The current decision is a removal order (plain, or the alternate order of a VD grant). */
  readonly hasOrder: boolean;
  /** Finality as it will be with the events known so far (its day may be after the as-of date). */
  readonly finality: Finality | null;
  readonly isFinal: boolean;
  readonly withinAppealWindow: boolean;
  readonly appealPending: boolean;
  readonly voluntaryDepartureRunning: boolean;
  /** A verified departure within the VD period: voluntary departure complied with. */
  readonly voluntaryDepartureCompliedDay: DayNumber | null;
  readonly motionInAbsentiaPending: boolean;
}

const isOrder = (decision: CurrentDecision) =>
  decision.kind === "removal" || decision.kind === "voluntary_departure";

const present = (...events: (CourtEvent | null)[]): CourtEvent[] =>
  events.filter((event): event is CourtEvent => event !== null);

/**
 * When the current decision's order becomes final under 8 CFR 1241.1, given the events so far;
 * null when it cannot (an appeal or certification undecided, voluntary departure complied with).
 * While the case is before the Board (`isBeforeBoard`), the Board's decision decides: even an order
 * final when made under (b) or (e) is held by a certification (8 CFR 1003.6(a)). Except under (b)
 * and (e), never before the day after the appeal window: the IJ decision is stayed during the
 * appeal period (8 CFR 1003.6(a)).
 */
export function finalityOf(
  decision: CurrentDecision,
  verifiedDepartureDays: readonly DayNumber[],
): Finality | null {
  const { event } = decision;
  const afterWindow = decision.appealDeadlineDay + 1;
  const noAppealPeriod = hasNoAppealPeriod(decision);
  const notBeforeWindow = (day: DayNumber) => (noAppealPeriod ? day : Math.max(day, afterWindow));
  const terminatedBy = decision.voluntaryDepartureTerminatedBy;
  if (isBeforeBoard(decision)) {
    const affirmedBy = decision.affirmedBy;
    if (affirmedBy === null) return null;
    const reinstatedUntil = decision.reinstatedVoluntaryDepartureUntil;
    if (decision.kind !== "voluntary_departure" || reinstatedUntil === null) {
      return {
        day: notBeforeWindow(affirmedBy.day),
        rule: certifiedToBoard(decision) ? "d" : "a",
        evidence: present(event, decision.appealFiled, affirmedBy),
      };
    }
    // The Board's VD period (reinstated, or granted with its dismissal): (f) applies to it.
    const evidence = present(event, decision.appealFiled, affirmedBy, terminatedBy);
    if (terminatedBy !== null) return { day: notBeforeWindow(terminatedBy.day), rule: "f", evidence };
    if (departureWithin(verifiedDepartureDays, affirmedBy.day, reinstatedUntil) !== null) return null;
    return { day: notBeforeWindow(Math.max(reinstatedUntil + 1, affirmedBy.day)), rule: "f", evidence };
  }
  if (decision.kind === "removal") {
    if (isInAbsentiaOrder(decision)) return { day: event.day, rule: "e", evidence: [event] };
    if (event.appealWaived) return { day: event.day, rule: "b", evidence: [event] };
    return { day: afterWindow, rule: "c", evidence: [event] };
  }
  if (decision.kind !== "voluntary_departure") return null;
  const deadline = decision.voluntaryDepartureDeadlineDay!;
  let day: DayNumber;
  if (terminatedBy !== null) day = terminatedBy.day;
  else if (departureWithin(verifiedDepartureDays, event.day, deadline) !== null) return null;
  else day = deadline + 1;
  return { day: notBeforeWindow(day), rule: "f", evidence: present(event, terminatedBy) };
}

function stage(
  state: PrimaryState,
  sinceDay: DayNumber,
  untilDay: DayNumber | null,
  evidence: CourtEvent[],
): CourtStage {
  return { state, detail: null, sinceDay, untilDay, evidence };
}

const NOT_DRIVING: CourtCaseStatus = {
  stage: null,
  hasOrder: false,
  finality: null,
  isFinal: false,
  withinAppealWindow: false,
  appealPending: false,
  voluntaryDepartureRunning: false,
  voluntaryDepartureCompliedDay: null,
  motionInAbsentiaPending: false,
};

/** The case's state and court facts on `asOfDay` (all its events are on or before it). */
export function courtCaseStatus(
  courtCase: CourtCase,
  asOfDay: DayNumber,
  verifiedDepartureDays: readonly DayNumber[],
): CourtCaseStatus {
  const decision = courtCase.decision;
  if (decision === null) return { ...NOT_DRIVING, stage: proceedingsStage(courtCase) };
  const { event } = decision;
  const appealUndecided =
    decision.appealTimely && decision.appealFiled !== null && decision.appealDecided === null;
  // An order is held only by an appeal or certification the Board has (`isBeforeBoard`): a plain
  // appeal of an order final when made (b, e) holds nothing.
  const appealPending = appealUndecided && (!isOrder(decision) || isBeforeBoard(decision));
  const withinAppealWindow = !hasNoAppealPeriod(decision) && asOfDay <= decision.appealDeadlineDay;
  if (!isOrder(decision)) {
    const base = { ...NOT_DRIVING, withinAppealWindow: false, appealPending: false };
    if (appealPending) {
      return {
        ...base,
        stage: stage("BIA_PENDING", decision.appealFiled!.day, null, present(event, decision.appealFiled)),
      };
    }
    const concludedDay = conclusionDay(decision);
    if (concludedDay !== null && concludedDay <= asOfDay) {
      // A final grant of relief gives way to the status it confers (§6); termination and
      // dismissal end the case. Relief the feed does not name keeps the case as IJ_DECIDED.
      if (decision.kind === "relief" && reliefProtectionOf(event.reliefType) === null) {
        return {
          ...base,
          stage: { ...stage("IJ_DECIDED", event.day, null, [event]), detail: event.outcome },
        };
      }
      return base;
    }
    return {
      ...base,
      stage: {
        ...stage("IJ_DECIDED", event.day, decision.appealDeadlineDay, [event]),
        detail: event.outcome,
      },
    };
  }
  const finality = finalityOf(decision, verifiedDepartureDays);
  const isFinal = finality !== null && finality.day <= asOfDay;
  const activeDeadline = activeVoluntaryDepartureDeadline(decision);
  const terminatedBy = decision.voluntaryDepartureTerminatedBy;
  const periodStart =
    decision.reinstatedVoluntaryDepartureUntil !== null ? decision.affirmedBy!.day : event.day;
  const compliedDay =
    activeDeadline === null ? null : departureWithin(verifiedDepartureDays, periodStart, activeDeadline);
  const voluntaryDepartureRunning =
    !isFinal &&
    activeDeadline !== null &&
    asOfDay <= activeDeadline &&
    (terminatedBy === null || terminatedBy.day > asOfDay) &&
    (compliedDay === null || compliedDay > asOfDay);
  if (finality === null && compliedDay !== null && compliedDay <= asOfDay) {
    // Voluntary departure complied with: the alternate order can no longer take effect.
    return { ...NOT_DRIVING, voluntaryDepartureCompliedDay: compliedDay };
  }
  const motionInAbsentiaPending = isInAbsentiaOrder(decision) && decision.undecidedMotions > 0;
  const facts = {
    hasOrder: true,
    finality,
    isFinal,
    withinAppealWindow,
    appealPending,
    voluntaryDepartureRunning,
    voluntaryDepartureCompliedDay: compliedDay,
    motionInAbsentiaPending,
  };
  if (isFinal) return { ...facts, stage: stage("FINAL_ORDER", finality.day, null, [...finality.evidence]) };
  if (voluntaryDepartureRunning) {
    return {
      ...facts,
      stage: stage("VD_PERIOD", periodStart, activeDeadline, present(event, decision.affirmedBy)),
    };
  }
  if (appealPending) {
    return {
      ...facts,
      stage: stage("BIA_PENDING", decision.appealFiled!.day, null, present(event, decision.appealFiled)),
    };
  }
  if (withinAppealWindow) {
    return { ...facts, stage: stage("APPEAL_WINDOW", event.day, decision.appealDeadlineDay, [event]) };
  }
  return {
    ...facts,
    stage: {
      ...stage("IJ_DECIDED", event.day, null, present(event, decision.appealDecided)),
      detail: event.outcome,
    },
  };
}

/** The day a decision that is not an order stops being open to appeal, or null while undecided on appeal. */
function conclusionDay(decision: CurrentDecision): DayNumber | null {
  const { event } = decision;
  if (event.eventType === "appeal_decided") return event.day;
  if (event.appealWaived) return event.day;
  const afterWindow = decision.appealDeadlineDay + 1;
  if (!decision.appealTimely) return afterWindow;
  return decision.affirmedBy === null ? null : Math.max(decision.affirmedBy.day, afterWindow);
}

function proceedingsStage(courtCase: CourtCase): CourtStage | null {
  const { adminClosedBy, reopenedBy, firstHearing, ntaFiled } = courtCase;
  if (adminClosedBy !== null) {
    return {
      state: "IN_PROCEEDINGS",
      detail: "admin_closed",
      sinceDay: adminClosedBy.day,
      untilDay: null,
      evidence: [adminClosedBy],
    };
  }
  if (reopenedBy !== null) {
    return {
      state: "IN_PROCEEDINGS",
      detail: null,
      sinceDay: reopenedBy.day,
      untilDay: null,
      evidence: present(ntaFiled, reopenedBy),
    };
  }
  if (firstHearing !== null) {
    return {
      state: "IN_PROCEEDINGS",
      detail: null,
      sinceDay: firstHearing.day,
      untilDay: null,
      evidence: present(ntaFiled, firstHearing),
    };
  }
  if (ntaFiled !== null) {
    return {
      state: "NTA_ISSUED",
      detail: null,
      sinceDay: ntaFiled.day,
      untilDay: null,
      evidence: [ntaFiled],
    };
  }
  return null;
}

export const COURT_RELIEF_PROTECTIONS = ["ASYLEE", "WITHHOLDING", "CAT", "LPR"] as const;
export type CourtReliefProtection = (typeof COURT_RELIEF_PROTECTIONS)[number];

/**
 * The protection a court's relief type confers (§6): asylum -> ASYLEE; withholding -> WITHHOLDING;
 * cat -> CAT; cancellation or adjustment -> LPR. Longer spellings (`cancellation_of_removal`,
 * `cat_deferral`) are read by their first word.
 */
export function reliefProtectionOf(reliefType: string | null): CourtReliefProtection | null {
  if (reliefType === null) return null;
  const word = reliefType.split(/[^a-z]/)[0];
  switch (word) {
    case "asylum":
      return "ASYLEE";
    case "withholding":
      return "WITHHOLDING";
    case "cat":
      return "CAT";
    case "cancellation":
    case "adjustment":
      return "LPR";
    default:
      return null;
  }
}
