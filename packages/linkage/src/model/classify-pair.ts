import type { LinkageSettings } from "./linkage-settings.ts";
import { classesPaired } from "./record-classes.ts";

/** The three bands of a scored pair. */
export const LINK_BANDS = ["auto_link", "review", "no_link"] as const;
export type LinkBand = (typeof LINK_BANDS)[number];

/**
 * Why a pair is in review: below the auto-link threshold, or a safeguard held back a likely link,
 * or (`could_bar_action`, `shared_identifier`) a floor holds a pair below the review threshold.
 */
export const REVIEW_REASONS = [
  "below_auto_link_threshold",
  "name_and_date_only",
  "conflicting_identifiers",
  "joins_two_persons",
  "could_bar_action",
  "shared_identifier",
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
const REVIEW_SHARED: PairClassification = { band: "review", reason: "shared_identifier" };

/** What the band of a scored pair depends on beyond the settings (`PairScorer` gives it). */
export interface PairEvidence {
  readonly probability: number;
  /** Bits of agreement from fields that are neither names nor dates (the corroboration safeguard). */
  readonly corroboratingWeight: number;
  /**
   * The strong identifier the two records hold exactly the same value of (`PairScorer.sharedIdentifier`:
   * an A-number; a passport of one named country), or undefined.
   */
  readonly sharedIdentifier: string | undefined;
  readonly leftId: string;
  readonly rightId: string;
}

/**
 * The band of a scored pair, the one rule the batch, incremental and explanation paths share. A
 * pair above the auto-link threshold whose agreement is only names and dates goes to review:
 * Passage never links on name and date of birth alone (ARCHITECTURE.md "Safety by construction").
 * Below the review threshold, two floors keep a pair in review:
 * - a strong identifier the two records hold exactly (`shared_identifier`): an A-number belongs to
 *   one person, so two records holding it whose other fields disagree are one person recorded
 *   inconsistently or two persons, one of them under a wrong A-number (DOMAIN.md §2.2, mistaken
 *   identity). Left `no_link`, each would be acted on with half the records, an order keyed to the
 *   A-number executed against the wrong person; in review, both persons carry the identity issue
 *   until a reviewer decides (a cannot-link then ends the question, as for any pair);
 * - a pair of classes listed as cautious, from its lower threshold (`could_bar_action`).
 */
export function classifyPair(settings: LinkageSettings, evidence: PairEvidence): PairClassification {
  const { autoLinkProbability, reviewProbability, cautiousReview } = settings.thresholds;
  const { probability } = evidence;
  if (probability < reviewProbability) {
    if (evidence.sharedIdentifier !== undefined) return REVIEW_SHARED;
    const cautious =
      cautiousReview !== undefined &&
      probability >= cautiousReview.reviewProbability &&
      classesPaired(cautiousReview.classPairs, evidence.leftId, evidence.rightId);
    return cautious ? REVIEW_CAUTIOUS : NO_LINK;
  }
  if (probability < autoLinkProbability) return REVIEW_BELOW;
  const { requireCorroboration, minimumCorroboratingWeight } = settings.safeguards;
  if (requireCorroboration && evidence.corroboratingWeight < minimumCorroboratingWeight)
    return REVIEW_NAME_DATE;
  return AUTO_LINK;
}
