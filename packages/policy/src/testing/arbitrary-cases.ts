import { BLOCKER_CODES, BLOCKERS, type RecordCitation } from "@passage/core";
import fc from "fast-check";
import {
  BENEFIT_FACT_STATUSES,
  type CaseFacts,
  ENCOUNTER_TYPES,
  ENTRY_KINDS,
  ORDER_TYPES,
} from "../case-facts.ts";
import type { GateInput } from "../gate-input.ts";

/** Test support: fast-check arbitraries for case facts and gate inputs. */

const EPOCH = Date.parse("1990-01-01T00:00:00Z");

/** A date between 1990-01-01 and 2025-12-31. */
export const arbitraryDate = fc
  .integer({ min: 0, max: 13_148 })
  .map((days) => new Date(EPOCH + days * 86_400_000).toISOString().slice(0, 10));

const citations = (feed: RecordCitation["feed"]) =>
  fc.array(
    fc.record({
      feed: fc.constant(feed),
      recordKey: fc.stringMatching(/^[A-Z0-9]{4,8}$/),
      version: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 2 },
  );

const OFFENSE_CODE_CHOICES = [
  "HOMICIDE",
  "SEX_ASSAULT",
  "ROBBERY",
  "AGG_ASSAULT",
  "BURGLARY",
  "THEFT",
  "FRAUD",
  "DRUG_TRAFFICKING",
  "DRUG_POSSESSION",
  "WEAPONS",
  "DUI",
  "IMMIGRATION",
  "TRAFFIC",
  "OTHER",
  "NOT_ON_LIST",
];

/** Random case facts for one person. Built once: constructing arbitraries is costly. */
export function arbitraryCaseFacts(personId: string): fc.Arbitrary<CaseFacts> {
  return caseFactsArbitrary.map((facts) => ({ ...facts, personId }));
}

const caseFactsArbitrary: fc.Arbitrary<CaseFacts> = buildCaseFactsArbitrary("p");

function buildCaseFactsArbitrary(personId: string): fc.Arbitrary<CaseFacts> {
  return fc.record({
    personId: fc.constant(personId),
    asOf: fc.constantFrom("2025-06-01", "2023-01-15"),
    order: fc.option(
      fc.record({
        type: fc.constantFrom(...ORDER_TYPES),
        date: arbitraryDate,
        final: fc.boolean(),
        finalDate: fc.option(arbitraryDate, { nil: null }),
        inAbsentia: fc.boolean(),
        evidence: citations("court"),
      }),
      { nil: null },
    ),
    voluntaryDeparture: fc.option(
      fc.record({
        deadline: fc.option(arbitraryDate, { nil: null }),
        failedToDepart: fc.boolean(),
        evidence: citations("court"),
      }),
      { nil: null },
    ),
    convictions: fc.array(
      fc.record({
        offenseCode: fc.constantFrom(...OFFENSE_CODE_CHOICES),
        offenseLevel: fc.constantFrom("felony" as const, "misdemeanor" as const, "infraction" as const),
        aggravatedFelony: fc.boolean(),
        disposition: fc.constantFrom(
          "convicted" as const,
          "convicted" as const,
          "vacated" as const,
          "expunged" as const,
        ),
        date: arbitraryDate,
        sentenceDays: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
        evidence: citations("conviction"),
      }),
      { maxLength: 4 },
    ),
    entry: fc.option(
      fc.record({
        kind: fc.constantFrom(...ENTRY_KINDS),
        date: fc.option(arbitraryDate, { nil: null }),
        reentryAfterRemoval: fc.boolean(),
        evidence: citations("admission"),
      }),
      { nil: null },
    ),
    encounters: fc.array(
      fc.record({
        type: fc.constantFrom(...ENCOUNTER_TYPES),
        date: arbitraryDate,
        evidence: citations("encounter"),
      }),
      { maxLength: 3 },
    ),
    dateOfBirth: fc.option(fc.record({ date: arbitraryDate, evidence: citations("admission") }), {
      nil: null,
    }),
    benefits: fc.array(
      fc.record({
        type: fc.constantFrom(
          "ASYLUM",
          "ADJUSTMENT",
          "TPS",
          "DACA",
          "U_VISA",
          "U_STATUS",
          "T_STATUS",
          "PAROLE",
        ),
        status: fc.constantFrom(...BENEFIT_FACT_STATUSES),
        evidence: citations("benefit"),
      }),
      { maxLength: 3 },
    ),
    stays: fc.array(fc.record({ status: fc.constant("ended" as const), evidence: citations("court") }), {
      maxLength: 1,
    }),
    claimedDeparture: fc.option(fc.record({ date: arbitraryDate, evidence: citations("departure") }), {
      nil: null,
    }),
    policyBlockers: fc.array(
      fc.record({
        code: fc.constantFrom("VICTIM_PROTECTION", "DEFERRED_ACTION"),
        evidence: citations("benefit"),
      }),
      { maxLength: 2 },
    ),
    nationalSecurityConcern: fc.option(fc.record({ evidence: citations("court") }), { nil: null, freq: 8 }),
  });
}

/**
 * Random gate input for one person. About half the draws are clear of every gate; the rest carry
 * one or more reasons a gate holds, of every kind.
 */
export function arbitraryGateInput(personId: string): fc.Arbitrary<GateInput> {
  return gateInputArbitrary.map((input) => ({
    ...input,
    personId,
    status: {
      ...input.status,
      evidence: [{ feed: "court" as const, recordKey: `C-${personId}`, version: 1 }],
    },
  }));
}

const gateInputArbitrary: fc.Arbitrary<GateInput> = buildGateInputArbitrary("p");

/** Candidates for a worklist: distinct persons, each with gate input and facts. */
export function arbitraryCandidates(maxLength: number) {
  return fc
    .array(fc.record({ gateInput: gateInputArbitrary, caseFacts: caseFactsArbitrary }), {
      minLength: 1,
      maxLength,
    })
    .map((candidates) =>
      candidates.map(({ gateInput, caseFacts }, index) => ({
        gateInput: { ...gateInput, personId: `p${index}` },
        caseFacts: { ...caseFacts, personId: `p${index}` },
      })),
    );
}

function buildGateInputArbitrary(personId: string): fc.Arbitrary<GateInput> {
  const clearBase = {
    personId,
    asOf: "2025-06-01",
    status: {
      primaryState: "FINAL_ORDER",
      evidence: [{ feed: "court" as const, recordKey: `C-${personId}`, version: 1 }],
    },
    blockers: [] as GateInput["blockers"],
    identity: { reviewBandLinks: [], conflictingIdentifiers: [], unlinkedRecords: [], outdatedMustLinks: [] },
    order: { inAbsentia: false, noticeServed: "Y" as const, destinationCountry: "GTM", evidence: [] },
    withholdingCountries: [] as GateInput["withholdingCountries"],
  } satisfies GateInput;
  const evidence = citations("court");
  const reason: fc.Arbitrary<(input: GateInput) => GateInput> = fc.oneof(
    fc.record({ code: fc.constantFrom(...BLOCKER_CODES), evidence }).map((blocker) => (input: GateInput) => ({
      ...input,
      blockers: [...input.blockers, { ...blocker, binding: BLOCKERS[blocker.code].binding }],
    })),
    fc.record({ code: fc.constant("SOME_NEW_LEGAL_BAR"), evidence }).map((blocker) => (input: GateInput) => ({
      ...input,
      blockers: [...input.blockers, { ...blocker, binding: "law" as const }],
    })),
    fc
      .constantFrom("APPEAL_WINDOW", "BIA_PENDING", "IN_PROCEEDINGS", "VD_PERIOD", "DEPARTED", "USC")
      .map((primaryState) => (input: GateInput) => ({ ...input, status: { ...input.status, primaryState } })),
    evidence.map((links) => (input: GateInput) => ({
      ...input,
      identity: { ...input.identity, reviewBandLinks: [{ matchProbability: 0.6, evidence: links }] },
    })),
    evidence.map((links) => (input: GateInput) => ({
      ...input,
      identity: { ...input.identity, conflictingIdentifiers: [{ identifier: "a_number", evidence: links }] },
    })),
    evidence.map((links) => (input: GateInput) => ({
      ...input,
      identity: { ...input.identity, unlinkedRecords: [{ record: "court:CE-UNLINKED", evidence: links }] },
    })),
    evidence.map((links) => (input: GateInput) => ({
      ...input,
      identity: {
        ...input.identity,
        outdatedMustLinks: [{ decisionId: "1", record: "court:CE-OUTDATED", evidence: links }],
      },
    })),
    fc.constantFrom("N" as const, "U" as const, null).map((noticeServed) => (input: GateInput) => ({
      ...input,
      order: { inAbsentia: true, noticeServed, destinationCountry: "GTM", evidence: [] },
    })),
    fc.constantFrom("GTM", null).map((destination) => (input: GateInput) => ({
      ...input,
      order: { ...input.order!, destinationCountry: destination },
      withholdingCountries: [{ country: "GTM", evidence: [] }],
    })),
    // A claimed departure over a case whose order is not executable (the order's state gates it).
    fc
      .constantFrom("APPEAL_WINDOW", "BIA_PENDING", "IN_PROCEEDINGS")
      .map((orderState) => (input: GateInput) => ({
        ...input,
        status: { ...input.status, primaryState: "DEPARTED", orderState },
      })),
  );
  return fc
    .array(reason, { maxLength: 3 })
    .map((reasons) => reasons.reduce((input, apply) => apply(input), clearBase as GateInput));
}
