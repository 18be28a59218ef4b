import { PersonStatusChanged } from "@passage/core";
import {
  type ActionableCase,
  admitCase,
  buildWorklist,
  type Policy,
  type Worklist,
  type WorklistCandidate,
} from "@passage/policy";
import {
  deleteWorklistEntries,
  findActionableStatusPage,
  findListedPersonIds,
  findStoredStatuses,
  type SqlExecutor,
  upsertWorklistEntries,
  type WorklistEntryRow,
} from "@passage/store";
import type { EventHandler } from "../consumers/event-handler.ts";
import type { PolicyVersions } from "./policy-versions.ts";
import { worklistCandidatesOf } from "./worklist-candidates.ts";

/** The name (and offset) of the worklist projection handler. */
export const WORKLIST_HANDLER_NAME = "worklist";

/** Persons evaluated per page in rebuilds and on-the-fly rankings. */
export const WORKLIST_PAGE_SIZE = 1000;

/** What one evaluation wrote. */
export interface WorklistUpdate {
  /** Persons whose entry was written (actionable and gate-clear). */
  readonly listed: number;
  /** Persons removed or kept off (not actionable, gated, or gone). */
  readonly unlisted: number;
}

/** The worklist projection: evaluation of persons, the outbox handler and rebuild. */
export interface WorklistProjection {
  /** Re-evaluates these persons with the active policy inside the caller's transaction. */
  evaluatePersons(executor: SqlExecutor, personIds: readonly string[]): Promise<WorklistUpdate>;
  /**
   * Admits and ranks given candidates with the active policy and stores the result: the gate-clear
   * ones are listed, every other person of `personIds` (default: the candidates) is unlisted. The
   * path every evaluation takes; exposed for callers that hold candidates already (tests, imports).
   */
  evaluateCandidates(
    executor: SqlExecutor,
    candidates: readonly WorklistCandidate[],
    personIds?: readonly string[],
  ): Promise<WorklistUpdate>;
  /**
   * Evaluates every actionable person again and removes every other entry (inside the caller's
   * transaction): the worklist a fresh projection would hold, each change recorded in the history.
   */
  rebuild(executor: SqlExecutor, onProgress?: (persons: number) => void): Promise<WorklistUpdate>;
  /**
   * Evaluates every actionable person with `policy` page by page (person-id order), storing
   * nothing; each page also carries the cases the gates admitted (for dry runs).
   */
  rank(
    executor: SqlExecutor,
    policy: Policy,
    onPage: (page: RankedPage) => Promise<void> | void,
  ): Promise<void>;
  /**
   * The gate-clear cases of every actionable person, page by page (person-id order), as
   * `admitCase` admits them, ranked by no policy (for dry runs, which evaluate two themselves).
   */
  admitted(
    executor: SqlExecutor,
    onPage: (admitted: readonly ActionableCase[]) => Promise<void> | void,
  ): Promise<void>;
  /** The outbox handler: PersonStatusChanged -> re-evaluate those persons. */
  readonly handler: EventHandler;
}

/** One page of an on-the-fly ranking. */
export interface RankedPage {
  readonly worklist: Worklist;
  /** The gate-clear cases of the page, as `admitCase` admitted them. */
  readonly admitted: readonly ActionableCase[];
}

/** The gated cases' explanations by person (kept with a `gated` removal in the history). */
function gatedOf(worklist: Worklist): Map<string, unknown> {
  return new Map(worklist.gated.map((explanation) => [explanation.personId, explanation]));
}

/**
 * Why these listed persons leave, for those whose stored status is not actionable (not candidates,
 * so not gated by the ranking itself): the gates evaluated again on the stored status, as every
 * candidate's are. A status stops being actionable when a gate holds (docs/lifecycle-semantics.md
 * §8: a stay, an unconfirmed identity, no executable order any more, as after a verified
 * departure), so the removal is `gated` with the gates that held, not `not_actionable`. Only the
 * persons that are listed now are read (those that will leave); the others leave nothing behind.
 */
async function gatedOnLeaving(
  executor: SqlExecutor,
  policy: Policy,
  personIds: readonly string[],
  gated: Map<string, unknown>,
): Promise<Map<string, unknown>> {
  const leaving = await findListedPersonIds(
    executor,
    personIds.filter((personId) => !gated.has(personId)),
  );
  if (leaving.length === 0) return gated;
  const statuses = [...(await findStoredStatuses(executor, leaving)).values()];
  const evaluated = buildWorklist(await worklistCandidatesOf(executor, statuses), policy);
  return new Map([...gated, ...gatedOf(evaluated)]);
}

/** The stored row of an explained worklist entry. */
export function worklistRowOf(entry: Worklist["entries"][number]): WorklistEntryRow {
  return {
    personId: entry.personId,
    tier: entry.tier,
    tierLabel: entry.tierLabel,
    tierKind: entry.evaluation.tierKind,
    score: entry.score,
    orderFinalDate: entry.orderFinalDate,
    asOf: entry.explanation.asOf,
    policyId: entry.explanation.policy.id,
    policyVersion: entry.explanation.policy.version,
    policyDigest: entry.explanation.policy.digest,
    explanation: entry.explanation,
  };
}

