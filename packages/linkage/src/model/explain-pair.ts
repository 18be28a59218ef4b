import { classifyPair, type LinkBand, type ReviewReason } from "./classify-pair.ts";
import { type CompiledModel, probabilityOfWeight } from "./compiled-model.ts";
import { PairScorer } from "./pair-scorer.ts";
import type { PreparedRecord } from "./prepared-record.ts";

/** One bar of the waterfall: a field's level and what it added, in bits. */
export interface FieldContribution {
  readonly comparison: string;
  readonly kind: string;
  readonly level: number;
  readonly label: string;
  readonly description: string;
  readonly m: number;
  readonly u: number;
  /**
   * The level's weight: log2(m / u) (0 when a value is missing), unless the model caps it (see
   * `cap`), then the capped value.
   */
  readonly weight: number;
  /**
   * Where the model caps the level's weight below log2(m / u) (a placeholder date tells at most its
   * year, and may be a guess: at most one bit): log2(m / u) uncapped and why; else null.
   */
  readonly cap: { readonly uncappedWeight: number; readonly reason: string } | null;
  /** Term-frequency adjustment, in bits (positive for a rare name, negative for a common one). */
  readonly termFrequencyAdjustment: number;
  /** Match weight after this bar. */
  readonly cumulativeWeight: number;
}

/** Why two records score as they do: Splink's waterfall, plus Passage's safeguards. */
export interface PairExplanation {
  readonly leftId: string;
  readonly rightId: string;
  /** log2 of the prior odds: where the waterfall starts. */
  readonly priorWeight: number;
  readonly prior: number;
  readonly fields: readonly FieldContribution[];
  /** The full-name frequency correction (0 or negative), after the fields. */
  readonly fullNameAdjustment: number;
  readonly matchWeight: number;
  readonly matchProbability: number;
  readonly namesSwapped: boolean;
  /** The namesake cap's correction (0 or negative), after the full-name correction. */
  readonly namesakeAdjustment: number;
  /** Bits of agreement from fields that are neither names nor dates (the safeguard's measure). */
  readonly corroboratingWeight: number;
  readonly band: LinkBand;
  readonly reviewReason: ReviewReason | undefined;
  /** The strong identifier the two records hold exactly (`PairScorer.sharedIdentifier`), or undefined. */
  readonly sharedIdentifier: string | undefined;
  /**
   * Where a floor, not the score, puts the pair in review (its probability is below the review
   * threshold): which (`shared_identifier`, `could_bar_action`) and why, as a line of text; else null.
   */
  readonly reviewFloor: { readonly reason: ReviewReason; readonly note: string } | null;
}

/** Explains a pair's score field by field; the total equals the batch and incremental score. */
export function explainPair(
  model: CompiledModel,
  left: PreparedRecord,
  right: PreparedRecord,
): PairExplanation {
  const scorer = new PairScorer(model);
  const matchWeight = scorer.score(left, right);
  const settings = model.artefact.settings;
  let cumulative = model.priorWeight;
  const fields = settings.comparisons.map((comparison, index): FieldContribution => {
    const level = scorer.levels[index]!;
    const definition = model.plan.comparators[index]!.levels[level]!;
    const parameters = model.artefact.parameters.comparisons[comparison.name]!;
    const termFrequencyAdjustment = scorer.termFrequencyAdjustments[index]!;
    const weight = scorer.fieldWeights[index]! - termFrequencyAdjustment;
    cumulative += weight + termFrequencyAdjustment;
    const uncappedWeight = level === 0 ? 0 : Math.log2(parameters.m[level]! / parameters.u[level]!);
    const capped = uncappedWeight > model.levelWeights[index]![level]! + 1e-9;
    return {
      comparison: comparison.name,
      kind: comparison.kind,
      level,
      label: definition.label,
      description: definition.description,
      m: parameters.m[level]!,
      u: parameters.u[level]!,
      weight,
      cap: capped ? { uncappedWeight, reason: capReason(comparison.kind) } : null,
      termFrequencyAdjustment,
      cumulativeWeight: cumulative,
    };
  });
  const matchProbability = probabilityOfWeight(matchWeight);
  const classification = classifyPair(settings, {
    probability: matchProbability,
    corroboratingWeight: scorer.corroboratingWeight,
    sharedIdentifier: scorer.sharedIdentifier,
    leftId: left.id,
    rightId: right.id,
  });
  return {
    leftId: left.id,
    rightId: right.id,
    priorWeight: model.priorWeight,
    prior: model.artefact.parameters.prior,
    fields,
    fullNameAdjustment: scorer.fullNameAdjustment,
    matchWeight,
    matchProbability,
    namesSwapped: scorer.swapped,
    namesakeAdjustment: scorer.namesakeAdjustment,
    corroboratingWeight: scorer.corroboratingWeight,
    band: classification.band,
    reviewReason: classification.reason,
    sharedIdentifier: scorer.sharedIdentifier,
    reviewFloor: reviewFloorOf(settings.thresholds, matchProbability, classification.reason, scorer),
  };
}

