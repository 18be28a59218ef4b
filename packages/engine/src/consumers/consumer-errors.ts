import { defineError, registerErrors } from "@passage/core";

/** Errors raised by the outbox consumer framework (handlers, partitions, runners). */
export const ConsumerErrors = {
  invalidHandler: defineError(
    "PASSAGE_ERR_CONSUMER_HANDLER_INVALID",
    "invalid_input",
    "An event handler's definition is not valid",
    (handler: string, problem: string) => `event handler "${handler}": ${problem}`,
  ),
  duplicateHandler: defineError(
    "PASSAGE_ERR_CONSUMER_HANDLER_DUPLICATE",
    "conflict",
    "Two event handlers share one name, so they would share one offset",
    (handler: string) => `two event handlers are named "${handler}"; each needs its own name and offset`,
  ),
  unknownHandler: defineError(
    "PASSAGE_ERR_CONSUMER_HANDLER_UNKNOWN",
    "invalid_input",
    "No event handler of that name is registered",
    (handler: string, known: readonly string[]) =>
      `no event handler named "${handler}" (registered: ${known.length > 0 ? known.join(", ") : "none"})`,
  ),
  noHandlers: defineError(
    "PASSAGE_ERR_CONSUMER_NO_HANDLERS",
    "invalid_input",
    "A runner was asked to run no event handler at all",
    (known: readonly string[]) =>
      known.length === 0
        ? "no projection handlers are registered yet, so there is nothing to run"
        : `no handler was named (registered: ${known.join(", ")})`,
  ),
  invalidPartition: defineError(
    "PASSAGE_ERR_CONSUMER_PARTITION_INVALID",
    "invalid_input",
    "A partition is not of the form I/N with 0 <= I < N",
    (text: string) => `"${text}" is not a partition of the form I/N with 0 <= I < N <= 1024 (e.g. 3/8)`,
  ),
  partitionLayoutConflict: defineError(
    "PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_CONFLICT",
    "conflict",
    "A handler's offsets under another partition layout are ahead and not at one common position",
    (consumer: string, offset: string, others: string) =>
      `consumer ${consumer} (offset ${offset}) cannot start: the same handler has gone further under another ` +
      `partition layout (${others}); stop those consumers after a catch-up brings every one of them to the same ` +
      "position, then start this layout (it adopts that position, so no event is applied twice)",
  ),
  consumerFailed: defineError(
    "PASSAGE_ERR_CONSUMER_FAILED",
    "internal",
    "An event handler failed; its consumer stays at the event before and retries",
    (consumer: string, offset: string, step: string, reason: string) =>
      `consumer ${consumer} stays at offset ${offset}: ${step} failed: ${reason}`,
  ),
  stopped: defineError(
    "PASSAGE_ERR_CONSUMER_STOPPED",
    "unavailable",
    "The consumer runner was stopped while work was requested of it",
    (consumer: string) => `consumer ${consumer} was stopped before it caught up`,
  ),
};
registerErrors("@passage/engine", ConsumerErrors);
