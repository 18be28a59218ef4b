import { isPassageError } from "@passage/core";
import type { Database } from "@passage/store";
import {
  lockConsumerOffset,
  type OutboxEvent,
  type OutboxFilter,
  type OutboxSlice,
  readOutboxSlice,
  setConsumerOffset,
} from "@passage/store";
import type { Kysely } from "kysely";
import { ConsumerErrors } from "./consumer-errors.ts";
import { ALL_EVENT_TYPES, type EventHandler } from "./event-handler.ts";
import { consumerNameOf, type Partition } from "./partition.ts";
import {
  adoptPartitionLayoutOrThrow,
  LayoutGuardErrors,
  lockHandlerLayoutOrThrow,
} from "./partition-layout-guard.ts";

/** Events applied per transaction by default: large enough for throughput, small enough to keep locks short. */
export const DEFAULT_CONSUMER_BATCH_SIZE = 500;

/** Positions read per transaction at most, whatever the partition count (bounds one statement's work). */
const MAX_SCAN = 20_000;

/** What one committed batch did, for metrics and benchmarks (called after the commit). */
export interface BatchReport {
  readonly consumer: string;
  readonly events: readonly OutboxEvent[];
  /** The offset stored with the batch: the last position read, matching or not. */
  readonly offset: string;
  /** `Date.now()` just after the commit returned. */
  readonly committedAt: number;
}

/** One consumer's state as this process last saw it. */
export interface ConsumerStatus {
  readonly consumer: string;
  readonly handler: string;
  readonly partition: Partition;
  /** The offset last committed or read by this process; undefined before its first transaction. */
  readonly offset: string | undefined;
  /** Events applied by this process since it started. */
  readonly applied: number;
  readonly lastError: { readonly message: string; readonly at: string } | undefined;
}

export interface OutboxConsumerOptions {
  readonly db: Kysely<Database>;
  readonly handler: EventHandler;
  readonly partition: Partition;
  readonly batchSize?: number | undefined;
  readonly onBatch?: ((report: BatchReport) => void) | undefined;
  /** Takes the handler over even from running workers of another layout (a worker does; see partition-layout-guard.ts). */
  readonly takeOver?: boolean | undefined;
}

/** One handler over one partition of the outbox: reads in order, applies, advances its offset. */
export interface OutboxConsumer {
  /** The offset's name, e.g. `lifecycle#3/8`. */
  readonly name: string;
  readonly handler: EventHandler;
  readonly partition: Partition;
  readonly filter: OutboxFilter;
  /**
   * Applies batches until nothing is left (up to `upTo` when given) or `shouldStop` says so;
   * returns the number of events applied. Calls in one process run one after another.
   */
  drain(options?: { upTo?: string | undefined; shouldStop?: () => boolean }): Promise<number>;
  status(): ConsumerStatus;
}

/**
 * Builds the consumer of one handler and partition. Before its first batch it makes its partition
 * layout the handler's recorded one (adopting the previous layout's position, see
 * partition-layout-guard.ts). Each batch is one transaction: share-lock the handler's recorded
 * layout (refusing when another layout has taken over since), lock the offset row, read the next
 * slice after the offset, apply every matching event, store the new offset, commit. A crash anywhere rolls the whole batch back, effects and offset together, so
 * after a restart each event's effect is present exactly once.
 */
