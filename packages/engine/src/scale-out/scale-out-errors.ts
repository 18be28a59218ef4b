import { defineError, registerErrors } from "@passage/core";

/** Errors raised by the NATS JetStream scale-out (relay and workers). */
export const ScaleOutErrors = {
  natsUnreachable: defineError(
    "PASSAGE_ERR_SCALE_OUT_NATS_UNREACHABLE",
    "unavailable",
    "No NATS server of the configured list answered",
    (servers: readonly string[], reason: string) =>
      `cannot connect to NATS at ${servers.join(", ")}: ${reason}`,
  ),
  streamUnavailable: defineError(
    "PASSAGE_ERR_SCALE_OUT_STREAM_UNAVAILABLE",
    "unavailable",
    "The JetStream stream could not be created or read",
    (stream: string, replicas: number, reason: string) =>
      `JetStream stream ${stream} (${replicas} replicas) is unavailable: ${reason}` +
      (replicas > 1 && /insufficient resources/i.test(reason)
        ? " (fewer JetStream servers than replicas; a single server needs PASSAGE_NATS_REPLICAS=1)"
        : ""),
  ),
  partitionMismatch: defineError(
    "PASSAGE_ERR_SCALE_OUT_PARTITION_MISMATCH",
    "invalid_input",
    "A worker's partition count differs from the relay's configuration",
    (worker: number, configured: number) =>
      `the worker was given N=${worker} partitions but the relay publishes ${configured}; use --partition I/${configured}`,
  ),
};
registerErrors("@passage/engine", ScaleOutErrors);
