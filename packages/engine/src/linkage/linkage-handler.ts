import { RecordsCorrected, RecordsIngested } from "@passage/core";
import { appendOutboxEvents, findKeysOfStoredRecords, findLinkageState, lockLinkage } from "@passage/store";
import type { EventHandler, OutboxEvent } from "../consumers/event-handler.ts";
import type { ModelCache } from "./active-model.ts";
import { personsChangedEvents, refreshIdentityIssues } from "./identity-issues.ts";
import { linkRecords, type RecordLinkChanges } from "./link-records.ts";

/** The name (and offset) of the incremental linkage handler. */
export const LINKAGE_HANDLER_NAME = "linkage";

/**
 * Records linked in one transaction at most (events weigh their records). A batch has a fixed
 * cost (about 30 statements), so under a backlog larger batches apply more a second: departures
 * streamed at 2,000 a second into a 57k-person database (`bench/lifecycle/run.ts`) were applied
 * at 433 and 453 a second with 500, and at 507 with 2,000 against 504 for the code before events
 * named batches (run back to back). It is also how long the linkage lock, which review decisions
 * wait for, can be held: about 1.3 ms of CPU a record, so up to 2-3 s under a backlog.
 */
export const LINKAGE_RECORDS_PER_TRANSACTION = 2_000;

/** Called after each applied batch (benchmarks, metrics): what it linked. */
export type LinkageBatchObserver = (changes: RecordLinkChanges) => void;

/**
 * The incremental linkage handler: every record a RecordsIngested / RecordsCorrected names (a
 * batch's records by their id range) is linked against the maintained blocking index with the
 * active model (attach, create, or send to review), membership, identity issues and the search
 * projection change in the consumer's transaction, and a PersonsChanged names every person
 * touched. An event weighs its record count (at most 500), so a transaction links up to
 * LINKAGE_RECORDS_PER_TRANSACTION records.
 *
 * Safe under partitioning: each batch first takes the linkage lock (a transaction-scoped
 * advisory lock) and only then reads candidates, so two records that should join are never
 * decided by two transactions blind to each other, whichever partitions, runners or processes
 * carry their events; the lock also orders the handler against review decisions, unlinks and the
 * batch. It writes only through its transaction, so a crash (kill -9) rolls back effects and
 * offset together. Until a batch link has trained a model there is nothing to score with: events
 * pass unapplied, and the first batch link covers their records.
 */
export function createLinkageHandler(models: ModelCache, observe?: LinkageBatchObserver): EventHandler {
  return {
    name: LINKAGE_HANDLER_NAME,
    eventTypes: [RecordsIngested.name, RecordsCorrected.name],
    weightOf(event) {
      return parseRecordsStored(event).records;
    },
    weightBudget: LINKAGE_RECORDS_PER_TRANSACTION,
    async apply(transaction, event) {
      await this.applyBatch!(transaction, [event]);
    },
    async applyBatch(transaction, events) {
      await lockLinkage(transaction);
      // Read after the lock (a statement's snapshot is taken when it starts): a batch run that
      // committed while this batch waited for the lock covered these events.
      const state = await findLinkageState(transaction);
      const covered = BigInt(state.snapshotPosition);
      const ranges = events
        .filter((event) => BigInt(event.position) > covered)
        .map((event) => ({
          ...parseRecordsStored(event),
          corrections: event.type === RecordsCorrected.name,
        }));
      const model =
        state.activeModelVersion === undefined
          ? undefined
          : await models.version(transaction, state.activeModelVersion);
      if (!model || ranges.length === 0) return;
      const keys = await findKeysOfStoredRecords(transaction, ranges);
      const changes = await linkRecords(transaction, model, keys);
      await refreshIdentityIssues(transaction, changes.identityChanged);
      await appendOutboxEvents(transaction, [
        ...personsChangedEvents(
          changes.linked,
          changes.retired.map((retired) => retired.personId),
          "record_linked",
        ),
        ...personsChangedEvents(changes.recordChanged, [], "record_changed"),
      ]);
      observe?.(changes);
    },
  };
}

function parseRecordsStored(event: OutboxEvent) {
  return (event.type === RecordsIngested.name ? RecordsIngested : RecordsCorrected).parseOrThrow(
    event.payload,
  );
}