export function createOutboxConsumer(options: OutboxConsumerOptions): OutboxConsumer {
  const { db, handler, partition } = options;
  const name = consumerNameOf(handler.name, partition);
  const batchSize = options.batchSize ?? DEFAULT_CONSUMER_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw ConsumerErrors.invalidHandler.create(
      handler.name,
      `batch size must be a positive integer, not ${batchSize}`,
    );
  }
  const filter: OutboxFilter = {
    eventTypes: handler.eventTypes === ALL_EVENT_TYPES ? undefined : handler.eventTypes,
    partition: partition.count === 1 ? undefined : partition,
  };
  const weightBudget = handler.weightBudget ?? batchSize;
  // A handler of few event types reads further per transaction, so it still applies about a batch.
  const scanLimit = Math.min(MAX_SCAN, batchSize * partition.count * (filter.eventTypes ? 4 : 1));
  let offset: string | undefined;
  let applied = 0;
  let lastError: ConsumerStatus["lastError"];
  let layoutChecked = false;
  let queue: Promise<unknown> = Promise.resolve();

  /** One transaction; returns how many events it applied, or undefined when nothing was left. */
  async function applyNextBatch(upTo: string | undefined): Promise<number | undefined> {
    let storedOffset: string | undefined;
    let step = "reading the outbox";
    let result: { events: OutboxEvent[]; offset: string } | undefined;
    try {
      if (!layoutChecked) {
        step = "adopting the handler's partition layout";
        await db
          .transaction()
          .execute((transaction) =>
            adoptPartitionLayoutOrThrow(transaction, handler.name, partition, { takeOver: options.takeOver }),
          );
        layoutChecked = true;
      }
      result = await db.transaction().execute(async (transaction) => {
        // The layout first, then the offset: the order an adoption takes them in.
        step = "checking the handler's partition layout";
        await lockHandlerLayoutOrThrow(transaction, handler.name, partition);
        step = "reading the outbox";
        const stored = await lockConsumerOffset(transaction, name);
        storedOffset = stored;
        if (upTo !== undefined && BigInt(stored) >= BigInt(upTo)) return undefined;
        // Every event weighs at least 1, so no more than the budget's worth can fit: reading more
        // (up to the scan limit) would fetch payloads only to read them again next time.
        const maxEvents = handler.weightOf ? weightBudget : undefined;
        const slice = withinWeight(
          await readOutboxSlice(transaction, { after: stored, scanLimit, upTo, filter, maxEvents }),
          handler,
          weightBudget,
        );
        if (slice.scannedTo === null) return undefined;
        if (handler.applyBatch && slice.events.length > 0) {
          step = `applying the batch of positions ${slice.events[0]!.position} to ${slice.events.at(-1)!.position}`;
          await handler.applyBatch(transaction, slice.events);
        } else {
          for (const event of slice.events) {
            step = `applying ${event.type} at position ${event.position}`;
            await handler.apply(transaction, event);
          }
        }
        step = "storing the offset";
        await setConsumerOffset(transaction, name, slice.scannedTo);
        return { events: slice.events, offset: slice.scannedTo };
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      lastError = { message: reason, at: new Date().toISOString() };
      // Not a handler's failure: the error names the consumer and says what to do.
      if (isPartitionLayoutError(error)) throw error;
      // A handler's refusal the operator must settle (statuses of another derivation or rules,
      // a rebuild running) keeps its own code, and its exit status, for a command that catches up:
      // wrapped, `passage worklist` exited 1 as an internal failure with the remedy buried inside.
      if (isPassageError(error) && error.kind === "conflict") throw error;
      throw ConsumerErrors.consumerFailed.create(name, storedOffset ?? offset ?? "unknown", step, reason);
    }
    lastError = undefined;
    if (!result) {
      // Nothing after the stored offset (or `upTo` reached): that offset is where this consumer is.
      if (storedOffset !== undefined && (offset === undefined || BigInt(storedOffset) > BigInt(offset))) {
        offset = storedOffset;
      }
      return undefined;
    }
    offset = result.offset;
    applied += result.events.length;
    options.onBatch?.({
      consumer: name,
      events: result.events,
      offset: result.offset,
      committedAt: Date.now(),
    });
    return result.events.length;
  }

  async function drainNow(upTo: string | undefined, shouldStop: () => boolean): Promise<number> {
    let total = 0;
    while (!shouldStop()) {
      const count = await applyNextBatch(upTo);
      if (count === undefined) break;
      total += count;
    }
    return total;
  }

  return {
    name,
    handler,
    partition,
    filter,
    drain({ upTo, shouldStop = () => false } = {}) {
      const run = queue.then(() => drainNow(upTo, shouldStop));
      queue = run.catch(() => undefined);
      return run;
    },
    status() {
      return { consumer: name, handler: handler.name, partition, offset, applied, lastError };
    },
  };
}

/**
 * Whether an error is a partition layout refusal (conflict, ahead, superseded): retrying the same
 * consumer cannot clear it, so a worker stops on it (see partition-layout-guard.ts).
 */
export function isPartitionLayoutError(error: unknown): boolean {
  return (
    isPassageError(error) &&
    [
      ConsumerErrors.partitionLayoutConflict.code,
      ConsumerErrors.partitionLayoutAhead.code,
      ConsumerErrors.partitionLayoutSuperseded.code,
      LayoutGuardErrors.partitionLayoutInUse.code,
    ].includes(error.code)
  );
}

/**
 * The slice cut after the events that fit in `budget` by the handler's weights (at least one
 * event): the offset then stops at the last event kept, and the rest is the next transaction's.
 */
function withinWeight(slice: OutboxSlice, handler: EventHandler, budget: number): OutboxSlice {
  if (!handler.weightOf) return slice;
  let total = 0;
  for (let index = 0; index < slice.events.length; index++) {
    total += handler.weightOf(slice.events[index]!);
    if (total > budget && index > 0) {
      const kept = slice.events.slice(0, index);
      return { events: kept, scannedTo: kept.at(-1)!.position };
    }
  }
  return slice;
}
