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
    "A handler's recorded partition layout has its partitions at different positions, so another layout cannot take it over",
    (consumer: string, handler: string, partitions: number, recorded: number, offsets: string) =>
      `consumer ${consumer} cannot start: handler ${handler} is applied under a layout of ${recorded} ` +
      `partition${recorded === 1 ? "" : "s"}, not ${partitions}, and that layout's offsets do not stand at one ` +
      `position (${offsets || "none stored"}); run its consumers (PASSAGE_NATS_PARTITIONS=${recorded}: ` +
      `the workers --partition I/${recorded}, or an in-process command) until a catch-up brings every one of them ` +
      "to the last position, stop them, then start this layout (it adopts that position, so no event is applied twice)",
  ),
  partitionLayoutAhead: defineError(
    "PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_AHEAD",
    "conflict",
    "Offsets of the starting partition layout are ahead of the position it would adopt",
    (consumer: string, recorded: number, position: string, ahead: string) =>
      `consumer ${consumer} cannot start: the layout of ${recorded} partition${recorded === 1 ? "" : "s"} ` +
      `stands at ${position}, but this layout's offsets are further (${ahead}), so adopting would apply ` +
      `events again; run the layout of ${recorded} (PASSAGE_NATS_PARTITIONS=${recorded}) until it passes them, ` +
      "then start this layout",
  ),
  partitionLayoutSuperseded: defineError(
    "PASSAGE_ERR_CONSUMER_PARTITION_LAYOUT_SUPERSEDED",
    "conflict",
    "Another partition layout has taken over the handler, so this consumer must not apply its events",
    (consumer: string, handler: string, partitions: number, recorded: number | undefined) =>
      `consumer ${consumer} stops: handler ${handler} is now applied under ` +
      (recorded === undefined
        ? "no recorded layout"
        : `a layout of ${recorded} partition${recorded === 1 ? "" : "s"}`) +
      `, not this consumer's ${partitions} (another layout adopted its position; applying here would apply ` +
      `events twice); run the handler with PASSAGE_NATS_PARTITIONS=${recorded ?? partitions}, or restart ` +
      "this consumer to take the handler back once the other layout has caught up and stopped",
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
