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
  /** log2(m / u) of the level (0 when a value is missing). */
  readonly weight: number;
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
    return {
      comparison: comparison.name,
      kind: comparison.kind,
      level,
      label: definition.label,
      description: definition.description,
      m: parameters.m[level]!,
      u: parameters.u[level]!,
      weight,
      termFrequencyAdjustment,
      cumulativeWeight: cumulative,
    };
  });
  const matchProbability = probabilityOfWeight(matchWeight);
  const classification = classifyPair(
    settings,
    matchProbability,
    scorer.corroboratingWeight,
    left.id,
    right.id,
  );
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
  };
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
    lines.push(
      `  ${field.comparison.padEnd(18)} ${field.label.padEnd(14)} ${sign(field.weight)}${adjustment}`,
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
  return lines;
}
