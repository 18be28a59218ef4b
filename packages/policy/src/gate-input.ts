import type { BlockerBinding, RecordCitation } from "@passage/core";
import type { Evidenced, IsoDate } from "./case-facts.ts";

/** A blocker of the person's status (lifecycle engine), with the records it rests on. */
export interface GateBlocker extends Evidenced {
  /** A code of `BLOCKERS` in core. An unknown code with binding `law` still holds (fail closed). */
  readonly code: string;
  readonly binding: BlockerBinding;
}

/** A conflicting strong identifier in the person's cluster (two A-numbers, two passports of one country). */
export interface ConflictingIdentifier extends Evidenced {
  readonly identifier: string;
}

/** A link in the review band that the person's cluster rests on. */
export interface ReviewBandLink extends Evidenced {
  readonly matchProbability: number;
}

/**
 * A record of a person made of nothing but records a reviewer or a redress resolution unlinked
 * from another person ("not theirs"): nothing confirms whose record it is.
 */
export interface UnlinkedRecord extends Evidenced {
  /** `FEED:KEY`. */
  readonly record: string;
}

/**
 * A record of the person that a reviewer's must-link (or an adopted placement) joined to another
 * record, when one of the two has changed its compared values since: the decision judged content
 * the record no longer has, so nobody confirmed the link for what it says now.
 */
export interface OutdatedMustLink extends Evidenced {
  /** The must-link decision (`linkage_decision`). */
  readonly decisionId: string;
  /** `FEED:KEY`: the person's own record of the pair. */
  readonly record: string;
}

/** The order as the gates need it: in absentia and notice (INA 240(b)(5)), destination. */
export interface GateOrder extends Evidenced {
  readonly inAbsentia: boolean;
  /** The court record's `notice_served` (`Y`, `N`, `U`); null when the record does not say. */
  readonly noticeServed: "Y" | "N" | "U" | null;
  /** The order's `destination_country` (alpha-3); null when none is set. */
  readonly destinationCountry: string | null;
}

/**
 * What the gates read: the status's blockers and state, identity facts from linkage, the order
 * and withholding/CAT countries. A claimed departure is no gate (DOMAIN.md §1.8: a self-report is
 * DEPARTED(claimed) until corroborated, and a reason to deprioritize, not a due-process bar): the
 * priority policies read it as a case fact (`CaseFacts.claimedDeparture`). Nationality appears only where the law
 * makes it operative (protected country, destination). Every list is required: a missing list
 * is refused, never read as "nothing blocks".
 */
export interface GateInput {
  readonly personId: string;
  readonly asOf: IsoDate;
  /**
   * Primary state of the status and the records it rests on. `orderState`: where the removal
   * order stands when that is not the primary state, i.e. under a claimed departure no government
   * record corroborates (primary state DEPARTED, detail claimed), the state the case would have
   * without the claim; absent otherwise (the order stands at `primaryState`). `orderEvidence`: the
   * records `orderState` rests on, given with it.
   */
  readonly status: Evidenced & {
    readonly primaryState: string;
    readonly orderState?: string;
    readonly orderEvidence?: Evidenced["evidence"];
  };
  readonly blockers: readonly GateBlocker[];
  readonly identity: {
    readonly reviewBandLinks: readonly ReviewBandLink[];
    readonly conflictingIdentifiers: readonly ConflictingIdentifier[];
    /** Every record of the person, when all were unlinked from another person; else empty. */
    readonly unlinkedRecords: readonly UnlinkedRecord[];
    /** The person's records named by a must-link decided on content one of its records no longer has. */
    readonly outdatedMustLinks: readonly OutdatedMustLink[];
  };
  readonly order: GateOrder | null;
  /**
   * Countries to which removal is barred by a withholding or CAT grant (INA 241(b)(3)); a null
   * country means the records do not say which, so removal to any country is barred.
   */
  readonly withholdingCountries: readonly (Evidenced & { readonly country: string | null })[];
}

export type { RecordCitation };
