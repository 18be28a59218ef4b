import {
  BLOCKERS,
  type BlockerCode,
  type DepartureTier,
  OVERLAYS,
  type Overlay,
  type PrimaryState,
  type ProtectedStatusType,
} from "@passage/core";
import { type DayNumber, isoDate } from "../calendar/day-number.ts";
import {
  type FinalityRule,
  type LifecycleTruth,
  PROTECTED_STATUS_PRECEDENCE,
  TRUTH_GATES,
  type TruthGate,
} from "./lifecycle-truth.ts";

/** A protected status the scenario granted, with its validity. */
export interface Grant {
  readonly type: ProtectedStatusType;
  readonly from: DayNumber;
  readonly to: DayNumber | null;
  /** The country a withholding or CAT grant protects against. */
  readonly country: string | null;
}

/** The removal order that is final at the reference date. */
export interface FinalOrderFact {
  readonly day: DayNumber;
  readonly rule: FinalityRule;
  readonly destination: string | null;
  readonly inAbsentia: boolean;
  readonly noticeServed: "Y" | "N" | "U" | null;
  /** A later court event with the same destination recorded the notice and fear process (third countries). */
  thirdCountryScreened: boolean;
}

/** The departure that ended the current stay. */
export interface DepartureFact {
  readonly day: DayNumber;
  readonly tier: DepartureTier;
  /** Days past a fixed admit-until date (out-of-country overstay), or null. */
  readonly overstayDays: number | null;
  /** The fixed admit-until date of the stay it ended, or null (a claim alone ends no stay). */
  readonly admitUntil: DayNumber | null;
}

const BLOCKER_ORDER = Object.keys(BLOCKERS) as BlockerCode[];

/**
 * What a scenario knows about the person at the reference date, collected as it scripts their
 * records; `finish` turns it into the ground truth. The scenario states the primary state; the
 * blockers, overlays and gates follow from the facts it recorded, by lifecycle-semantics §7-8.
 */
export class TruthBuilder {
  state: PrimaryState = "NO_ENTRY_RECORDED";
  detail: string | null = null;
  readonly overlays = new Set<Overlay>();
  readonly extraBlockers = new Set<BlockerCode>();
  readonly gates = new Set<TruthGate>();
  /** Gates a reviewer lifts by confirming the person's identity (`identityInDoubt`). */
  private readonly gatesLiftedByReview = new Set<TruthGate>();
  readonly ambiguities: string[] = [];
  readonly grants: Grant[] = [];
  /** A pending I-821: prima facie TPS (INA 244(a)(4)). */
  tpsPending = false;
  /** A pending or current T/U/VAWA/SIJ case (8 U.S.C. 1367). */
  victimCase = false;
  finalOrder: FinalOrderFact | null = null;
  departure: DepartureFact | null = null;
  overstayInCountryDays: number | null = null;
  citizen = false;
  stayInEffect = false;
  mtrInAbsentiaPending = false;
  openBooking = false;
  lastBookOutReason: string | null = null;

  constructor(private readonly asOf: DayNumber) {}

  set(state: PrimaryState, detail: string | null = null): void {
    this.state = state;
    this.detail = detail;
  }

  ambiguous(reason: string): void {
    if (!this.ambiguities.includes(reason)) this.ambiguities.push(reason);
  }

  /**
   * The person's records carry two values of a strong identifier (a renewed passport, a second
   * A-number): identity is not confirmed until a reviewer confirms the records are one person.
   */
  identityInDoubt(reason: string): void {
    this.gates.add("IDENTITY_NOT_CONFIRMED");
    this.gatesLiftedByReview.add("IDENTITY_NOT_CONFIRMED");
    this.ambiguous(reason);
  }

  private currentGrants(): Grant[] {
    if (this.grants.length === 0) return this.grants;
    return this.grants.filter(
      (grant) => grant.from <= this.asOf && (grant.to === null || grant.to >= this.asOf),
    );
  }

  private hasCurrent(type: ProtectedStatusType, other?: ProtectedStatusType): boolean {
    for (const grant of this.grants) {
      if (grant.type !== type && grant.type !== other) continue;
      if (grant.from <= this.asOf && (grant.to === null || grant.to >= this.asOf)) return true;
    }
    return false;
  }

  private blockers(nationality: string): Set<BlockerCode> {
    // Citizenship is terminal for enforcement (lifecycle-semantics §2.1): naturalisation ends
    // permanent residence, and no other protection is needed or relevant.
    if (this.state === "USC") return new Set<BlockerCode>(["USC"]);
    const blockers = new Set<BlockerCode>(this.extraBlockers);
    const order = this.finalOrder;
    if (this.hasCurrent("LPR") && order === null) blockers.add("LPR");
    if (this.state === "APPEAL_WINDOW") blockers.add("APPEAL_WINDOW_OPEN");
    if (this.state === "BIA_PENDING") blockers.add("APPEAL_PENDING");
    if (this.mtrInAbsentiaPending) blockers.add("MTR_IN_ABSENTIA_PENDING");
    if (this.stayInEffect) blockers.add("STAY_GRANTED");
    if (this.state === "VD_PERIOD") blockers.add("VD_PERIOD_RUNNING");
    if (this.tpsPending || this.hasCurrent("TPS")) blockers.add("TPS");
    if (this.hasCurrent("ASYLEE")) blockers.add("ASYLEE");
    if (this.withholdingBarsOrder()) blockers.add("WITHHOLDING_OR_CAT");
    if (this.state === "DEPARTED" && this.departure?.tier === "verified") blockers.add("DEPARTED");
    // The protections DOMAIN.md §1.9 calls policy-dependent hold as blockers under the lifecycle's
    // default rules (lifecycle-semantics §8).
    if (this.victimCase) blockers.add("VICTIM_PROTECTION");
    if (this.hasCurrent("DACA", "DEFERRED_ACTION")) blockers.add("DEFERRED_ACTION");
    if (
      order !== null &&
      order.destination !== null &&
      order.destination !== nationality &&
      !order.thirdCountryScreened
    ) {
      blockers.add("THIRD_COUNTRY_DESTINATION");
    }
    return blockers;
  }

