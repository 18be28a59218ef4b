import type { GateInput } from "../gate-input.ts";
import { PolicyErrors } from "../policy-errors.ts";
import { BLOCKER_GATE_COUNT, GATES, type GateResult, indexBlockers } from "./gate-definitions.ts";

/** Every gate considered for one person, and whether the case is clear of all of them. */
export interface GateEvaluation {
  readonly personId: string;
  readonly asOf: string;
  /** True only when no gate holds. */
  readonly clear: boolean;
  /** Every gate considered, holding or not, in GATES order. */
  readonly results: readonly GateResult[];
}

/** Each gate's result when it does not hold and cites nothing (frozen: shared by every evaluation). */
const CLEAR_RESULTS: readonly GateResult[] = GATES.map((definition) =>
  Object.freeze({
    gate: definition.gate,
    holds: false,
    description: definition.description,
    basis: definition.basis,
    evidence: Object.freeze([]),
  }),
);

/**
 * Evaluates every due-process gate. Pure and total: a malformed input is refused (fail closed),
 * never read as "nothing holds".
 */
export function evaluateGates(input: GateInput): GateEvaluation {
  assertGateInputOrThrow(input);
  const blockers = indexBlockers(input);
  const results: GateResult[] = new Array(GATES.length);
  let clear = true;
  // Most people have no blocker at all: the blocker gates' results are then the shared ones.
  const first = blockers.size === 0 ? BLOCKER_GATE_COUNT : 0;
  for (let index = 0; index < first; index++) results[index] = CLEAR_RESULTS[index]!;
  for (let index = first; index < GATES.length; index++) {
    const definition = GATES[index]!;
    const { holds, evidence } = definition.evaluate(input, blockers);
    if (holds) clear = false;
    // Most gates neither hold nor cite a record: their result is the same for every case, made once.
    results[index] =
      !holds && evidence.length === 0
        ? CLEAR_RESULTS[index]!
        : {
            gate: definition.gate,
            holds,
            description: definition.description,
            basis: definition.basis,
            evidence,
          };
  }
  return { personId: input.personId, asOf: input.asOf, clear, results };
}

/** The gates that hold, for messages and strike reasons. */
export function holdingGates(evaluation: GateEvaluation): readonly GateResult[] {
  return evaluation.results.filter((result) => result.holds);
}

// `refuse` is a module-level function, not a closure made on every call: under tsx (esbuild's
// keepNames) each named closure costs an Object.defineProperty of its name.
function assertGateInputOrThrow(input: GateInput): void {
  if (typeof input?.personId !== "string" || input.personId === "") refuse(input, "personId is missing");
  if (typeof input.status?.primaryState !== "string") refuse(input, "status.primaryState is missing");
  if (input.status.orderState !== undefined && typeof input.status.orderState !== "string") {
    refuse(input, "status.orderState must be a state name when given");
  }
  if (!Array.isArray(input.status.evidence)) refuse(input, "status.evidence must be a list");
  if (input.status.orderEvidence !== undefined && !Array.isArray(input.status.orderEvidence)) {
    refuse(input, "status.orderEvidence must be a list when given");
  }
  if (!Array.isArray(input.blockers)) refuse(input, "blockers must be a list (empty when none)");
  for (const blocker of input.blockers) {
    if (typeof blocker?.code !== "string") refuse(input, "a blocker has no code");
    if (blocker.binding !== "law" && blocker.binding !== "policy") {
      refuse(input, `blocker ${blocker.code} has binding ${String(blocker.binding)}, expected law or policy`);
    }
    if (!Array.isArray(blocker.evidence)) refuse(input, `blocker ${blocker.code} has no evidence list`);
  }
  if (!Array.isArray(input.identity?.reviewBandLinks))
    refuse(input, "identity.reviewBandLinks must be a list");
  if (!Array.isArray(input.identity.conflictingIdentifiers)) {
    refuse(input, "identity.conflictingIdentifiers must be a list");
  }
  if (!Array.isArray(input.identity.unlinkedRecords)) {
    refuse(input, "identity.unlinkedRecords must be a list");
  }
  if (!Array.isArray(input.identity.outdatedMustLinks)) {
    refuse(input, "identity.outdatedMustLinks must be a list");
  }
  if (input.order === undefined) refuse(input, "order must be given (null when there is none)");
  if (!Array.isArray(input.withholdingCountries)) refuse(input, "withholdingCountries must be a list");
}

function refuse(input: GateInput, what: string): never {
  const personId = typeof input?.personId === "string" ? input.personId : "(unknown)";
  throw PolicyErrors.invalidGateInput.create(personId, what);
}
