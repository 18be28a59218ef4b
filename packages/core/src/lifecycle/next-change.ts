import type { AdmissionPeriod } from "./admission-period.ts";
import { type DayNumber, parseDayNumber } from "./calendar-date.ts";
import { activeVoluntaryDepartureDeadline, type CurrentDecision } from "./court-case.ts";
import type { CourtCaseStatus } from "./court-case-status.ts";
import type { PersonEvents } from "./person-events.ts";
import type { CitizenshipClaim } from "./person-status.ts";
import type { Grant } from "./protections.ts";
import type { StayPeriod } from "./status-overlays.ts";
import type { TpsDesignation } from "./tps-designation-table.ts";
import { tpsHoldOf } from "./tps-designations.ts";

/**
 * The first day after the as-of date on which the state, overlays, blockers or executability may
 * change with no new record: a deadline passing, a grant or stay ending or starting, a
 * future-dated record taking effect. The projection engine re-derives the person on that day.
 * Being a later record's date, it is the projection's plan, never part of an answer for a past
 * date (docs/lifecycle-semantics.md, "Next change").
 * (Day counts such as overstay and unlawful presence grow every day and are not counted here.)
 */
export interface NextChangeInputs {
  readonly asOfDay: DayNumber;
  readonly events: PersonEvents;
  readonly admission: AdmissionPeriod | null;
  readonly decision: CurrentDecision | null;
  readonly court: CourtCaseStatus | null;
  readonly grants: readonly Grant[];
  readonly stayPeriods: readonly StayPeriod[];
  readonly claims: readonly CitizenshipClaim[];
  /** The nationalities the records give and the designations (`tpsDesignations`) a TPS grant's hold follows. */
  readonly nationalities: ReadonlySet<string>;
  readonly tpsDesignations: readonly TpsDesignation[];
}

/** The earlier of `next` and `day`, counting only days after the as-of day. */
function earliest(
  next: DayNumber | null,
  day: DayNumber | null | undefined,
  asOfDay: DayNumber,
): DayNumber | null {
  if (day === null || day === undefined || day <= asOfDay) return next;
  return next === null || day < next ? day : next;
}

/** The day after a last day (a period ends when its last day has passed). */
function after(lastDay: DayNumber | null | undefined): DayNumber | null {
  return lastDay === null || lastDay === undefined ? null : lastDay + 1;
}

export function nextChangeDayOf(inputs: NextChangeInputs): DayNumber | null {
  const { asOfDay, decision } = inputs;
  let next: DayNumber | null = inputs.events.firstLaterDay;
  next = earliest(next, after(inputs.admission?.authorisedUntilDay), asOfDay);
  if (decision !== null) {
    next = earliest(next, decision.appealDeadlineDay + 1, asOfDay);
    next = earliest(next, after(activeVoluntaryDepartureDeadline(decision)), asOfDay);
  }
  next = earliest(next, inputs.court?.finality?.day, asOfDay);
  for (const grant of inputs.grants) {
    next = earliest(next, grant.fromDay, asOfDay);
    next = earliest(next, after(grant.toDay), asOfDay);
    // The TPS blocker holds past `valid_to` while the country's designation extends the grant
    // (§8): it ends the day after the later of the two.
    if (grant.type === "TPS") {
      const hold = tpsHoldOf(grant, inputs.nationalities, inputs.tpsDesignations);
      next = earliest(next, after(hold.untilDay), asOfDay);
    }
  }
  // An approval that takes effect later (an N-400's oath: its valid_from) changes the state that day.
  for (const event of inputs.events.benefits) next = earliest(next, event.validFromDay, asOfDay);
  for (const period of inputs.stayPeriods) {
    next = earliest(next, period.fromDay, asOfDay);
    next = earliest(next, after(period.untilDay), asOfDay);
  }
  for (const document of inputs.events.travelDocuments)
    next = earliest(next, after(document.validToDay), asOfDay);
  for (const claim of inputs.claims) {
    next = earliest(next, parseDayNumber(claim.openedOn), asOfDay);
    if (claim.closedOn) next = earliest(next, parseDayNumber(claim.closedOn), asOfDay);
  }
  return next;
}
