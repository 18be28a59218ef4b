import type { RecordCitation } from "../records/source-record.ts";
import type { Receipt } from "./benefit-receipts.ts";
import { type DayNumber, formatDayNumber } from "./calendar-date.ts";
import { citationsOf, mergeCitations } from "./citations.ts";
import type { CompiledLifecycleRules } from "./compiled-lifecycle-rules.ts";
import { activeVoluntaryDepartureDeadline, type CurrentDecision } from "./court-case.ts";
import type { CourtCaseStatus } from "./court-case-status.ts";
import type { CourtEvent } from "./person-events.ts";
import type { BlockerView, CitizenshipClaim, OverlayView } from "./person-status.ts";
import type { PrimaryStateResult } from "./primary-state.ts";
import { type Grant, isCurrent } from "./protections.ts";
import { isVictimProtection } from "./status-overlays.ts";
import { describeTpsDesignation, tpsHoldOf, tpsHoldsOn } from "./tps-designations.ts";
import { BLOCKER_CODES, BLOCKERS, type BlockerCode } from "./vocabulary.ts";

/**
 * Enforcement blockers (DOMAIN.md §1.9, docs/lifecycle-semantics.md §8), each with its legal
 * basis and the records it rests on. The absence of a citizenship record is never a reason for
 * anything here: only records and open claims add blockers, nothing removes one by absence.
 */

export interface BlockerInputs {
  readonly asOfDay: DayNumber;
  readonly primary: PrimaryStateResult;
  readonly overlays: readonly OverlayView[];
  readonly openClaims: readonly CitizenshipClaim[];
  readonly court: CourtCaseStatus | null;
  readonly decision: CurrentDecision | null;
  readonly grants: readonly Grant[];
  readonly receipts: readonly Receipt[];
  readonly courtEvents: readonly CourtEvent[];
  readonly nationalities: ReadonlySet<string>;
  readonly rules: CompiledLifecycleRules;
}

interface Found {
  readonly detail: string;
  readonly evidence: readonly RecordCitation[];
  readonly claimIds?: readonly string[];
}

const date = formatDayNumber;
const period = (grant: Grant) =>
  `from ${date(grant.fromDay)}${grant.toDay === null ? "" : ` until ${date(grant.toDay)}`}`;

function ofType(grants: readonly Grant[], ...types: string[]): Grant[] {
  return grants.filter((grant) => types.includes(grant.type));
}

function grantsFound(grants: readonly Grant[], label: string): Found | null {
  if (grants.length === 0) return null;
  return {
    detail: grants
      .map((grant) => `${label} ${period(grant)}${grant.country ? ` (${grant.country})` : ""}`)
      .join("; "),
    evidence: mergeCitations(...grants.map((grant) => grant.evidence)),
  };
}

/** Countries recorded as the person's nationality are where a removal is not a third-country removal. */
function thirdCountry(inputs: BlockerInputs): Found | null {
  const { court, decision } = inputs;
  if (
    !inputs.rules.rules.thirdCountryDestinationBlocks ||
    court === null ||
    decision === null ||
    !court.isFinal
  )
    return null;
  const destination = decision.event.destinationCountry;
  if (destination === null || inputs.nationalities.size === 0 || inputs.nationalities.has(destination))
    return null;
  // A later court event naming the same destination records the notice and fear process.
  const processed = inputs.courtEvents.some(
    (event) => event.day > decision.event.day && event.destinationCountry === destination,
  );
  if (processed) return null;
  return {
    detail: `Removal ordered to ${destination}, not a nationality any record gives (${[...inputs.nationalities].join(", ")})`,
    evidence: citationsOf(decision.event),
  };
}

/**
 * LPR status lasts until a final order (8 CFR 1.2): the order ends a grant made before it became
 * final, and may then be executed. A grant made on or after that day (USCIS may adjust a person
 * with a final order, e.g. an arriving alien, 8 CFR 245.2(a)(1)) is permanent residence the order
 * never terminated: removing that person needs new proceedings (INA 237, 240), so it blocks, citing
 * the grant and the records that made the order final. A grant on the very day of finality cannot
 * be ordered against it by date and is read as the later one: a blocker is not dropped on a guess.
 */
