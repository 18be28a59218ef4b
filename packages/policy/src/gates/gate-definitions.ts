import { BLOCKERS, type BlockerCode, distinctCitations, type RecordCitation } from "@passage/core";
import type { GateInput } from "../gate-input.ts";

/** What one gate concluded for one person. */
export interface GateResult {
  readonly gate: string;
  readonly holds: boolean;
  readonly description: string;
  readonly basis: string;
  /** The records the conclusion rests on (when it holds: why; when not: what was checked, if anything). */
  readonly evidence: readonly RecordCitation[];
}

/** A due-process gate: a legal bar that no policy, score or role can override. */
export interface GateDefinition {
  readonly gate: string;
  readonly description: string;
  readonly basis: string;
  evaluate(input: GateInput, blockers: BlockerIndex): { holds: boolean; evidence: readonly RecordCitation[] };
}

/** The input's blockers by code, built once per evaluation so each blocker gate is a lookup. */
export type BlockerIndex = ReadonlyMap<string, readonly RecordCitation[]>;

const NO_EVIDENCE: readonly RecordCitation[] = Object.freeze([]);
/** A gate that does not hold and checked no record: one shared outcome, since most gates end so. */
const NOT_HOLDING = Object.freeze({ holds: false, evidence: NO_EVIDENCE });
const NO_BLOCKERS: BlockerIndex = new Map();

/** Indexes blockers by code (evidence of repeated codes concatenated). */
export function indexBlockers(input: GateInput): BlockerIndex {
  if (input.blockers.length === 0) return NO_BLOCKERS;
  const index = new Map<string, RecordCitation[]>();
  for (const blocker of input.blockers) {
    const existing = index.get(blocker.code);
    if (existing === undefined) index.set(blocker.code, [...blocker.evidence]);
    else existing.push(...blocker.evidence);
  }
  return index;
}

/** Primary states in which an executable final removal order exists (docs/lifecycle-semantics.md §8). */
export const EXECUTABLE_ORDER_STATES: readonly string[] = ["FINAL_ORDER", "REMOVAL_IN_PROGRESS"];

const BLOCKER_CODES = Object.keys(BLOCKERS) as BlockerCode[];

function blockerGate(code: BlockerCode): GateDefinition {
  const definition = BLOCKERS[code];
  return {
    gate: code,
    description: definition.description,
    basis: definition.basis,
    evaluate(_input, blockers) {
      const evidence = blockers.get(code);
      return evidence === undefined ? NOT_HOLDING : { holds: true, evidence };
    },
  };
}

const knownCodes = new Set<string>(Object.keys(BLOCKERS));

/** Gates the policy package adds to the lifecycle's blockers (docs/lifecycle-semantics.md §8). */
const ADDED_GATES: readonly GateDefinition[] = [
  {
    gate: "UNRECOGNISED_LEGAL_BLOCKER",
    description: "The status carries a blocker that this version does not know: it holds until reviewed",
    basis:
      "Fail closed: a legal bar is never ignored because its code is new (ARCHITECTURE.md, Safety by construction)",
    evaluate(input) {
      if (input.blockers.length === 0) return NOT_HOLDING;
      const unknown = input.blockers.filter((blocker) => !knownCodes.has(blocker.code));
      return { holds: unknown.length > 0, evidence: unknown.flatMap((blocker) => blocker.evidence) };
    },
  },
  {
    gate: "NO_EXECUTABLE_ORDER",
    description: "No administratively final removal order: there is nothing to execute",
    basis: "INA 241(a)(1); 8 CFR 1241.1",
    evaluate(input) {
      // Under a claimed departure alone (DEPARTED claimed) the order stands where it was, and the
      // verdict rests on the order's records, not on the self-report.
      return {
        holds: !EXECUTABLE_ORDER_STATES.includes(input.status.orderState ?? input.status.primaryState),
        evidence: input.status.orderEvidence ?? input.status.evidence,
      };
    },
  },
  {
    gate: "IDENTITY_NOT_CONFIRMED",
    description:
      "Identity not confirmed: the person rests on a link in the review band, a cluster with conflicting identifiers, only records unlinked from another person, or a must-link decided on a record's former content",
    basis: "Never act on an unconfirmed merge (ARCHITECTURE.md, Safety by construction; DOMAIN.md §2.2)",
    evaluate(input) {
      const { reviewBandLinks, conflictingIdentifiers, unlinkedRecords, outdatedMustLinks } = input.identity;
      if (
        reviewBandLinks.length +
          conflictingIdentifiers.length +
          unlinkedRecords.length +
          outdatedMustLinks.length ===
        0
      )
        return NOT_HOLDING;
      return {
        holds: true,
        // Two issues can rest on one record (a link in review and the conflict it brings): cited once.
        evidence: distinctCitations([
          ...reviewBandLinks.flatMap((link) => link.evidence),
          ...conflictingIdentifiers.flatMap((conflict) => conflict.evidence),
          ...unlinkedRecords.flatMap((unlinked) => unlinked.evidence),
          ...outdatedMustLinks.flatMap((outdated) => outdated.evidence),
        ]),
      };
    },
  },
  {
    gate: "IN_ABSENTIA_NOTICE_NOT_SERVED",
    description:
      "In absentia order without recorded service of notice: flag for review (rescission for lack of notice is available at any time)",
    basis: "INA 240(b)(5)(A), (C)(ii); 8 CFR 1003.23(b)(4)(ii)",
    evaluate(input) {
      const order = input.order;
      if (order?.inAbsentia !== true) return NOT_HOLDING;
      return { holds: order.noticeServed !== "Y", evidence: order.evidence };
    },
  },
  {
    gate: "WITHHOLDING_COUNTRY_DESTINATION",
    description:
      "Withholding or CAT protection bars removal to the order's destination (or no destination is set to rule it out)",
    basis: "INA 241(b)(3); 8 CFR 1208.16-17",
    evaluate(input) {
      const protectedCountries = input.withholdingCountries;
      if (protectedCountries.length === 0) return NOT_HOLDING;
      const destination = input.order?.destinationCountry ?? null;
      const barred = protectedCountries.filter(
        (entry) => destination === null || entry.country === null || entry.country === destination,
      );
      return {
        holds: barred.length > 0,
        evidence: [...barred.flatMap((entry) => entry.evidence), ...(input.order?.evidence ?? [])],
      };
    },
  },
];

/**
 * Every gate, in the order explanations list them: each blocker of DOMAIN.md §1.9, then the gates
 * the policy package adds. A blocker gate holds when the status carries that blocker: the
 * lifecycle decides which hold (the policy-dependent protections, deferred action and T/U/VAWA/SIJ,
 * unless its rules leave one to the published policy, which then reads it as a fact).
 */
export const GATES: readonly GateDefinition[] = [...BLOCKER_CODES.map(blockerGate), ...ADDED_GATES];

/** GATES begins with one gate per blocker code: none of them holds when there are no blockers. */
export const BLOCKER_GATE_COUNT = BLOCKER_CODES.length;

/** The codes of every gate. */
export const GATE_CODES: readonly string[] = GATES.map((definition) => definition.gate);