/**
 * Builds the worklist projection over the lifecycle projection (`person_status`). Gates first,
 * through the policy package's `buildWorklist` (which admits each case with `admitCase` and
 * ranks only what it admitted): a person whose stored status is not actionable, or whose gates
 * hold when re-evaluated, leaves the worklist; the policy only sets the tier of the rest.
 */
export function createWorklistProjection(options: { policies: PolicyVersions }): WorklistProjection {
  const { policies } = options;

  async function evaluatePersons(
    executor: SqlExecutor,
    personIds: readonly string[],
  ): Promise<WorklistUpdate> {
    const unique = [...new Set(personIds)].sort();
    if (unique.length === 0) return { listed: 0, unlisted: 0 };
    const actionable = [...(await findStoredStatuses(executor, unique, { onlyActionable: true })).values()];
    return evaluateCandidates(executor, await worklistCandidatesOf(executor, actionable), unique);
  }

  async function evaluateCandidates(
    executor: SqlExecutor,
    candidates: readonly WorklistCandidate[],
    personIds: readonly string[] = candidates.map((candidate) => candidate.gateInput.personId),
  ): Promise<WorklistUpdate> {
    const { policy } = await policies.ensureActive(executor);
    const worklist = buildWorklist(candidates, policy);
    const listed = new Set(worklist.entries.map((entry) => entry.personId));
    await upsertWorklistEntries(executor, worklist.entries.map(worklistRowOf));
    const unlisted = [...new Set(personIds)].filter((personId) => !listed.has(personId));
    const gated = await gatedOnLeaving(executor, policy, unlisted, gatedOf(worklist));
    await deleteWorklistEntries(executor, { personIds: unlisted }, worklist.policy, gated);
    return { listed: listed.size, unlisted: unlisted.length };
  }

  async function forEachCandidatePage(
    executor: SqlExecutor,
    onPage: (
      candidates: readonly WorklistCandidate[],
      admitted: readonly ActionableCase[],
      through: string,
    ) => Promise<void>,
  ): Promise<void> {
    let after = "";
    for (;;) {
      const page = await findActionableStatusPage(executor, after, WORKLIST_PAGE_SIZE);
      if (page.length === 0) return;
      after = page[page.length - 1]!.personId;
      const candidates = await worklistCandidatesOf(executor, page);
      const admitted: ActionableCase[] = [];
      for (const candidate of candidates) {
        const admission = admitCase(candidate.gateInput, candidate.caseFacts);
        if (admission.actionable) admitted.push(admission.case);
      }
      await onPage(candidates, admitted, after);
    }
  }

  /** Each page ranked by `policy`, with the last person id of the page's status range (`through`). */
  function forEachActionablePage(
    executor: SqlExecutor,
    policy: Policy,
    onPage: (page: RankedPage, through: string) => Promise<void> | void,
  ): Promise<void> {
    return forEachCandidatePage(executor, async (candidates, admitted, through) => {
      await onPage({ worklist: buildWorklist(candidates, policy), admitted }, through);
    });
  }

  return {
    evaluatePersons,
    evaluateCandidates,
    // Not emptied first: each page's entries are upserted over the stored ones (the history gets a
    // row only for those whose content changes), and the stored entries of the page's person-id
    // range that it did not list are removed (history: why), then those after the last page.
    async rebuild(executor, onProgress) {
      const { policy } = await policies.ensureActive(executor);
      const reference = {
        id: policy.definition.id,
        version: policy.definition.version,
        digest: policy.digest,
      };
      let listed = 0;
      let unlisted = 0;
      let after = "";
      await forEachActionablePage(executor, policy, async ({ worklist }, through) => {
        await upsertWorklistEntries(executor, worklist.entries.map(worklistRowOf));
        const keep = worklist.entries.map((entry) => entry.personId);
        const leaving = await findListedPersonIds(executor, { after, through, keep });
        const gated = await gatedOnLeaving(executor, policy, leaving, gatedOf(worklist));
        await deleteWorklistEntries(executor, { after, through, keep }, reference, gated);
        after = through;
        listed += worklist.entries.length;
        unlisted += worklist.gated.length;
        onProgress?.(listed + unlisted);
      });
      const rest = { after, through: null, keep: [] };
      const leaving = await findListedPersonIds(executor, rest);
      await deleteWorklistEntries(
        executor,
        rest,
        reference,
        await gatedOnLeaving(executor, policy, leaving, new Map()),
      );
      return { listed, unlisted };
    },
    rank: forEachActionablePage,
    admitted: (executor, onPage) =>
      forEachCandidatePage(executor, async (_candidates, admitted) => {
        await onPage(admitted);
      }),
    handler: {
      name: WORKLIST_HANDLER_NAME,
      eventTypes: [PersonStatusChanged.name],
      async apply(transaction, event) {
        await this.applyBatch!(transaction, [event]);
      },
      async applyBatch(transaction, events) {
        const personIds = events.map((event) => PersonStatusChanged.parseOrThrow(event.payload).personId);
        await evaluatePersons(transaction, personIds);
      },
    },
  };
}