function permanentResidence(current: readonly Grant[], court: CourtCaseStatus | null): Found | null {
  const finality = court?.isFinal ? court.finality : null;
  if (finality === null) return grantsFound(ofType(current, "LPR"), "Lawful permanent resident");
  const later = ofType(current, "LPR").filter((grant) => grant.fromDay >= finality.day);
  const found = grantsFound(later, "Lawful permanent resident");
  if (found === null) return null;
  return {
    detail: `${found.detail}, granted on or after the day the removal order became final (${date(finality.day)}): removal needs new proceedings`,
    evidence: mergeCitations(found.evidence, citationsOf(...finality.evidence)),
  };
}

/**
 * TPS granted, held as long as its country's designation extends it (`tpsDesignations`, §8), or
 * applied for (prima facie eligibility, INA 244(a)(4)). A held grant cites its records and names the
 * designation that extended it.
 */
function temporaryProtection(inputs: BlockerInputs): Found | null {
  const { asOfDay, rules } = inputs;
  // TPS withdrawn by USCIS (a registration `terminated` or `revoked`, INA 244(c)(3), 8 CFR 244.14)
  // ends the person's TPS: no grant from before the withdrawal holds on or after it, however long
  // its own validity or its country's designation runs.
  const withdrawals = inputs.receipts
    .filter(
      (receipt) =>
        receipt.formType === "I-821" && (receipt.status === "terminated" || receipt.status === "revoked"),
    )
    .map((receipt) => receipt.latest.day)
    .filter((day) => day <= asOfDay);
  const withdrawnOn = withdrawals.length === 0 ? null : Math.max(...withdrawals);
  const holds = ofType(inputs.grants, "TPS")
    .map((grant) => tpsHoldOf(grant, inputs.nationalities, rules.rules.tpsDesignations))
    .filter((hold) => tpsHoldsOn(hold, asOfDay))
    .filter((hold) => withdrawnOn === null || hold.grant.fromDay > withdrawnOn);
  const pending = rules.rules.pendingTpsIsPrimaFacie
    ? inputs.receipts.filter((receipt) => receipt.formType === "I-821" && receipt.status === "pending")
    : [];
  if (holds.length === 0 && pending.length === 0) return null;
  const grantDetail = holds.map(({ grant, untilDay, designation }) =>
    designation === null
      ? `TPS ${period(grant)}`
      : `TPS ${period(grant)}, held ${untilDay === null ? "" : `until ${date(untilDay)} `}by ${describeTpsDesignation(designation)}`,
  );
  const pendingDetail = pending.map(
    (receipt) => `TPS application ${receipt.receiptNumber} pending (prima facie)`,
  );
  return {
    detail: [...grantDetail, ...pendingDetail].join("; "),
    evidence: mergeCitations(
      ...holds.map((hold) => hold.grant.evidence),
      citationsOf(...pending.flatMap((receipt) => receipt.events)),
    ),
  };
}

