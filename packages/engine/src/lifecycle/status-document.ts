import type { StatusAnswer } from "./lifecycle-service.ts";

/**
 * The `passage status --json` document (CLI.md): top-level `person_id` and `actionable`, then
 * `state`, `overlays`, `blockers`, `gates` and `evidence`, plus the facts and timeline behind them.
 */
export function statusDocumentOf(answer: StatusAnswer) {
  const { status, gates } = answer;
  return {
    person_id: answer.personId,
    actionable: answer.actionable,
    as_of: answer.asOf,
    known_at: answer.knownAt,
    state: status.state,
    overlays: status.overlays,
    blockers: status.blockers,
    policy_considerations: status.policyConsiderations,
    gates: { clear: gates.clear, results: gates.results },
    final_order_executable: status.finalOrderExecutable,
    next_change_on: status.nextChangeOn,
    facts: status.facts,
    timeline: status.timeline,
    evidence: status.evidence,
  };
}
