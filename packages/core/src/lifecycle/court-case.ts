import { appealDeadlineDay } from "./appeal-deadline.ts";
import type { DayNumber } from "./calendar-date.ts";
import type { CompiledLifecycleRules } from "./compiled-lifecycle-rules.ts";
import { businessDayOnOrAfter } from "./federal-holidays.ts";
import type { CourtEvent } from "./person-events.ts";

/**
 * One court case replayed event by event (docs/lifecycle-semantics.md §2-§5): where the case
 * stands after its last event on or before the as-of date. Which decision is current, whether
 * an appeal was timely, whether voluntary departure was terminated or reinstated, whether the
 * case was reopened. Finality and the state as of a date are computed from this in
 * `court-case-status.ts`.
 */

export const DECISION_KINDS = [
  "removal",
  "voluntary_departure",
  "relief",
  "terminated",
  "dismissed",
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

const DECISION_KIND_OF_OUTCOME: Readonly<Record<string, DecisionKind>> = {
  removal_ordered: "removal",
  vd_with_alternate_order: "voluntary_departure",
  relief_granted: "relief",
  terminated: "terminated",
  dismissed: "dismissed",
};

/** Outcomes of `appeal_decided` that leave the IJ decision standing (dismissal; "denied" on certification). */
const AFFIRMING_OUTCOMES = new Set(["dismissed", "denied"]);
/** Outcomes of `appeal_decided` that send the case back (the decision no longer stands). */
const REOPENING_OUTCOMES = new Set(["sustained", "remanded", "granted"]);

export interface CurrentDecision {
  readonly event: CourtEvent;
  /**
   * What the decision is; a removal order becomes the alternate order of a voluntary departure grant
   * when the Board grants VD with its dismissal.
   */
  kind: DecisionKind;
  /** Last day to file a timely appeal. */
  readonly appealDeadlineDay: DayNumber;
  /** Last day to depart under the IJ's grant, rolled past a weekend or legal holiday. */
  readonly voluntaryDepartureDeadlineDay: DayNumber | null;
  readonly voluntaryDepartureDeadlineRecorded: boolean;
  appealFiled: CourtEvent | null;
  appealTimely: boolean;
  appealDecided: CourtEvent | null;
  /** The board's decision that left this decision standing. */
  affirmedBy: CourtEvent | null;
  /**
   * The VD deadline given with the board's dismissal: VD reinstated (8 CFR 1240.26(i)), or granted by
   * the Board on a removal order ("dismissed with VD", "summary affirmance with VD"); rolled past a
   * weekend or legal holiday as the IJ's is.
   */
  reinstatedVoluntaryDepartureUntil: DayNumber | null;
  /** A motion filed during the VD period terminated it (8 CFR 1240.26(e)(1), the 2008 rule). */
  voluntaryDepartureTerminatedBy: CourtEvent | null;
  /** The latest motion filed against this decision. */
  motionFiled: CourtEvent | null;
  /** The latest motion decision once no motion is undecided; null while one is. */
  motionDecided: CourtEvent | null;
  /**
   * Motions filed and not yet decided. The feed carries no motion id, so decisions are matched
   * to filings by count: a stay tied to a motion holds while filings outnumber the decisions
   * that follow them (a second motion is not decided by the ruling on the first).
   */
  undecidedMotions: number;
}

export interface StayOfRemoval {
  readonly granted: CourtEvent;
  readonly untilDay: DayNumber | null;
  liftedBy: CourtEvent | null;
}

export interface CourtCase {
  readonly caseId: string;
  readonly caseType: string;
  readonly events: readonly CourtEvent[];
  readonly lastEventDay: DayNumber;
  readonly ntaFiled: CourtEvent | null;
  readonly firstHearing: CourtEvent | null;
  readonly decision: CurrentDecision | null;
  readonly reopenedBy: CourtEvent | null;
  readonly adminClosedBy: CourtEvent | null;
  readonly stays: readonly StayOfRemoval[];
}

export interface ReplayOptions {
  readonly appealWindowDays: number;
  readonly extraClosedDays: ReadonlySet<DayNumber>;
  readonly voluntaryDepartureDefaultDays: number;
  /** VD period of a pre-conclusion grant with no deadline. */
  readonly voluntaryDeparturePreConclusionDefaultDays: number;
}

/** The replay options the lifecycle rules set: every reader of court cases replays them alike. */
export function replayOptionsOf(rules: CompiledLifecycleRules): ReplayOptions {
  return {
    appealWindowDays: rules.rules.appealWindowDays,
    extraClosedDays: rules.extraClosedDays,
    voluntaryDepartureDefaultDays: rules.rules.voluntaryDepartureDefaultDays,
    voluntaryDeparturePreConclusionDefaultDays: rules.rules.voluntaryDeparturePreConclusionDefaultDays,
  };
}

/** Groups the person's court events (already sorted) by case, in order of first appearance. */
export function groupByCase(events: readonly CourtEvent[]): Map<string, CourtEvent[]> {
  const cases = new Map<string, CourtEvent[]>();
  for (const event of events) {
    const list = cases.get(event.caseId);
    if (list === undefined) cases.set(event.caseId, [event]);
    else list.push(event);
  }
  return cases;
}

/**
 * The VD period assumed when a grant records no deadline: the longest the grant may run, so that
 * removal is never read as due while it may still run (DOMAIN.md §1.9). A grant with the appeal
 * waived is read as pre-conclusion, which requires the waiver (8 CFR 1240.26(b)(1)(i)(D)) and
 * runs up to 120 days (INA 240B(a)(2)(A)); any other as post-conclusion, up to 60 (INA 240B(b)(2)).
 */
function assumedVoluntaryDepartureDays(event: CourtEvent, options: ReplayOptions): number {
  if (!event.appealWaived) return options.voluntaryDepartureDefaultDays;
  return options.voluntaryDeparturePreConclusionDefaultDays;
}

/**
 * The last day to depart voluntarily: the period's last day (recorded, or assumed), or when that day
 * is a Saturday, Sunday or legal holiday the next business day. INA 240B (8 U.S.C. 1229c) counts its
 * periods in days under the background rule that a deadline falling on such a day extends to the
 * next business day (Monsalvo Velazquez v. Bondi, 604 U.S. ___ (2025); 8 CFR 1001.1(h)).
 */
function voluntaryDepartureLastDay(day: DayNumber, options: ReplayOptions): DayNumber {
  return businessDayOnOrAfter(day, options.extraClosedDays);
}

function newDecision(event: CourtEvent, kind: DecisionKind, options: ReplayOptions): CurrentDecision {
  const voluntaryDeparture = kind === "voluntary_departure";
  return {
    event,
    kind,
    appealDeadlineDay: appealDeadlineDay(event.day, options.appealWindowDays, options.extraClosedDays),
    voluntaryDepartureDeadlineDay: voluntaryDeparture
      ? voluntaryDepartureLastDay(
          event.deadlineDay ?? event.day + assumedVoluntaryDepartureDays(event, options),
          options,
        )
      : null,
    voluntaryDepartureDeadlineRecorded: voluntaryDeparture && event.deadlineDay !== null,
    appealFiled: null,
    appealTimely: false,
    appealDecided: null,
    affirmedBy: null,
    reinstatedVoluntaryDepartureUntil: null,
    voluntaryDepartureTerminatedBy: null,
    motionFiled: null,
    motionDecided: null,
    undecidedMotions: 0,
  };
}

/** The case is before the Board by certification: `certified = Y` on the appeal or on its decision. */
export function certifiedToBoard(decision: CurrentDecision): boolean {
  return decision.appealFiled?.certified === true || decision.appealDecided?.certified === true;
}

/**
 * The decision has no appeal period: the respondent waived appeal (8 CFR 1241.1(b)), or it is a
 * removal order entered in absentia (1241.1(e)), which is challenged by a motion to reopen.
 */
export function hasNoAppealPeriod(decision: CurrentDecision): boolean {
  return decision.event.appealWaived || isInAbsentiaOrder(decision);
}

/**
 * A removal order entered in absentia (INA 240(b)(5)). The flag means nothing on another outcome
 * (a VD grant, relief, a termination are not in absentia orders), so every reading of it goes
 * through here: final when made (e), no appeal window, stayed by a motion to reopen.
 */
export function isInAbsentiaOrder(decision: CurrentDecision): boolean {
  return decision.kind === "removal" && decision.event.inAbsentia;
}

/**
 * The Board's decision, not the IJ's, decides when the order is final: a timely appeal of a decision
 * open to appeal, or a certification of any decision, since no decision is executed while the case is
 * before the Board by certification (8 CFR 1003.6(a)), even one final when made. A plain appeal of an
 * order with no appeal period holds nothing: the order stays final under (b) or (e).
 */
export function isBeforeBoard(decision: CurrentDecision): boolean {
  return decision.appealTimely && (certifiedToBoard(decision) || !hasNoAppealPeriod(decision));
}

/**
 * A deadline on the Board's dismissal sets a VD period (DOMAIN.md §1.4: BIA "dismissed with VD",
 * "summary affirmance with VD"): it reinstates an IJ grant, or grants VD on a removal order the
 * Board had before it (a timely appeal or a certification; an order final without the Board keeps
 * its finality).
 */
function grantsVoluntaryDeparture(decision: CurrentDecision): boolean {
  if (decision.kind === "voluntary_departure") return true;
  return decision.kind === "removal" && isBeforeBoard(decision);
}

/**
 * The Board grants relief itself (`appeal_decided` `relief_granted`): its decision replaces the IJ's
 * and decides the case as an IJ grant of that relief would (§6: asylum -> ASYLEE, withholding or CAT
 * for `withholding_country`, ...), from the Board's date, with no further appeal to the Board. The
 * IJ decision's appeal (and its last day to appeal) stay on record.
 */
function boardGrantOfRelief(
  event: CourtEvent,
  previous: CurrentDecision | null,
  options: ReplayOptions,
): CurrentDecision {
  const granted = newDecision(event, "relief", options);
  return {
    ...granted,
    appealDeadlineDay: previous?.appealDeadlineDay ?? event.day,
    appealFiled: previous?.appealFiled ?? null,
    appealTimely: true,
    appealDecided: event,
    affirmedBy: event,
  };
}

/**
 * Whether the plain (not certified) appeal recorded holds the order: filed in time against a
 * decision with an appeal period (not one final when made: waived, or an in absentia order).
 */
function plainAppealHolds(decision: CurrentDecision): boolean {
  return decision.appealTimely && !hasNoAppealPeriod(decision);
}

/** The VD deadline in force: the one the board reinstated, else the IJ's while no appeal was decided. */
export function activeVoluntaryDepartureDeadline(decision: CurrentDecision): DayNumber | null {
  if (decision.kind !== "voluntary_departure") return null;
  if (decision.reinstatedVoluntaryDepartureUntil !== null) return decision.reinstatedVoluntaryDepartureUntil;
  return decision.affirmedBy === null ? decision.voluntaryDepartureDeadlineDay : null;
}

/**
 * The stays of a case that a `stay_lifted` lifts: those granted before its day and still in effect
 * then. Records give a day, not an hour, so a stay granted on the lift's own day may have come after
 * it (a temporary stay lifted and a stay pending appeal granted the same day): it is read as still
 * in effect, the reading that cannot expose anyone to removal, unless the lift has nothing else to
 * lift, which makes it that stay, granted and lifted the same day.
 */
function staysLiftedBy(lift: CourtEvent, stays: readonly StayOfRemoval[]): StayOfRemoval[] {
  const unlifted = stays.filter((stay) => stay.liftedBy === null);
  const earlier = unlifted.filter(
    (stay) => stay.granted.day < lift.day && (stay.untilDay === null || stay.untilDay >= lift.day),
  );
  return earlier.length > 0 ? earlier : unlifted.filter((stay) => stay.granted.day === lift.day);
}

/** Replays one case's events (sorted, all on or before the as-of date). */
/** The first of these days within `from`..`to` (both included), or null. */
export function departureWithin(
  days: readonly DayNumber[],
  from: DayNumber,
  to: DayNumber,
): DayNumber | null {
  for (const day of days) if (day >= from && day <= to) return day;
  return null;
}

/**
 * Replays one case's events into its current decision, stays and milestones. `verifiedDepartureDays`
 * (the person's verified departures) matter to one rule: a motion filed during a VD period
 * terminates the grant only if filed before departing (8 CFR 1240.26(e)(1)); one filed after a
 * verified departure within the period, which complied with it, terminates nothing.
 */
export function replayCourtCase(
  events: readonly CourtEvent[],
  options: ReplayOptions,
  verifiedDepartureDays: readonly DayNumber[] = [],
): CourtCase {
  let ntaFiled: CourtEvent | null = null;
  let firstHearing: CourtEvent | null = null;
  let decision: CurrentDecision | null = null;
  let reopenedBy: CourtEvent | null = null;
  let adminClosedBy: CourtEvent | null = null;
  const stays: StayOfRemoval[] = [];
  for (const event of events) {
    switch (event.eventType) {
      case "nta_filed":
        ntaFiled ??= event;
        break;
      case "hearing":
        firstHearing ??= event;
        adminClosedBy = null;
        break;
      case "decision": {
        const kind = event.outcome === null ? undefined : DECISION_KIND_OF_OUTCOME[event.outcome];
        if (kind !== undefined) {
          decision = newDecision(event, kind, options);
          reopenedBy = null;
          adminClosedBy = null;
        } else if (event.outcome === "admin_closed") {
          decision = null;
          adminClosedBy = event;
        } else {
          // A decision without a dispositive outcome (e.g. a relief application denied) is one
          // more step in the proceedings, not an order.
          firstHearing ??= event;
          adminClosedBy = null;
        }
        break;
      }
      case "appeal_filed":
        if (decision === null || decision.appealDecided !== null) break;
        if (decision.appealFiled === null) {
          decision.appealFiled = event;
          decision.appealTimely = event.certified || event.day <= decision.appealDeadlineDay;
        } else if (event.certified && !decision.appealFiled.certified && !plainAppealHolds(decision)) {
          // A certification after a plain appeal that held nothing (late, or of an order final when
          // made) puts the case before the Board all the same (8 CFR 1003.6(a)).
          decision.appealFiled = event;
          decision.appealTimely = true;
        }
        break;
      case "appeal_decided":
        if (event.outcome !== null && REOPENING_OUTCOMES.has(event.outcome)) {
          decision = null;
          reopenedBy = event;
          adminClosedBy = null;
          break;
        }
        if (event.outcome === "admin_closed") {
          decision = null;
          adminClosedBy = event;
          break;
        }
        if (event.outcome === "relief_granted") {
          decision = boardGrantOfRelief(event, decision, options);
          reopenedBy = null;
          adminClosedBy = null;
          break;
        }
        if (decision === null) break;
        if (decision.appealFiled === null) decision.appealTimely = true;
        decision.appealDecided = event;
        if (event.outcome === "terminated") {
          decision = newDecision(event, "terminated", options);
          decision.affirmedBy = event;
        } else if (event.outcome !== null && AFFIRMING_OUTCOMES.has(event.outcome)) {
          decision.affirmedBy = event;
          if (event.deadlineDay !== null && grantsVoluntaryDeparture(decision)) {
            // The board's VD period replaces the IJ's, and with it any earlier termination; on a
            // removal order it is a grant by the Board, whose order becomes the alternate order.
            decision.kind = "voluntary_departure";
            decision.reinstatedVoluntaryDepartureUntil = voluntaryDepartureLastDay(
              event.deadlineDay,
              options,
            );
            decision.voluntaryDepartureTerminatedBy = null;
          }
        }
        break;
      case "motion_filed":
        if (decision === null) break;
        decision.motionFiled = event;
        decision.motionDecided = null;
        decision.undecidedMotions += 1;
        if (decision.voluntaryDepartureTerminatedBy === null) {
          const deadline = activeVoluntaryDepartureDeadline(decision);
          const periodStart =
            decision.reinstatedVoluntaryDepartureUntil !== null
              ? decision.affirmedBy!.day
              : decision.event.day;
          // A departure on the motion's own day is read as before it: the reading that keeps the
          // alternate order from taking effect against someone who complied.
          const departedBefore = departureWithin(verifiedDepartureDays, periodStart, event.day) !== null;
          if (deadline !== null && event.day <= deadline && !departedBefore)
            decision.voluntaryDepartureTerminatedBy = event;
        }
        break;
      case "motion_decided":
        if (decision === null) break;
        // A ruling decides one motion filed before it (the same-day order puts filings first, so a
        // motion filed on the day another is denied is read as still pending: the cautious reading).
        // A ruling with no filing recorded before it decides none of the motions filed later.
        if (decision.undecidedMotions > 0) decision.undecidedMotions -= 1;
        if (decision.undecidedMotions === 0) decision.motionDecided = event;
        if (event.outcome === "granted") {
          decision = null;
          reopenedBy = event;
        }
        break;
      case "stay_granted":
        stays.push({ granted: event, untilDay: event.deadlineDay, liftedBy: null });
        break;
      case "stay_lifted":
        for (const stay of staysLiftedBy(event, stays)) stay.liftedBy = event;
        break;
    }
  }
  const first = events[0]!;
  return {
    caseId: first.caseId,
    caseType: first.caseType,
    events,
    lastEventDay: events[events.length - 1]!.day,
    ntaFiled,
    firstHearing,
    decision,
    reopenedBy,
    adminClosedBy,
    stays,
  };
}
