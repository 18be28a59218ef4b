/**
 * The words of the legal lifecycle (DOMAIN.md §1.1 and §1.9), shared by the lifecycle engine,
 * the synthetic generator's ground truth, policy gates and the UI. Extending a list is fine;
 * renaming a word is a breaking change for stored statuses and published reports.
 */

/** Exclusive primary states (DOMAIN.md §1.1). */
export const PRIMARY_STATES = [
  /** Records exist (e.g. a visa) but no entry to the United States is recorded. */
  "NO_ENTRY_RECORDED",
  "ADMITTED_FIXED",
  "ADMITTED_DS",
  "PAROLED",
  "EWI_PRESENT",
  "EOS_COS_PENDING",
  "OVERSTAY_SUSPECTED",
  "BENEFIT_PENDING",
  "PROTECTED_STATUS",
  "NTA_ISSUED",
  "IN_PROCEEDINGS",
  "IJ_DECIDED",
  "APPEAL_WINDOW",
  "BIA_PENDING",
  "FINAL_ORDER",
  "VD_PERIOD",
  "REMOVAL_IN_PROGRESS",
  "DEPARTED",
  /** Naturalised or otherwise a U.S. citizen: terminal for enforcement. */
  "USC",
] as const;
export type PrimaryState = (typeof PRIMARY_STATES)[number];

/** Kinds of benefit that can be pending (BENEFIT_PENDING detail), by form. */
export const BENEFIT_TYPES = [
  "ASYLUM",
  "ADJUSTMENT",
  "TPS",
  "DACA",
  "T_VISA",
  "U_VISA",
  "VAWA_SIJ",
  "EXTENSION_CHANGE",
  "DHS_STAY",
  "NATURALIZATION",
] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];

/** Protected statuses (PROTECTED_STATUS detail). */
export const PROTECTED_STATUS_TYPES = [
  "LPR",
  "ASYLEE",
  "REFUGEE",
  "TPS",
  "DACA",
  "DEFERRED_ACTION",
  "T_STATUS",
  "U_STATUS",
  "VAWA",
  "SIJ",
  "WITHHOLDING",
  "CAT",
] as const;
export type ProtectedStatusType = (typeof PROTECTED_STATUS_TYPES)[number];

/** Departure evidence tiers (DOMAIN.md §1.8): a self-report is only "claimed" until corroborated. */
export const DEPARTURE_TIERS = ["verified", "claimed"] as const;
export type DepartureTier = (typeof DEPARTURE_TIERS)[number];

/** Overlays coexist with the primary state and are what usually block actions. */
export const OVERLAYS = [
  "STAY",
  "DETAINED",
  "OSUP",
  "CONFIDENTIAL_1367",
  "CONFIDENTIAL_ASYLUM",
  "USC_CLAIM_OPEN",
] as const;
export type Overlay = (typeof OVERLAYS)[number];

/**
 * Overstay kinds (DOMAIN.md §1.2): no recorded departure (`in_country`), a verified departure after
 * the authorised period (`out_of_country`), or only a claimed departure no government record
 * corroborates (`departure_claimed`, DOMAIN.md §1.8): the stay goes on, as unlawful presence counts
 * it, until one does.
 */
export const OVERSTAY_KINDS = ["in_country", "out_of_country", "departure_claimed"] as const;
export type OverstayKind = (typeof OVERSTAY_KINDS)[number];

/**
 * Whether a blocker binds by law (a gate: no policy, score or role can override it) or is a
 * protection whose effect a published policy decides (DOMAIN.md §1.9 "policy-dependent").
 */
export type BlockerBinding = "law" | "policy";

export interface BlockerDefinition {
  readonly code: string;
  readonly binding: BlockerBinding;
  readonly description: string;
  /** The public legal basis, as DOMAIN.md cites it. */
  readonly basis: string;
}

const blocker = (
  code: string,
  binding: BlockerBinding,
  description: string,
  basis: string,
): BlockerDefinition => ({
  code,
  binding,
  description,
  basis,
});

