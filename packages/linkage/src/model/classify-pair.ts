import type { LinkageSettings } from "./linkage-settings.ts";

/** The three bands of a scored pair. */
export const LINK_BANDS = ["auto_link", "review", "no_link"] as const;
export type LinkBand = (typeof LINK_BANDS)[number];

/** Why a pair above the auto-link threshold was sent to review instead. */
export const REVIEW_REASONS = [
  "below_auto_link_threshold",
  "name_and_date_only",
  "conflicting_identifiers",
  "joins_two_persons",
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

/**
 * The band of a pair from its probability and corroborating weight. A pair above the
 * auto-link threshold whose agreement is only names and dates goes to review: Passage never
 * links on name and date of birth alone (ARCHITECTURE.md "Safety by construction").
 */
export function classifyPair(
  settings: LinkageSettings,
  probability: number,
  corroboratingWeight: number,
): PairClassification {
  const { autoLinkProbability, reviewProbability } = settings.thresholds;
  if (probability < reviewProbability) return NO_LINK;
  if (probability < autoLinkProbability) return REVIEW_BELOW;
  const { requireCorroboration, minimumCorroboratingWeight } = settings.safeguards;
  if (requireCorroboration && corroboratingWeight < minimumCorroboratingWeight) return REVIEW_NAME_DATE;
  return AUTO_LINK;
}