function evaluate(code: BlockerCode, inputs: BlockerInputs): Found | null {
  const { asOfDay, court, decision, primary } = inputs;
  const current = inputs.grants.filter((grant) => isCurrent(grant, asOfDay));
  switch (code) {
    case "USC": {
      const citizen = primary.primary === "USC";
      if (!citizen && inputs.openClaims.length === 0) return null;
      const details = [
        ...(citizen
          ? [`U.S. citizen since ${primary.sinceDay === null ? "?" : date(primary.sinceDay)}`]
          : []),
        ...inputs.openClaims.map(
          (claim) => `citizenship claim ${claim.claimId} open since ${claim.openedOn}`,
        ),
      ];
      return {
        detail: details.join("; "),
        evidence: citizen ? primary.evidence : [],
        claimIds: inputs.openClaims.map((claim) => claim.claimId),
      };
    }
    case "LPR":
      return permanentResidence(current, court);
    // The appeal and VD blockers follow the primary state (§8): in FINAL_ORDER and
    // REMOVAL_IN_PROGRESS none of them can hold, and in any other state the order is not executable.
    case "APPEAL_WINDOW_OPEN":
      if (primary.primary !== "APPEAL_WINDOW") return null;
      return {
        detail: `Order of ${date(decision!.event.day)}: appeal may be filed until ${date(decision!.appealDeadlineDay)}`,
        evidence: citationsOf(decision!.event),
      };
    case "APPEAL_PENDING":
      if (primary.primary !== "BIA_PENDING") return null;
      return {
        detail: `${decision!.appealFiled!.certified ? "Certification" : "Appeal"} filed ${decision!.appealFiled!.date}, undecided`,
        evidence: citationsOf(decision!.event, decision!.appealFiled),
      };
    case "MTR_IN_ABSENTIA_PENDING":
      if (!court?.motionInAbsentiaPending) return null;
      return {
        detail: `Motion to reopen the in absentia order of ${decision!.event.date} filed ${decision!.motionFiled!.date}, undecided`,
        evidence: citationsOf(decision!.event, decision!.motionFiled),
      };
    case "STAY_GRANTED": {
      const stay = inputs.overlays.find((view) => view.overlay === "STAY");
      if (stay === undefined) return null;
      return {
        detail: `${stay.description} since ${stay.since}${stay.until ? ` until ${stay.until}` : ""}`,
        evidence: stay.evidence,
      };
    }
    case "VD_PERIOD_RUNNING":
      if (primary.primary !== "VD_PERIOD") return null;
      return {
        // A period the Board set (reinstated, or granted on dismissing an appeal) dates from its decision.
        detail:
          decision!.reinstatedVoluntaryDepartureUntil !== null && decision!.affirmedBy !== null
            ? `Voluntary departure granted by the Board ${decision!.affirmedBy.date}, due by ${date(activeVoluntaryDepartureDeadline(decision!)!)}`
            : `Voluntary departure granted ${decision!.event.date}, due by ${date(activeVoluntaryDepartureDeadline(decision!)!)}`,
        evidence: citationsOf(decision!.event, decision!.affirmedBy),
      };
    case "TPS":
      return temporaryProtection(inputs);
    case "ASYLEE":
      return grantsFound(ofType(current, "ASYLEE"), "Asylum granted");
    case "WITHHOLDING_OR_CAT": {
      const destination = decision?.event.destinationCountry ?? null;
      const blocking = ofType(current, "WITHHOLDING", "CAT").filter(
        (grant) => destination === null || grant.country === null || grant.country === destination,
      );
      return grantsFound(blocking, "Removal withheld");
    }
    case "ORDER_NOT_FINAL":
      // A removal order neither final, nor in its window, nor on appeal, nor in a VD period.
      if (primary.primary !== "IJ_DECIDED" || !court?.hasOrder) return null;
      return {
        detail: `Order of ${decision!.event.date} is not final under any rule of 8 CFR 1241.1`,
        evidence: citationsOf(decision!.event, decision!.appealFiled, decision!.appealDecided),
      };
    case "DEPARTED":
      if (primary.primary !== "DEPARTED" || primary.detail !== "verified") return null;
      return { detail: `Departure verified on ${date(primary.sinceDay!)}`, evidence: primary.evidence };
    case "VICTIM_PROTECTION": {
      const victims = inputs.receipts.filter((receipt) => isVictimProtection(receipt, asOfDay));
      if (victims.length === 0) return null;
      return {
        detail: victims.map((receipt) => `${receipt.formType} ${receipt.status}`).join("; "),
        evidence: citationsOf(...victims.flatMap((receipt) => receipt.events)),
      };
    }
    case "DEFERRED_ACTION":
      return grantsFound(ofType(current, "DACA", "DEFERRED_ACTION"), "Deferred action");
    case "THIRD_COUNTRY_DESTINATION":
      return thirdCountry(inputs);
  }
}

/**
 * Every blocker that holds, in the vocabulary's order. For a citizen, USC is the only one:
 * citizenship is terminal for enforcement, and ends permanent residence and every other status.
 */
export function blockersOf(inputs: BlockerInputs): BlockerView[] {
  const blockers: BlockerView[] = [];
  const codes: readonly BlockerCode[] = inputs.primary.primary === "USC" ? ["USC"] : BLOCKER_CODES;
  for (const code of codes) {
    const found = evaluate(code, inputs);
    if (found === null) continue;
    const definition = BLOCKERS[code];
    blockers.push({
      code,
      binding: definition.binding,
      basis: definition.basis,
      description: definition.description,
      detail: found.detail,
      evidence: found.evidence,
      claimIds: found.claimIds ?? [],
    });
  }
  return blockers;
}
