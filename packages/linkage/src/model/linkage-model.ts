import type { LinkageSettings } from "./linkage-settings.ts";
import type { NamesakeBirthYears } from "./namesake-birth-years.ts";

/** The artefact's schema name and the version this engine writes. */
export const MODEL_SCHEMA = "passage.linkage-model";
export const MODEL_SCHEMA_VERSION = 2;
/**
 * Versions this engine reads. Version 2 added `fullNameHolders` (the full-name correction counts
 * persons, not records); a version 1 artefact keeps its record-count correction and its scores.
 */
export const MODEL_SCHEMA_VERSIONS_READ = [1, 2] as const;
export type ModelSchemaVersion = (typeof MODEL_SCHEMA_VERSIONS_READ)[number];

/** m and u probabilities of one comparison, one entry per level (level 0, missing, is 1 and 1). */
export interface ComparisonParameters {
  readonly m: readonly number[];
  readonly u: readonly number[];
}

/** How often each value occurs, for term-frequency adjustment (values seen once are left out). */
export interface TermFrequencyTable {
  /** Records with a value for this comparison. */
  readonly records: number;
  /** Value key -> number of records holding it; keys absent here count once. */
  readonly counts: Readonly<Record<string, number>>;
}

/** One EM session: the pairs of one blocking rule, with the rule's own fields held out. */
export interface TrainingSession {
  readonly blockingRule: string;
  readonly pairs: number;
  readonly sampledPairs: number;
  readonly heldOut: readonly string[];
  readonly iterations: number;
  readonly converged: boolean;
  /** Estimated share of matches among the rule's pairs. */
  readonly matchShare: number;
  /** Whether the session's m estimates were used (a session whose EM found no matches is not). */
  readonly used: boolean;
}

/** What training saw and did: enough to judge the model without rerunning it. */
export interface TrainingStatistics {
  readonly records: number;
  readonly candidatePairs: number;
  readonly randomPairsSampled: number;
  readonly seed: number;
  readonly sessions: readonly TrainingSession[];
  /** Comparisons whose m stayed at its starting values (never free in any session). */
  readonly untrainedComparisons: readonly string[];
  /** Expected number of matching pairs, and so of the prior. */
  readonly expectedMatches: number;
  /**
   * Present when the table was too small to train on (fewer than `minimumRecords` records): m and
   * u are the comparisons' built-in `startingM` and `startingU`, the prior `defaultPrior`'s.
   */
  readonly defaultParameters?: { readonly minimumRecords: number; readonly reason: string };
  /** Caller-supplied note of when or by what the model was trained (the engine has no clock). */
  readonly trainedAt?: string;
}

/**
 * A trained Fellegi-Sunter model: a versioned, self-contained JSON artefact. Saving it with
 * `JSON.stringify` and reading it back with `parseLinkageModelOrThrow` gives identical scores.
 */
export interface LinkageModel {
  readonly schema: typeof MODEL_SCHEMA;
  readonly schemaVersion: ModelSchemaVersion;
  readonly settings: LinkageSettings;
  readonly parameters: {
    /** Probability that two records drawn at random are the same person (lambda). */
    readonly prior: number;
    readonly comparisons: Readonly<Record<string, ComparisonParameters>>;
  };
  readonly termFrequencies: Readonly<Record<string, TermFrequencyTable>>;
  /**
   * How often each full name (given and family, folded) occurs. Fellegi-Sunter treats given and
   * family names as independent, but within a community they are not: "Thu Trang Do" is far
   * commoner than its two halves suggest. When both names agree exactly, the pair's weight is
   * corrected by log2(tf(given) * tf(family) / tf(full name)) when that is negative.
   */
  readonly fullNameFrequencies?: TermFrequencyTable;
  /**
   * Version 2: how many persons hold each full name, counted as distinct birth dates (day and
   * month in either order, placeholders left out) among the records carrying it; `records` is the
   * number of distinct (full name, birth date) holders. A person's own duplicate records do not
   * make their name look common. When both names agree exactly and a full name has h >= 2
   * holders, the names' evidence is capped at log2(m(given) m(family) H / (h - 1)): the chance
   * that another person shares the full name. Replaces `fullNameFrequencies`, which counted
   * records and so took any person with several records for a common name.
   */
  readonly fullNameHolders?: TermFrequencyTable;
  /**
   * Version 2: birth years of the holders of each name several persons hold (the namesake cap).
   * When two records agree on a name (exactly, as variants, swapped, partly or within a typo) and on a birth
   * date, and c is the chance that another holder of the name born within two years was born on
   * that day, the prior, names, date and the fields that follow the name together weigh at most
   * log2((1 - c) / c): the odds that the date is this person's rather than a namesake's.
   * Identifiers still add their own evidence on top.
   */
  readonly namesakeBirthYears?: NamesakeBirthYears;
  readonly training: TrainingStatistics;
}
