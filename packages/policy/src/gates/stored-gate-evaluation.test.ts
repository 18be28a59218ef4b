import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryGateInput } from "../testing/arbitrary-cases.ts";
import { evaluateGates } from "./evaluate-gates.ts";
import { GATES } from "./gate-definitions.ts";
import { compactGateEvaluation, expandGateEvaluation } from "./stored-gate-evaluation.ts";

describe("the stored gate evaluation", () => {
  it("gives back exactly the evaluation it was made from", () => {
    fc.assert(
      fc.property(arbitraryGateInput("person-1"), (input) => {
        const evaluation = evaluateGates(input);
        const stored = JSON.parse(JSON.stringify(compactGateEvaluation(evaluation)));
        expect(expandGateEvaluation(stored)).toEqual(JSON.parse(JSON.stringify(evaluation)));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps only the gates that hold or cite something, without the gates' fixed texts", () => {
    fc.assert(
      fc.property(arbitraryGateInput("person-1"), (input) => {
        const evaluation = evaluateGates(input);
        const stored = compactGateEvaluation(evaluation);
        expect(stored.results.map((result) => result.gate)).toEqual(
          evaluation.results
            .filter((result) => result.holds || result.evidence.length > 0)
            .map((result) => result.gate),
        );
        for (const result of stored.results)
          expect(Object.keys(result).sort()).toEqual(["evidence", "gate", "holds"]);
      }),
      { numRuns: 100 },
    );
  });

  it("reads an evaluation stored in full, and keeps a stored gate that is no longer defined", () => {
    const full = evaluateGates({
      personId: "person-2",
      asOf: "2025-06-01",
      status: { primaryState: "FINAL_ORDER", evidence: [] },
      blockers: [],
      identity: {
        reviewBandLinks: [],
        conflictingIdentifiers: [],
        unlinkedRecords: [],
        outdatedMustLinks: [],
      },
      order: null,
      withholdingCountries: [],
    });
    expect(expandGateEvaluation(full)).toEqual(full);
    const retired = { gate: "RETIRED_GATE", holds: true, evidence: [] };
    const expanded = expandGateEvaluation({ ...full, results: [...full.results, retired] });
    expect(expanded.results).toHaveLength(GATES.length + 1);
    expect(expanded.results.at(-1)).toEqual({ ...retired, description: "RETIRED_GATE", basis: "" });
  });
});