/** Why a pair below the review threshold is in review (`PairExplanation.reviewFloor`). */
function reviewFloorOf(
  thresholds: CompiledModel["artefact"]["settings"]["thresholds"],
  probability: number,
  reason: ReviewReason | undefined,
  scorer: PairScorer,
): PairExplanation["reviewFloor"] {
  if (probability >= thresholds.reviewProbability) return null;
  const below = `though its probability ${probability.toPrecision(3)} is below the review band (${thresholds.reviewProbability})`;
  if (reason === "shared_identifier") {
    const name = scorer.sharedIdentifier!;
    return {
      reason,
      note: `held in review: the agreeing ${name} holds the pair in review ${below}; one ${name} belongs to one person, so either these records are one person's or one of them carries a wrong ${name}`,
    };
  }
  if (reason === "could_bar_action") {
    return {
      reason,
      note: `held in review: one record can ground an action the other can bar, so the pair is reviewed from ${thresholds.cautiousReview?.reviewProbability} ${below}`,
    };
  }
  return null;
}

/** Why the model caps a level's weight (`compileModel`): only placeholder dates are capped. */
function capReason(kind: string): string {
  return kind === "date"
    ? "a placeholder date (1 January, or a year alone) tells at most its year and may be a guess: at most 1 bit"
    : "the model caps this level's weight";
}

/** The waterfall as text lines, for the CLI and logs. */
export function formatPairExplanation(explanation: PairExplanation): string[] {
  const sign = (value: number) => (value >= 0 ? `+${value.toFixed(2)}` : value.toFixed(2));
  const lines = [
    `${explanation.leftId} ~ ${explanation.rightId}`,
    `  prior                     ${sign(explanation.priorWeight)}`,
  ];
  for (const field of explanation.fields) {
    const adjustment =
      field.termFrequencyAdjustment === 0 ? "" : ` (term frequency ${sign(field.termFrequencyAdjustment)})`;
    const cap =
      field.cap === null ? "" : ` (capped from ${sign(field.cap.uncappedWeight)}: ${field.cap.reason})`;
    lines.push(
      `  ${field.comparison.padEnd(18)} ${field.label.padEnd(14)} ${sign(field.weight)}${adjustment}${cap}`,
    );
  }
  if (explanation.fullNameAdjustment !== 0) {
    lines.push(`  full name frequency                ${sign(explanation.fullNameAdjustment)}`);
  }
  if (explanation.namesakeAdjustment !== 0) {
    lines.push(`  namesakes born near that date      ${sign(explanation.namesakeAdjustment)}`);
  }
  lines.push(
    `  total ${sign(explanation.matchWeight)} bits, probability ${explanation.matchProbability.toFixed(6)}${explanation.namesSwapped ? ", names swapped" : ""}`,
    `  band ${explanation.band}${explanation.reviewReason ? ` (${explanation.reviewReason})` : ""}`,
  );
  if (explanation.reviewFloor !== null) lines.push(`  ${explanation.reviewFloor.note}`);
  return lines;
}
