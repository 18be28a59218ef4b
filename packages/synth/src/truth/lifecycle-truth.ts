import type {
  BlockerCode,
  DepartureTier,
  Overlay,
  OverstayKind,
  PrimaryState,
  ProtectedStatusType,
} from "@passage/core";

/**
 * The gates the policy package adds to the lifecycle's legal blockers (docs/lifecycle-semantics.md
 * §8), under the names the policy package gives them. A claimed departure is none: it leaves a
 * final order executable (DOMAIN.md §1.8), and the 2025 posture deprioritizes it.
 */
export const TRUTH_GATES = [
  "IDENTITY_NOT_CONFIRMED",
  "IN_ABSENTIA_NOTICE_NOT_SERVED",
  "WITHHOLDING_COUNTRY_DESTINATION",
] as const;
export type TruthGate = (typeof TRUTH_GATES)[number];

/** The six ways an order becomes final, lettered as 8 CFR 1241.1 and docs/lifecycle-semantics.md §4. */
export const FINALITY_RULES = ["a", "b", "c", "d", "e", "f"] as const;
export type FinalityRule = (typeof FINALITY_RULES)[number];

/**
 * One person's true lifecycle facts at the reference date, from the scenario that generated
 * them (never from lifecycle code). One line of `truth.lifecycle.ndjson`; field names are the
 * file format, in snake_case like the CLI's JSON.
 */
export interface LifecycleTruth {
  readonly person_id: string;
  readonly scenario: string;
  readonly as_of: string;
  /** True nationality (alpha-3). */
  readonly nationality: string;
  readonly state: PrimaryState;
  /** DEPARTED: tier; BENEFIT_PENDING: benefit type; PROTECTED_STATUS: status type; IJ_DECIDED: outcome; IN_PROCEEDINGS: "admin_closed" or null. */
  readonly detail: string | null;
  /** The country a withholding or CAT grant protects against, when the detail is WITHHOLDING or CAT. */
  readonly protected_country: string | null;
  readonly overlays: readonly Overlay[];
  /** Blockers that hold under the lifecycle's default rules (the policy-dependent protections included). */
  readonly blockers: readonly BlockerCode[];
  readonly gates: readonly TruthGate[];
  /** An executable final removal order, no blocker, no gate (lifecycle-semantics §8). */
  readonly actionable: boolean;
  readonly departure_tier: DepartureTier | null;
  readonly overstay_kind: OverstayKind | null;
  readonly overstay_days: number | null;
  /** The day the operative removal order became final, and the rule that made it so. */
  readonly final_order_date: string | null;
  readonly final_order_rule: FinalityRule | null;
  readonly citizen: boolean;
  /** Null, or why the records are deliberately ambiguous (several reasons joined by "; "). */
  readonly ambiguous: string | null;
  /**
   * The gates and actionability once a reviewer has confirmed the person's identity: a person
   * recorded with two passports or two A-numbers is truly one person, so review lifts the
   * identity gate those cause and nothing else.
   */
  readonly after_review: { readonly gates: readonly TruthGate[]; readonly actionable: boolean };
  /** Every record of the person, as `FEED:KEY` (the key field's value), each once. */
  readonly records: readonly string[];
}

/** Protected-status precedence when several grants hold (lifecycle-semantics §6). */
export const PROTECTED_STATUS_PRECEDENCE: readonly ProtectedStatusType[] = [
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
