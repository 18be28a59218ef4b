import type { RecordCitation } from "../records/source-record.ts";
import type {
  BenefitType,
  BlockerBinding,
  BlockerCode,
  DepartureTier,
  FinalityRule,
  Overlay,
  OverstayKind,
  PrimaryState,
  ProtectedStatusType,
} from "./vocabulary.ts";

/**
 * The derived legal status of one person (docs/lifecycle-semantics.md). Every part cites the
 * source-record versions it rests on. Plain JSON: absent facts are `null`, lists are sorted, so
 * the same records always serialise to the same document. `state`, `overlays`, `blockers` and
 * `evidence` are the parts of the `passage status --json` document (CLI.md).
 */
export interface PersonStatus {
  /** Valid time: the date the status describes (`YYYY-MM-DD`). */
  readonly asOf: string;
  /** Record time (ISO 8601 UTC): only record versions stored at or before it were read; null = all. */
  readonly knownAt: string | null;
  readonly state: StateView;
  readonly overlays: readonly OverlayView[];
  /** Legal blockers of DOMAIN.md §1.9 (binding `law`): any one makes the person not actionable. */
  readonly blockers: readonly BlockerView[];
  /**
   * Protections whose effect a published policy decides (binding `policy`: DACA and deferred
   * action, pending or granted T/U/VAWA/SIJ). Never blockers and never gates: priority rules read
   * them (issue 5), and 8 U.S.C. 1367's source and disclosure limits apply regardless.
   */
  readonly policyConsiderations: readonly BlockerView[];
  /**
   * The primary state is FINAL_ORDER or REMOVAL_IN_PROGRESS (an administratively final removal
   * order, not executed) and no blocker holds. The policy package's gates can still make the
   * person not actionable; this never makes anyone actionable on its own.
   */
  readonly finalOrderExecutable: boolean;
  /**
   * The first day after `asOf` on which the state, overlays, blockers or executability may change
   * without a new record (a deadline passes, a grant or stay ends, a future-dated record takes
   * effect): re-derive on that day. Null when nothing is scheduled. The only part of a status
   * that looks past `asOf`, so the lifecycle service's answer for a past date leaves it null.
   */
  readonly nextChangeOn: string | null;
  readonly facts: StatusFacts;
  /** What the policy package's due-process gates read (they decide; core only reports). */
  readonly gateInputs: GateInputs;
  /** Dated lifecycle events, oldest first, each citing its record. */
  readonly timeline: readonly TimelineEntry[];
  /** Every record version the status cites, with the parts it supports. */
  readonly evidence: readonly EvidenceEntry[];
}

/** The citations a derived fact rests on, sorted by feed, key and version. */
export type Evidence = readonly RecordCitation[];

export interface StateView {
  readonly primary: PrimaryState;
  /** DEPARTED: verified|claimed; IJ_DECIDED: the outcome; IN_PROCEEDINGS: admin_closed; type for benefits. */
  readonly detail: string | null;
  /** First day of this state, when the records date it. */
  readonly since: string | null;
  /** Last day of this state known in advance (appeal deadline, VD deadline, admit-until, grant end). */
  readonly until: string | null;
  readonly description: string;
  readonly evidence: Evidence;
}

export interface OverlayView {
  readonly overlay: Overlay;
  readonly since: string | null;
  readonly until: string | null;
  readonly description: string;
  readonly evidence: Evidence;
  /** Redress citizenship claims the overlay rests on (USC_CLAIM_OPEN). */
  readonly claimIds: readonly string[];
}

export interface BlockerView {
  readonly code: BlockerCode;
  readonly binding: BlockerBinding;
  readonly basis: string;
  readonly description: string;
  /** What this person's records show, in one line. */
  readonly detail: string;
  readonly evidence: Evidence;
  readonly claimIds: readonly string[];
}

