import type { DateFormat } from "../standardise/standardise-date.ts";
import type { IdentifierScheme } from "../standardise/standardise-identifier.ts";
import type { ClassPairs } from "./record-classes.ts";

/** What a compared column holds; each kind has its own standardiser and comparison levels. */
export const COMPARISON_KINDS = [
  "given_name",
  "family_name",
  "full_name",
  "date",
  "identifier",
  "exact",
  "postcode",
  "text",
  "number",
] as const;
export type ComparisonKind = (typeof COMPARISON_KINDS)[number];

/** One compared field: which column it reads and how. */
export interface ComparisonSettings {
  /** Unique name of the comparison (defaults to the column in link-file configurations). */
  readonly name: string;
  readonly kind: ComparisonKind;
  readonly column: string;
  /** `date` only: how the column writes dates. */
  readonly format?: DateFormat;
  /** `identifier` only: how the identifier is read (default `generic`). */
  readonly scheme?: IdentifierScheme;
  /** `identifier` only: a column that scopes the identifier (a passport number's issuing country). */
  readonly scopeColumn?: string;
  /**
   * `identifier` only: a strong identifier. Two records of one automatic cluster may never hold
   * two different values of it (two A-numbers; two passports of one country): such a merge goes
   * to review instead (ARCHITECTURE.md "Safety by construction").
   */
  readonly strong?: boolean;
  /**
   * `identifier` only: a person holds many values of it (a court case number: one per case), so
   * two different values are no evidence either way and only agreement counts. Cannot be strong.
   */
  readonly manyPerPerson?: boolean;
  /** Name kinds: adjust exact and variant agreement by how common the name is (default true). */
  readonly termFrequency?: boolean;
  /**
   * Whether agreement here counts as evidence beyond names and dates for the safeguard. Default:
   * true for identifier, postcode, text, number and exact columns. Passage's feeds set it false
   * for sex, nationality and country of birth, which follow from the name too often to count
   * as independent.
   */
  readonly corroborates?: boolean;
  /**
   * Agreement is common among people who share a family name (nationality, country of birth):
   * u is then measured among pairs with the same family-name sound, not among random pairs,
   * so the field is not counted twice as evidence the name already gave (Fellegi-Sunter
   * assumes fields independent; these are not).
   */
  readonly dependsOnFamilyName?: boolean;
  /**
   * Agreement here mostly follows from sharing a name (sex from the given name; nationality and
   * country of birth from the community). Counted with the names and the birth date under the
   * namesake cap (see `LinkageModel.namesakeBirthYears`): when other persons of the same name
   * were born near the same date, the name, the date and what the name implies together say no
   * more than the chance that one of those namesakes was born that very day.
   */
  readonly followsName?: boolean;
  /** Values that mean "unknown" and count as missing (e.g. sex `U`). Compared after folding. */
  readonly missingValues?: readonly string[];
}

/** How a blocking key part is derived from a prepared value. */
export const KEY_TRANSFORMS = [
  "value",
  "phonetic",
  "last_phonetic",
  "initial",
  "year",
  "month_day",
  "prefix",
  "phonetic_pair",
  "scope",
  "joined_phonetic",
] as const;
export type KeyTransform = (typeof KEY_TRANSFORMS)[number];

/**
 * One part of a blocking key. `phonetic_pair` names two name comparisons and keys on their
 * sound keys sorted, so a record whose given and family names were swapped meets its twin.
 */
export interface BlockingKeyPart {
  readonly transform: KeyTransform;
  readonly comparisons: readonly string[];
}

/** Records sharing every part of the key are compared. A rule's text form: `phonetic:surname & year:dob`. */
export interface BlockingRule {
  readonly name: string;
  readonly parts: readonly BlockingKeyPart[];
  /**
   * Parts appended, one at a time, to a block holding more than the cap, so a very common name
   * is split finer instead of exploding quadratically or being dropped.
   */
  readonly refinements: readonly BlockingKeyPart[];
  /**
   * A smaller cap than the settings' for this rule alone: a safety-net rule for rare cases
   * compares small blocks only, so common names do not multiply its pairs.
   */
  readonly blockSizeCap?: number;
  /**
   * Pair only records whose classes are listed together here (a record of no listed class takes
   * no key): a safety net for a missed link between such records, looser than a rule that pairs
   * everyone could afford to be.
   */
  readonly classPairs?: ClassPairs;
}

export const LINK_TYPES = ["dedupe", "link_only"] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** Probability bands: at or above `autoLinkProbability` links automatically (safeguards permitting). */
export interface LinkThresholds {
  readonly autoLinkProbability: number;
  readonly reviewProbability: number;
  /** A lower review threshold for pairs whose missed link costs more than a needless review. */
  readonly cautiousReview?: CautiousReview;
}

/**
 * Pairs of record classes reviewed from a lower probability than the rest: where one record can
 * ground an action and the other can bar it, leaving them apart unasked lets the action proceed
 * on half the evidence. A record's class is its id up to the first ":" (`feed:key` for
 * Passage's feeds); a pair is cautious when its two classes are listed together, in either order.
 */
export interface CautiousReview {
  readonly reviewProbability: number;
  readonly classPairs: ClassPairs;
}

/** Identity safeguards (ARCHITECTURE.md "Safety by construction"). */
export interface LinkSafeguards {
  /**
   * Never link on names and dates alone: an automatic link needs at least
   * `minimumCorroboratingWeight` bits of agreement from fields that are neither a name nor a
   * date (an identifier, or enough independent evidence such as nationality with country of
   * birth). A pair above the threshold without it goes to review.
   */
  readonly requireCorroboration: boolean;
  readonly minimumCorroboratingWeight: number;
}

/** Everything that defines a linkage job, apart from the trained parameters. */
export interface LinkageSettings {
  /** `dedupe` compares all records; `link_only` compares records of source 0 with source 1 only. */
  readonly linkType: LinkType;
  readonly comparisons: readonly ComparisonSettings[];
  readonly blockingRules: readonly BlockingRule[];
  /** Records a block may hold before it is refined (or, with no refinement left, skipped). */
  readonly blockSizeCap: number;
  readonly thresholds: LinkThresholds;
  readonly safeguards: LinkSafeguards;
  /** Largest positive term-frequency adjustment, in bits: a rare name is evidence, not proof. */
  readonly maximumTermFrequencyBonus: number;
}

/** Defaults shared by Passage's feed settings and link-file. */
export const DEFAULT_SAFEGUARDS: LinkSafeguards = {
  requireCorroboration: true,
  minimumCorroboratingWeight: 4, // bits: e.g. an identifier, or nationality and country of birth
};
export const DEFAULT_BLOCK_SIZE_CAP = 400; // records: 80,000 pairs for the largest block
export const DEFAULT_MAXIMUM_TERM_FREQUENCY_BONUS = 1; // bits
