import type { LinkageSettings } from "./linkage-settings.ts";
import { classesPaired } from "./record-classes.ts";

/** The three bands of a scored pair. */
export const LINK_BANDS = ["auto_link", "review", "no_link"] as const;
export type LinkBand = (typeof LINK_BANDS)[number];

/** Why a pair above the auto-link threshold was sent to review instead. */
export const REVIEW_REASONS = [
  "below_auto_link_threshold",
  "name_and_date_only",
  "conflicting_identifiers",
  "joins_two_persons",
  "could_bar_action",
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export interface PairClassification {
  readonly band: LinkBand;
  readonly reason: ReviewReason | undefined;
}

const NO_LINK: PairClassification = { band: "no_link", reason: undefined };
const AUTO_LINK: PairClassification = { band: "auto_link", reason: undefined };
const REVIEW_BELOW: PairClassification = { band: "review", reason: "below_auto_link_threshold" };
const REVIEW_NAME_DATE: PairClassification = { band: "review", reason: "name_and_date_only" };
const REVIEW_CAUTIOUS: PairClassification = { band: "review", reason: "could_bar_action" };

/**
 * The band of a pair from its probability, corroborating weight and record ids. A pair above the
 * auto-link threshold whose agreement is only names and dates goes to review: Passage never
 * links on name and date of birth alone (ARCHITECTURE.md "Safety by construction"). Below the
 * review threshold, a pair of classes listed as cautious is reviewed from its lower threshold.
 */
export function classifyPair(
  settings: LinkageSettings,
  probability: number,
  corroboratingWeight: number,
  leftId = "",
  rightId = "",
): PairClassification {
  const { autoLinkProbability, reviewProbability, cautiousReview } = settings.thresholds;
  if (probability < reviewProbability) {
    const cautious =
      cautiousReview !== undefined &&
      probability >= cautiousReview.reviewProbability &&
      classesPaired(cautiousReview.classPairs, leftId, rightId);
    return cautious ? REVIEW_CAUTIOUS : NO_LINK;
  }
  if (probability < autoLinkProbability) return REVIEW_BELOW;
  const { requireCorroboration, minimumCorroboratingWeight } = settings.safeguards;
  if (requireCorroboration && corroboratingWeight < minimumCorroboratingWeight) return REVIEW_NAME_DATE;
  return AUTO_LINK;
}
