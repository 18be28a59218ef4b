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
    "A worker's --partition count differs from its PASSAGE_NATS_PARTITIONS setting",
    (index: number, worker: number, configured: number) =>
      `--partition ${index}/${worker} names ${worker} partitions but this worker's PASSAGE_NATS_PARTITIONS is ` +
      `${configured} (the relay must publish the same count); use --partition I/${configured}, or set ` +
      `PASSAGE_NATS_PARTITIONS=${worker} for the relay and every worker`,
  ),
};
registerErrors("@passage/engine", ScaleOutErrors);
