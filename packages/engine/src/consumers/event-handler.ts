import type { Database, OutboxEvent } from "@passage/store";
import type { Transaction } from "kysely";
import { ConsumerErrors } from "./consumer-errors.ts";

export type { OutboxEvent } from "@passage/store";

/** Every event type, for handlers that look at the whole outbox. */
export const ALL_EVENT_TYPES = "all";

/**
 * A projection step that reacts to outbox events. Both runners (the in-process
 * `ConsumerRunner` and the NATS `PartitionWorker`) call `apply` inside the same database
 * transaction that advances the handler's offset, so an event's effect commits exactly once,
 * even across crashes. A handler must therefore write only through `transaction` (no side
 * effects outside the database), and must not commit or roll it back itself.
 */
export interface EventHandler {
  /** Stable, unique name (lowercase, digits, dashes): the offset is stored under it. */
  readonly name: string;
  /** The event types it applies; the offset advances past every other event unseen. */
  readonly eventTypes: typeof ALL_EVENT_TYPES | readonly string[];
  /** Applies one event. Throwing rolls back the whole batch; the consumer retries later. */
  apply(transaction: Transaction<Database>, event: OutboxEvent): Promise<void>;
  /**
   * Optional: applies a batch's matching events at once (in position order), for set-based SQL
   * instead of a round trip per event. When present, runners call it instead of `apply`.
   */
  applyBatch?(transaction: Transaction<Database>, events: readonly OutboxEvent[]): Promise<void>;
  /**
   * Optional: how much work an event is (at least 1), where events differ widely in size (a
   * RecordsIngested names up to 500 records). A transaction then applies events up to
   * `weightBudget` in total weight (always at least one event) instead of a batch size of events.
   */
  weightOf?(event: OutboxEvent): number;
  /** With `weightOf`: the total weight a transaction applies at most (default: the runner's batch size). */
  readonly weightBudget?: number;
}

const HANDLER_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Checks a handler's name and event types, and that no two handlers share a name. */
export function validateHandlersOrThrow(handlers: readonly EventHandler[]): void {
  const seen = new Set<string>();
  for (const handler of handlers) {
    if (!HANDLER_NAME.test(handler.name)) {
      throw ConsumerErrors.invalidHandler.create(
        String(handler.name),
        "the name must be 1 to 63 characters: lowercase letters, digits and dashes, starting with a letter",
      );
    }
    if (seen.has(handler.name)) throw ConsumerErrors.duplicateHandler.create(handler.name);
    seen.add(handler.name);
    if (handler.eventTypes !== ALL_EVENT_TYPES) {
      if (!Array.isArray(handler.eventTypes) || handler.eventTypes.length === 0) {
        throw ConsumerErrors.invalidHandler.create(
          handler.name,
          `eventTypes must be "${ALL_EVENT_TYPES}" or a non-empty list of event type names`,
        );
      }
    }
    if (handler.applyBatch !== undefined && typeof handler.applyBatch !== "function") {
      throw ConsumerErrors.invalidHandler.create(handler.name, "applyBatch must be a function when present");
    }
    if (handler.weightOf !== undefined && typeof handler.weightOf !== "function") {
      throw ConsumerErrors.invalidHandler.create(handler.name, "weightOf must be a function when present");
    }
    if (
      handler.weightBudget !== undefined &&
      (!Number.isInteger(handler.weightBudget) || handler.weightBudget < 1)
    ) {
      throw ConsumerErrors.invalidHandler.create(
        handler.name,
        `weightBudget must be a positive integer, not ${handler.weightBudget}`,
      );
    }
    if (typeof handler.apply !== "function") {
      throw ConsumerErrors.invalidHandler.create(handler.name, "apply(transaction, event) is missing");
    }
  }
}
