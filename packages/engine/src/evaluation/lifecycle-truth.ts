import type { LifecycleTruth } from "@passage/synth";
import { TRUTH_GATES } from "@passage/synth";
import type { EvaluatedStatus } from "../lifecycle/derive-person-statuses.ts";

/** One field on which the derived status and the generator's ground truth disagree. */
export interface TruthMismatch {
  readonly field: string;
  readonly truth: unknown;
  readonly derived: unknown;
}

/**
 * Why a person's derived status differs from the truth:
 * - `linkage_error`: the person the engine formed is not the true person (records split off or
 *   merged in), so the lifecycle read other records than the scenario wrote; or it is, but
 *   linkage left a pair with another person's record open for review, so the identity gate holds
 *   and that is all that differs;
 * - `ambiguous_record`: the scenario made the records deliberately ambiguous (the truth says why);
 * - `engine_disagreement`: same records, no deliberate ambiguity — a lifecycle (or spec) error.
 */
export const MISMATCH_CLASSES = ["linkage_error", "ambiguous_record", "engine_disagreement"] as const;
export type MismatchClass = (typeof MISMATCH_CLASSES)[number];

/** How the engine's person for a true person relates to the true person's records. */
export interface LinkageOutcome {
  /** Engine persons holding the true person's records (1 when none split off). */
  readonly enginePersons: number;
  /** Records of other true persons inside the engine person. */
  readonly foreignRecords: number;
  /** True person's records not linked to any person. */
  readonly unlinkedRecords: number;
  /** Open review-band links and conflicting identifiers linkage reports for the engine person (default 0). */
  readonly openReviewLinks?: number;
}

const IDENTITY_GATE = "IDENTITY_NOT_CONFIRMED";

/** A difference the identity gate alone explains: the gate added, and so not actionable. */
function explainedByIdentityGate(mismatch: TruthMismatch): boolean {
  if (mismatch.field === "actionable") return mismatch.truth === true && mismatch.derived === false;
  if (mismatch.field !== "gates") return false;
  const truth = new Set(String(mismatch.truth).split(",").filter(Boolean));
  const derived = String(mismatch.derived).split(",").filter(Boolean);
  return (
    [...truth].every((gate) => derived.includes(gate)) &&
    derived.filter((gate) => !truth.has(gate)).join() === IDENTITY_GATE
  );
}

const sortedJoin = (values: readonly string[]) => [...values].sort().join(",");

/** The fields of a derived status that the ground truth also states, in the truth's words. */
export function truthViewOf(evaluated: EvaluatedStatus) {
  const { status, gates } = evaluated;
  const gateNames = new Set<string>(TRUTH_GATES);
  return {
    state: status.state.primary,
    detail: status.state.detail,
    overlays: sortedJoin(status.overlays.map((overlay) => overlay.overlay)),
    blockers: sortedJoin(status.blockers.map((blocker) => blocker.code)),
    gates: sortedJoin(
      gates.results
        .filter((result) => result.holds && gateNames.has(result.gate))
        .map((result) => result.gate),
    ),
    actionable: evaluated.actionable,
    departure_tier: status.facts.departure?.tier ?? null,
    overstay_kind: status.facts.overstay?.kind ?? null,
    final_order_rule: status.facts.court?.finality?.rule ?? null,
  };
}

/** Every field where the derived status disagrees with the truth (empty: they match). */
export function compareWithTruth(truth: LifecycleTruth, evaluated: EvaluatedStatus): TruthMismatch[] {
  const derived = truthViewOf(evaluated);
  const expected = {
    state: truth.state,
    detail: truth.detail,
    overlays: sortedJoin(truth.overlays),
    blockers: sortedJoin(truth.blockers),
    gates: sortedJoin(truth.gates),
    actionable: truth.actionable,
    departure_tier: truth.departure_tier,
    overstay_kind: truth.overstay_kind,
    // A citizen's old order is void: the truth reports none, the facts may still describe it.
    final_order_rule: truth.state === "USC" ? derived.final_order_rule : truth.final_order_rule,
  };
  const mismatches: TruthMismatch[] = [];
  for (const field of Object.keys(expected) as (keyof typeof expected)[]) {
    if (expected[field] !== derived[field])
      mismatches.push({ field, truth: expected[field], derived: derived[field] });
  }
  return mismatches;
}

/**
 * Classifies a mismatch (never called for a match). A deliberately ambiguous record comes first:
 * when the scenario made identity ambiguous (e.g. two A-numbers), linkage refusing to merge is
 * the safeguard working, not an error.
 */
export function classifyMismatch(
  truth: LifecycleTruth,
  linkage: LinkageOutcome,
  mismatches: readonly TruthMismatch[] = [],
): MismatchClass {
  if (truth.ambiguous !== null) return "ambiguous_record";
  if (linkage.enginePersons !== 1 || linkage.foreignRecords > 0 || linkage.unlinkedRecords > 0)
    return "linkage_error";
  // The records are exactly the true person's, so an open review pair links one of them to
  // another person's record: the review band holds a non-match, and the gate fails closed.
  if (
    (linkage.openReviewLinks ?? 0) > 0 &&
    mismatches.length > 0 &&
    mismatches.every(explainedByIdentityGate)
  )
    return "linkage_error";
  return "engine_disagreement";
}