export interface StatusFacts {
  readonly entry: EntryFact | null;
  readonly admission: AdmissionFact | null;
  readonly overstay: OverstayFact | null;
  readonly unlawfulPresence: UnlawfulPresenceFact | null;
  readonly benefits: readonly BenefitFact[];
  readonly protections: readonly ProtectionFact[];
  readonly court: CourtCaseFact | null;
  /** Court cases that do not drive the state (older, or from an earlier stay). */
  readonly otherCourtCases: readonly OtherCourtCaseFact[];
  readonly stayPeriods: readonly StayPeriodFact[];
  readonly custody: CustodyFact | null;
  readonly departure: DepartureFact | null;
  readonly travelDocument: TravelDocumentFact | null;
  /**
   * A citizenship record, or null when none is recorded. Null is never evidence of
   * non-citizenship (DOMAIN.md §1.8): derived citizenship usually leaves no record.
   */
  readonly citizenship: CitizenshipFact | null;
}

export const ENTRY_KINDS = ["admission", "parole", "entry_without_inspection"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** The current stay in the United States (a departure ends a stay; a later entry starts a new one). */
export interface EntryFact {
  /** Kind of the latest entry of the stay (it decides ADMITTED/PAROLED/EWI_PRESENT). */
  readonly kind: EntryKind;
  readonly latestEntryDate: string;
  /** First day of the current stay: the earliest entry since the last departure. */
  readonly stayBegan: string;
  /** The stay began after a departure by executed removal (reinstatement may apply, INA 241(a)(5)). */
  readonly reentryAfterRemoval: boolean;
  readonly evidence: Evidence;
}

export interface AdmissionFact {
  readonly classOfAdmission: string;
  readonly admissionDate: string;
  /** As recorded on the I-94: a date or `D/S`. */
  readonly admitUntilRecorded: string;
  readonly durationOfStatus: boolean;
  /** Last day of authorised stay after approved extensions (and D/S conversion); null for D/S. */
  readonly authorisedUntil: string | null;
  readonly evidence: Evidence;
}

export interface OverstayFact {
  readonly kind: OverstayKind;
  /**
   * Exact days past the authorised period: (verified departure date, or the as-of date in the
   * country or with a claimed departure only) - authorised-until.
   */
  readonly days: number;
  readonly authorisedUntil: string;
  /** The verified departure, or for `departure_claimed` the claimed one; null in the country. */
  readonly departureDate: string | null;
  readonly evidence: Evidence;
}

export const UNLAWFUL_PRESENCE_BASES = [
  "authorised_stay_ended",
  "parole_ended",
  "entry_without_inspection",
  "duration_of_status_order",
] as const;
export type UnlawfulPresenceBasis = (typeof UNLAWFUL_PRESENCE_BASES)[number];

export const TOLLING_REASONS = [
  "under_18",
  "asylum_pending",
  "extension_pending",
  "adjustment_pending",
  "tps",
  "deferred_action",
  "lawful_status",
  /** An admission or parole of the stay, authorised until its period ended (after an earlier entry began the accrual). */
  "authorised_stay",
] as const;
export type TollingReason = (typeof TOLLING_REASONS)[number];

export interface TollingInterval {
  readonly reason: TollingReason;
  readonly from: string;
  readonly to: string;
  /** Days of the accrual period this interval removes (overlaps counted once, in the first interval). */
  readonly days: number;
  readonly evidence: Evidence;
}

export const UNLAWFUL_PRESENCE_BARS = ["none", "three_year", "ten_year"] as const;
export type UnlawfulPresenceBar = (typeof UNLAWFUL_PRESENCE_BARS)[number];

export interface UnlawfulPresenceFact {
  readonly basis: UnlawfulPresenceBasis;
  /** First day unlawful presence could accrue. */
  readonly accrualStart: string;
  /** Last day counted: the departure date, or the as-of date. */
  readonly accrualEnd: string;
  /** Days in accrualStart..accrualEnd (inclusive) outside every tolling interval. */
  readonly days: number;
  readonly tolling: readonly TollingInterval[];
  /** The INA 212(a)(9)(B) bar these days would trigger on departure. */
  readonly bar: UnlawfulPresenceBar;
  /**
   * Whether the bar has attached: a verified departure ended the stay (for the 3-year bar, a
   * voluntary one before proceedings began, INA 212(a)(9)(B)(i)(I); semantics §9).
   */
  readonly barAttached: boolean;
  readonly evidence: Evidence;
}

export const BENEFIT_STATUSES = [
  "pending",
  "granted",
  "denied",
  "withdrawn",
  "referred",
  "terminated",
  "revoked",
] as const;
export type BenefitStatus = (typeof BENEFIT_STATUSES)[number];

export interface BenefitFact {
  readonly receiptNumber: string;
  readonly formType: string;
  readonly benefit: BenefitType;
  readonly status: BenefitStatus;
  readonly filedOn: string | null;
  /** Date of the latest event when it is not the filing. */
  readonly decidedOn: string | null;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  /** Pending now, or granted and within its validity on the as-of date. */
  readonly current: boolean;
  readonly evidence: Evidence;
}

export interface ProtectionFact {
  readonly type: ProtectedStatusType;
  readonly source: "benefit" | "court";
  readonly validFrom: string;
  readonly validTo: string | null;
  /** Withholding and CAT protect against removal to one country. */
  readonly country: string | null;
  readonly evidence: Evidence;
}

export interface CourtDecisionFact {
  /** The court feed's outcome (removal_ordered, vd_with_alternate_order, relief_granted, ...). */
  readonly outcome: string;
  readonly decidedOn: string;
  readonly inAbsentia: boolean;
  readonly noticeServed: "Y" | "N" | "U" | null;
  readonly appealWaived: boolean;
  readonly reliefType: string | null;
  readonly destinationCountry: string | null;
  readonly withholdingCountry: string | null;
  /** Last day to file a BIA appeal (30 days, rolled past weekends and federal holidays). */
  readonly appealDeadline: string;
  readonly evidence: Evidence;
}

export interface AppealFact {
  readonly filedOn: string | null;
  readonly timely: boolean;
  readonly certified: boolean;
  readonly decidedOn: string | null;
  readonly outcome: string | null;
  /** New VD deadline when the BIA dismissed the appeal and reinstated voluntary departure. */
  readonly reinstatedVoluntaryDepartureUntil: string | null;
  readonly evidence: Evidence;
}

export interface FinalityFact {
  readonly finalOn: string;
  readonly rule: FinalityRule;
  readonly basis: string;
  readonly description: string;
  readonly evidence: Evidence;
}

export interface VoluntaryDepartureFact {
  readonly deadline: string;
  /** False when the decision gave no deadline and the rules' default period was assumed. */
  readonly deadlineRecorded: boolean;
  /** A motion filed during the period terminated it (2008 rule). */
  readonly terminatedOn: string | null;
  /** A verified departure within the period: voluntary departure complied with. */
  readonly compliedOn: string | null;
  readonly evidence: Evidence;
}

export interface MotionFact {
  readonly filedOn: string;
  readonly decidedOn: string | null;
  readonly outcome: string | null;
  /** A motion to reopen an in absentia order stays removal until decided (INA 240(b)(5)(C)). */
  readonly staysRemoval: boolean;
  readonly evidence: Evidence;
}

export interface CourtCaseFact {
  readonly caseId: string;
  readonly caseType: string;
  readonly ntaFiledOn: string | null;
  /** Latest date the case was reopened (BIA remand or sustain, motion to reopen granted). */
  readonly reopenedOn: string | null;
  readonly adminClosedOn: string | null;
  readonly decision: CourtDecisionFact | null;
  readonly appeal: AppealFact | null;
  readonly finality: FinalityFact | null;
  readonly voluntaryDeparture: VoluntaryDepartureFact | null;
  readonly motion: MotionFact | null;
  readonly evidence: Evidence;
}

export interface OtherCourtCaseFact {
  readonly caseId: string;
  readonly caseType: string;
  readonly lastEventOn: string;
  /**
   * `earlier_stay`: opened before the departure that ended an earlier stay, or every event before the
   * current stay; `superseded`: another case of the stay drives.
   */
  readonly reason: "earlier_stay" | "superseded";
  readonly evidence: Evidence;
}

export interface StayPeriodFact {
  readonly source: "court" | "dhs";
  readonly from: string;
  /** Last day of the stay when it has one (court deadline, I-246 valid-to). */
  readonly until: string | null;
  readonly liftedOn: string | null;
  readonly inEffect: boolean;
  readonly evidence: Evidence;
}

export interface CustodyFact {
  readonly detained: boolean;
  /** Start of the current continuous custody (when detained). */
  readonly since: string | null;
  /** Facility of a person already detained: an institutional place (ARCHITECTURE.md). */
  readonly facilityCode: string | null;
  readonly lastEvent: string;
  readonly lastEventOn: string;
  readonly reason: string | null;
  readonly evidence: Evidence;
}

export interface DepartureFact {
  readonly tier: DepartureTier;
  readonly date: string;
  /** The departure feed's evidence value of the record that fixes the tier. */
  readonly evidenceKind: string;
  readonly record: RecordCitation;
  /** A self-report of this departure: the earliest one corroborated, else the earliest. */
  readonly claim: RecordCitation | null;
  /** The verified record that corroborates the self-report within the corroboration window. */
  readonly corroboratedBy: RecordCitation | null;
  readonly evidence: Evidence;
}

export interface TravelDocumentFact {
  readonly travelDocumentId: string;
  readonly country: string;
  readonly status: string;
  readonly statusOn: string;
  readonly validTo: string | null;
  readonly evidence: Evidence;
}

export interface CitizenshipFact {
  readonly basis: string;
  readonly effectiveDate: string;
  readonly evidence: Evidence;
}

/** Inputs the policy package reads: its gates, and (a claimed departure) the priority policies' facts. */
export interface GateInputs {
  /** The current case's order was entered in absentia; notice_served as recorded. */
  readonly inAbsentiaOrder: {
    readonly decidedOn: string;
    readonly noticeServed: "Y" | "N" | "U" | null;
    readonly evidence: Evidence;
  } | null;
  /**
   * The person's departure rests on a self-report not corroborated by a government record
   * (DEPARTED claimed, DOMAIN.md §1.8): no gate, but a fact priority policies read (the 2025
   * posture deprioritizes it). `stateWithoutClaim` is the primary state the case would have
   * without the claim, which is where the removal order stands (FINAL_ORDER or
   * REMOVAL_IN_PROGRESS: the order is executable, `finalOrderExecutable`, unless a blocker holds).
   */
  readonly claimedDeparturePending: {
    readonly claimedOn: string;
    readonly evidence: Evidence;
    readonly stateWithoutClaim: PrimaryState;
    /** The records the state without the claim rests on (the order's, where one stands). */
    readonly evidenceWithoutClaim: Evidence;
  } | null;
  readonly withholdingCountries: readonly {
    readonly country: string | null;
    readonly protection: "WITHHOLDING" | "CAT";
    readonly evidence: Evidence;
  }[];
  readonly destinationCountry: { readonly country: string; readonly evidence: Evidence } | null;
  /** Every nationality (or passport country) the records give, sorted. */
  readonly nationalities: readonly { readonly country: string; readonly evidence: Evidence }[];
}

export interface TimelineEntry {
  readonly date: string;
  /** e.g. `admission`, `departure`, `benefit_filed`, `court_decision`, `order_final`. */
  readonly event: string;
  readonly description: string;
  readonly evidence: Evidence;
}

export interface EvidenceEntry extends RecordCitation {
  /** The parts of the status this record version supports, e.g. `state`, `blocker:STAY_GRANTED`. */
  readonly supports: readonly string[];
}

/**
 * A citizenship claim opened through redress (never by a feed): it opens the USC_CLAIM_OPEN
 * overlay and the USC blocker while open. The caller passes the claims as known at `knownAt`.
 */
export interface CitizenshipClaim {
  readonly claimId: string;
  /** `YYYY-MM-DD` */
  readonly openedOn: string;
  /** `YYYY-MM-DD`; the claim is open up to the day before. Null while open. */
  readonly closedOn?: string | null;
}
