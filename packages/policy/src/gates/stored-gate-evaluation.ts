import type { RecordCitation } from "@passage/core";
import type { GateEvaluation } from "./evaluate-gates.ts";
import { GATES, type GateResult } from "./gate-definitions.ts";

/** A gate result as stored with a status: what is particular to the person, not the gate's fixed texts. */
export interface StoredGateResult {
  readonly gate: string;
  readonly holds: boolean;
  readonly evidence: readonly RecordCitation[];
}

/**
 * A gate evaluation as the lifecycle projection stores it: only the gates that hold or cite
 * something (most do neither), without each gate's description and legal basis, which are the
 * same for every person and come back from GATES on reading. It was half of every status row.
 */
export interface StoredGateEvaluation {
  readonly personId: string;
  readonly asOf: string;
  readonly clear: boolean;
  readonly results: readonly StoredGateResult[];
}

/** The stored form of an evaluation (`expandGateEvaluation` gives the evaluation back, equal). */
export function compactGateEvaluation(evaluation: GateEvaluation): StoredGateEvaluation {
  const results: StoredGateResult[] = [];
  for (const result of evaluation.results) {
    if (result.holds || result.evidence.length > 0) {
      results.push({ gate: result.gate, holds: result.holds, evidence: result.evidence });
    }
  }
  return { personId: evaluation.personId, asOf: evaluation.asOf, clear: evaluation.clear, results };
}

/**
 * The full evaluation of a stored one: every gate in GATES order, with its description and basis;
 * a gate the stored form leaves out did not hold and cited nothing. Reads a full evaluation (as
 * stored before the compact form) too, and keeps a stored gate GATES no longer names.
 */
export function expandGateEvaluation(stored: StoredGateEvaluation | GateEvaluation): GateEvaluation {
  const byGate = new Map<string, StoredGateResult>();
  for (const result of stored.results) byGate.set(result.gate, result);
  const results: GateResult[] = GATES.map((definition) => {
    const result = byGate.get(definition.gate);
    byGate.delete(definition.gate);
    return {
      gate: definition.gate,
      holds: result?.holds ?? false,
      description: definition.description,
      basis: definition.basis,
      evidence: result?.evidence ?? [],
    };
  });
  for (const result of byGate.values()) {
    const full = result as Partial<GateResult> & StoredGateResult;
    results.push({
      gate: full.gate,
      holds: full.holds,
      description: full.description ?? full.gate,
      basis: full.basis ?? "",
      evidence: full.evidence,
    });
  }
  return { personId: stored.personId, asOf: stored.asOf, clear: stored.clear, results };
}
