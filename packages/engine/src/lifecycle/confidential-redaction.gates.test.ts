import { BLOCKERS } from "@passage/core";
import { evaluateGates, GATE_CODES, GATES, type GateInput } from "@passage/policy";
import { describe, expect, it } from "vitest";
import { GATES_NAMING_NO_MATTER, withoutConfidentialMatters } from "./confidential-redaction.ts";

const ASYLUM = { feed: "benefit", recordKey: "EAC1|filed", version: 1 };
const FLAGGED = new Set(["benefit:EAC1|filed"]);

/** A case in which everything every gate can rest on is the confidential record. */
const everythingConfidential: GateInput = {
  personId: "P1",
  asOf: "2026-11-23",
  status: { primaryState: "BENEFIT_PENDING", evidence: [ASYLUM] },
  // Every blocker this version knows, and one it does not (UNRECOGNISED_LEGAL_BLOCKER).
  blockers: [...Object.keys(BLOCKERS), "A_BLOCKER_NOT_KNOWN_YET"].map((code) => ({
    code,
    binding: "law",
    evidence: [ASYLUM],
  })),
  identity: {
    reviewBandLinks: [{ matchProbability: 0.8, evidence: [ASYLUM] }],
    conflictingIdentifiers: [{ identifier: "A-number", evidence: [ASYLUM] }],
    unlinkedRecords: [{ record: "benefit:ZLA0000000001", evidence: [ASYLUM] }],
    outdatedMustLinks: [{ decisionId: "1", record: "benefit:ZLA0000000001", evidence: [ASYLUM] }],
  },
  order: { inAbsentia: true, noticeServed: "N", destinationCountry: null, evidence: [ASYLUM] },
  claimedDeparture: { date: "2026-01-01", evidence: [ASYLUM] },
  withholdingCountries: [{ country: null, evidence: [ASYLUM] }],
} as unknown as GateInput;

describe("withoutConfidentialMatters: every gate that can rest on a confidential matter", () => {
  const evaluation = evaluateGates(everythingConfidential);
  const restingOnIt = evaluation.results.filter((result) =>
    result.evidence.some((c) => c.recordKey === "EAC1|filed"),
  );

  it("is every gate the policy defines (the case above reaches each)", () => {
    expect(restingOnIt.map((result) => result.gate).sort()).toEqual([...GATE_CODES].sort());
  });

  it.each(GATES.map((definition) => [definition.gate, definition] as const))(
    "%s is withheld for a reader without the need, or names no matter",
    (gate, definition) => {
      const result = evaluation.results.find((candidate) => candidate.gate === gate)!;
      const shown = withoutConfidentialMatters(
        { gates: { clear: false, results: [result] }, gatesHolding: { holding: [gate] } },
        FLAGGED,
      );
      const text = JSON.stringify(shown.gates);
      if (GATES_NAMING_NO_MATTER.has(gate)) {
        expect(shown.gates.results[0]).toMatchObject({ gate, evidence: [] });
      } else {
        expect(text).not.toContain(gate);
        expect(text).not.toContain(definition.description);
        expect(text).not.toContain(definition.basis);
      }
    },
  );

  it("withholds WITHHOLDING_COUNTRY_DESTINATION and its words in a status and a person view alike", () => {
    const result = evaluation.results.find(
      (candidate) => candidate.gate === "WITHHOLDING_COUNTRY_DESTINATION",
    )!;
    const view = {
      gates: {
        holding: ["WITHHOLDING_COUNTRY_DESTINATION"],
        evaluation: { clear: false, results: [result] },
      },
    };
    const text = JSON.stringify(withoutConfidentialMatters(view, FLAGGED));
    expect(text).not.toMatch(/WITHHOLDING|Withholding or CAT|1208\.16/);
    expect(withoutConfidentialMatters(view, FLAGGED).gates.holding).toEqual(["withheld-1"]);
  });

  it("withholds a holding gate whose evidence the document does not give, unless it names no matter", () => {
    const view = {
      gates: { holding: ["WITHHOLDING_COUNTRY_DESTINATION", "NO_EXECUTABLE_ORDER"], evaluation: null },
    };
    expect(withoutConfidentialMatters(view, FLAGGED).gates.holding).toEqual([
      "withheld-1",
      "NO_EXECUTABLE_ORDER",
    ]);
  });

  it("names no matter only with gates the policy defines", () => {
    for (const gate of GATES_NAMING_NO_MATTER) expect(GATE_CODES).toContain(gate);
  });
});
