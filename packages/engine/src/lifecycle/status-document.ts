import type { AccessResource } from "@passage/access";
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

/**
 * The access resource of a status: confidentiality flags from the overlays the records give
 * (8 CFR 208.6 asylum, 8 U.S.C. 1367). No feed says which office a case belongs to or who is
 * assigned to it, so office and assignees stay empty — office-scoped roles then see it only by
 * assignment (packages/access/README.md).
 */
export function statusResourceOf(answer: Pick<StatusAnswer, "personId" | "status">): AccessResource {
  const overlays = new Set(answer.status.overlays.map((overlay) => overlay.overlay));
  return {
    type: "Status",
    id: answer.personId,
    attributes: {
      office: "",
      assignees: [],
      confidentiality: [
        ...(overlays.has("CONFIDENTIAL_ASYLUM") ? (["asylum"] as const) : []),
        ...(overlays.has("CONFIDENTIAL_1367") ? (["vawa1367"] as const) : []),
      ],
    },
  };
}
