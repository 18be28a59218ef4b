import type { PersonStatus } from "@passage/core";
import type { StoredGateEvaluation, WorklistCandidate } from "@passage/policy";
import { findRecordsOfPersons, type SqlExecutor, type StoredStatus } from "@passage/store";
import {
  CONFIRMED_IDENTITY,
  caseFactsOf,
  gateInputOf,
  type IdentityFacts,
} from "../lifecycle/policy-inputs.ts";

const IDENTITY_GATE = "IDENTITY_NOT_CONFIRMED";

/**
 * The identity facts the lifecycle projection evaluated a stored status with, as far as the
 * gates are concerned. The projection stores the gate evaluation, not linkage's identity facts,
 * so: a stored evaluation whose identity gate did not hold (or is left out: the stored form keeps
 * only gates that hold or cite something) was made with confirmed identity; one whose identity
 * gate held rests on an unconfirmed link, whose records the gate cited; no stored evaluation at
 * all fails closed. Re-evaluating the gates on this input gives the stored verdict.
 */
export function identityOfStoredGates(gates: unknown): IdentityFacts {
  const results = (gates as Partial<StoredGateEvaluation> | null)?.results;
  const identity = Array.isArray(results)
    ? results.find((result) => result?.gate === IDENTITY_GATE)
    : undefined;
  // The stored evaluation leaves out the gates that neither hold nor cite anything.
  if (Array.isArray(results) && (identity === undefined || identity.holds === false))
    return CONFIRMED_IDENTITY;
  return {
    // The match probability is not stored with the status; 0 marks it as unknown here.
    reviewBandLinks: [{ matchProbability: 0, evidence: identity?.evidence ?? [] }],
    conflictingIdentifiers: [],
    unlinkedRecords: [],
    outdatedMustLinks: [],
  };
}

/** What the gates read for a stored status (the fresh gate input of a person). */
export function gateInputOfStored(stored: StoredStatus): WorklistCandidate["gateInput"] {
  return gateInputOf(stored.personId, stored.status as PersonStatus, identityOfStoredGates(stored.gates));
}

/**
 * Gate inputs and allowlisted case facts of stored statuses, reading the persons' records in one
 * query. Every stored status becomes a candidate; the gates (through `admitCase`) decide.
 */
export async function worklistCandidatesOf(
  executor: SqlExecutor,
  statuses: readonly StoredStatus[],
): Promise<WorklistCandidate[]> {
  if (statuses.length === 0) return [];
  const records = await findRecordsOfPersons(
    executor,
    statuses.map((stored) => stored.personId),
  );
  return statuses.map((stored) => ({
    gateInput: gateInputOfStored(stored),
    caseFacts: caseFactsOf(
      stored.personId,
      stored.status as PersonStatus,
      records.get(stored.personId) ?? [],
    ),
  }));
}