/** Enforcement blockers of DOMAIN.md §1.9, each with its basis. */
export const BLOCKERS = {
  USC: blocker(
    "USC",
    "law",
    "U.S. citizen (born, naturalised, derived) or a credible citizenship claim: no civil immigration action",
    "INA 301, 320, 321, 337; GAO-21-487",
  ),
  LPR: blocker(
    "LPR",
    "law",
    "Lawful permanent resident: removable only through proceedings; status persists until a final order",
    "INA 237, 240",
  ),
  APPEAL_WINDOW_OPEN: blocker(
    "APPEAL_WINDOW_OPEN",
    "law",
    "Within the 30-day BIA appeal window: the IJ order is not executable",
    "8 CFR 1003.38(b), 1003.6(a)",
  ),
  APPEAL_PENDING: blocker(
    "APPEAL_PENDING",
    "law",
    "BIA appeal or certification pending: the IJ order is stayed",
    "8 CFR 1003.6(a)",
  ),
  MTR_IN_ABSENTIA_PENDING: blocker(
    "MTR_IN_ABSENTIA_PENDING",
    "law",
    "Motion to reopen an in absentia order pending: removal automatically stayed",
    "INA 240(b)(5)(C); 8 CFR 1003.23(b)(4)(ii)",
  ),
  STAY_GRANTED: blocker(
    "STAY_GRANTED",
    "law",
    "A stay of removal is in effect (DHS I-246, IJ, BIA or court): no removal; re-check at boarding",
    "8 CFR 241.6, 1241.6; Nken v. Holder",
  ),
  VD_PERIOD_RUNNING: blocker(
    "VD_PERIOD_RUNNING",
    "law",
    "Voluntary departure period running: removal not due before the deadline",
    "INA 240B; 8 CFR 1240.26",
  ),
  TPS: blocker(
    "TPS",
    "law",
    "Temporary Protected Status granted or prima facie: no removal, no detention on status alone",
    "INA 244(a)(1)(A), (d)(4)",
  ),
  ASYLEE: blocker("ASYLEE", "law", "Asylum granted: no removal", "INA 208(c)"),
  WITHHOLDING_OR_CAT: blocker(
    "WITHHOLDING_OR_CAT",
    "law",
    "Withholding or CAT protection: no removal to the protected country",
    "INA 241(b)(3); 8 CFR 1208.16-17",
  ),
  ORDER_NOT_FINAL: blocker(
    "ORDER_NOT_FINAL",
    "law",
    "The removal order is not administratively final",
    "8 CFR 1241.1",
  ),
  DEPARTED: blocker(
    "DEPARTED",
    "law",
    "Departure verified by a government record: nothing left to enforce",
    "DOMAIN.md §1.8",
  ),
  VICTIM_PROTECTION: blocker(
    "VICTIM_PROTECTION",
    "policy",
    "Pending or granted T/U/VAWA/SIJ: 8 U.S.C. 1367 source and disclosure limits always apply; enforcement is policy-dependent",
    "8 U.S.C. 1367; ICE Directive 11005.3 (2021), 11005.4 (2025)",
  ),
  DEFERRED_ACTION: blocker(
    "DEFERRED_ACTION",
    "policy",
    "Deferred action or DACA current: policy forbearance",
    "DHS deferred action policy",
  ),
  THIRD_COUNTRY_DESTINATION: blocker(
    "THIRD_COUNTRY_DESTINATION",
    "law",
    "Removal to a third country: notice and fear-screening process must complete first",
    "INA 241(b)(2); D.V.D. v. DHS (2025)",
  ),
} as const satisfies Record<string, BlockerDefinition>;
export type BlockerCode = keyof typeof BLOCKERS;
export const BLOCKER_CODES = Object.keys(BLOCKERS) as BlockerCode[];

/** The six ways a removal order becomes administratively final (8 CFR 1241.1 (a)-(f), DOMAIN.md §1.6). */
export const FINALITY_RULES = {
  a: { rule: "a", basis: "8 CFR 1241.1(a)", description: "The BIA dismissed the appeal" },
  b: { rule: "b", basis: "8 CFR 1241.1(b)", description: "The respondent waived appeal" },
  c: {
    rule: "c",
    basis: "8 CFR 1241.1(c)",
    description: "The time allotted for an appeal expired with no appeal filed",
  },
  d: {
    rule: "d",
    basis: "8 CFR 1241.1(d)",
    description: "The case was certified and the subsequent decision ordered removal",
  },
  e: { rule: "e", basis: "8 CFR 1241.1(e)", description: "Removal ordered in absentia: final on entry" },
  f: {
    rule: "f",
    basis: "8 CFR 1241.1(f)",
    description: "Voluntary departure overstayed (or terminated): the alternate order of removal took effect",
  },
} as const;
export type FinalityRule = keyof typeof FINALITY_RULES;