  private completeOverlaysAndGates(): void {
    if (this.stayInEffect) this.overlays.add("STAY");
    if (this.openBooking) this.overlays.add("DETAINED");
    if (!this.openBooking && this.lastBookOutReason === "osup" && this.finalOrder !== null)
      this.overlays.add("OSUP");
    const order = this.finalOrder;
    if (order?.inAbsentia && order.noticeServed !== "Y") this.gates.add("IN_ABSENTIA_NOTICE_NOT_SERVED");
    // The policy package's gate applies the blocker's rule (issue 5: every §1.9 blocker is a gate).
    if (this.withholdingBarsOrder()) this.gates.add("WITHHOLDING_COUNTRY_DESTINATION");
  }

  /**
   * Withholding and CAT bar removal to one country (lifecycle-semantics §8): they bar the order
   * when it sends the person there, names no destination (or there is no order yet to name one),
   * or the grant names no country.
   */
  private withholdingBarsOrder(): boolean {
    const destination = this.finalOrder?.destination ?? null;
    return this.currentGrants().some(
      (grant) =>
        (grant.type === "WITHHOLDING" || grant.type === "CAT") &&
        (destination === null || grant.country === null || grant.country === destination),
    );
  }

  private completeDetail(): { detail: string | null; protectedCountry: string | null } {
    if (this.state === "DEPARTED") return { detail: this.departure?.tier ?? null, protectedCountry: null };
    if (this.state !== "PROTECTED_STATUS") return { detail: this.detail, protectedCountry: null };
    const current = this.currentGrants();
    const type =
      this.detail ??
      PROTECTED_STATUS_PRECEDENCE.find((candidate) => current.some((grant) => grant.type === candidate));
    const grant = current.find((candidate) => candidate.type === type);
    return { detail: type ?? null, protectedCountry: grant?.country ?? null };
  }

  /** The ground truth, once the scenario and the record noise are done. */
  finish(
    personId: string,
    scenario: string,
    nationality: string,
    records: readonly string[],
  ): LifecycleTruth {
    this.completeOverlaysAndGates();
    const blockers = this.blockers(nationality);
    const { detail, protectedCountry } = this.completeDetail();
    // A claimed departure alone (DEPARTED claimed) ends no order (lifecycle-semantics §8): a
    // final order under it stays executable, as it would be without the claim.
    const claimedAlone = this.state === "DEPARTED" && this.departure?.tier === "claimed";
    const executable =
      this.state === "FINAL_ORDER" ||
      this.state === "REMOVAL_IN_PROGRESS" ||
      (claimedAlone && this.finalOrder !== null);
    const departed = this.state === "DEPARTED" ? this.departure : null;
    // In the country past the admit-until: OVERSTAY_SUSPECTED, or pending only on an adjustment
    // filed late, which removes nobody from the count (DOMAIN.md §1.2).
    const lateAdjustment = this.state === "BENEFIT_PENDING" && this.detail === "ADJUSTMENT";
    const inCountryOverstay =
      this.state === "OVERSTAY_SUSPECTED" || lateAdjustment ? this.overstayInCountryDays : null;
    // A claimed departure alone ends no stay (DOMAIN.md §1.8): past the admit-until it is its own
    // kind, counted to the as-of date, never an out-of-country overstay.
    const claimedOverstay =
      departed?.tier === "claimed" && departed.admitUntil !== null && this.asOf > departed.admitUntil
        ? this.asOf - departed.admitUntil
        : null;
    const outOfCountryOverstay = departed?.tier === "verified" ? departed.overstayDays : null;
    const gates = TRUTH_GATES.filter((gate) => this.gates.has(gate));
    const gatesAfterReview = gates.filter((gate) => !this.gatesLiftedByReview.has(gate));
    const orderExecutable = executable && this.finalOrder !== null && blockers.size === 0;
    return {
      person_id: personId,
      scenario,
      as_of: isoDate(this.asOf),
      nationality,
      state: this.state,
      detail,
      protected_country: protectedCountry,
      overlays: OVERLAYS.filter((overlay) => this.overlays.has(overlay)),
      blockers: BLOCKER_ORDER.filter((code) => blockers.has(code)),
      gates,
      actionable: orderExecutable && gates.length === 0,
      departure_tier: departed?.tier ?? null,
      overstay_kind:
        inCountryOverstay !== null
          ? "in_country"
          : outOfCountryOverstay !== null
            ? "out_of_country"
            : claimedOverstay !== null
              ? "departure_claimed"
              : null,
      overstay_days: inCountryOverstay ?? outOfCountryOverstay ?? claimedOverstay,
      final_order_date: this.finalOrder === null ? null : isoDate(this.finalOrder.day),
      final_order_rule: this.finalOrder?.rule ?? null,
      citizen: this.citizen,
      ambiguous: this.ambiguities.length === 0 ? null : this.ambiguities.join("; "),
      after_review: { gates: gatesAfterReview, actionable: orderExecutable && gatesAfterReview.length === 0 },
      records,
    };
  }
}
