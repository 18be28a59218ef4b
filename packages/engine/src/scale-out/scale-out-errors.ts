import { defineError, registerErrors } from "@passage/core";
import type { LiveRecordedLayout } from "../consumers/partition-layout-guard.ts";

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
  jetStreamNotEnabled: defineError(
    "PASSAGE_ERR_SCALE_OUT_JETSTREAM_NOT_ENABLED",
    "unavailable",
    "The NATS servers answer, but none of them runs JetStream (or not for this account)",
    (servers: readonly string[], reason: string) =>
      `JetStream is not enabled on the NATS servers at ${servers.join(", ")} (${reason}); the relay and ` +
      "workers need it: start nats-server with -js (or a jetstream {} block in its configuration), or " +
      "enable JetStream for this account",
  ),
  replicasUnsupported: defineError(
    "PASSAGE_ERR_SCALE_OUT_REPLICAS_UNSUPPORTED",
    "invalid_input",
    "PASSAGE_NATS_REPLICAS asks for more than one replica of a stream on a NATS server that is not clustered",
    (stream: string, replicas: number, reason: string) =>
      `JetStream stream ${stream} cannot have ${replicas} replicas: the NATS server is not clustered ` +
      `(${reason}); set PASSAGE_NATS_REPLICAS=1 for a single server, or run a JetStream cluster of at least ` +
      `${replicas} servers`,
  ),
  streamForeign: defineError(
    "PASSAGE_ERR_SCALE_OUT_STREAM_FOREIGN",
    "conflict",
    "A JetStream stream of the configured name exists and was not created by Passage, which never changes it",
    (stream: string, description: string | undefined, subjects: readonly string[]) =>
      `JetStream stream ${stream} exists but was not created by Passage (subjects ${JSON.stringify(subjects)}` +
      `${description ? `, description "${description}"` : ", no Passage mark in its description"}); Passage ` +
      "never changes another application's stream: set PASSAGE_NATS_STREAM to a name no other application uses",
  ),
  streamIncompatible: defineError(
    "PASSAGE_ERR_SCALE_OUT_STREAM_INCOMPATIBLE",
    "conflict",
    "Passage's JetStream stream has settings Passage cannot safely change to its own",
    (stream: string, differences: readonly string[]) =>
      `JetStream stream ${stream} has settings Passage will not change silently: ${differences.join("; ")}; ` +
      "change or recreate the stream with these settings (nats stream edit/rm), or set PASSAGE_NATS_REPLICAS " +
      "to its replica count",
  ),
  subjectsOverlap: defineError(
    "PASSAGE_ERR_SCALE_OUT_STREAM_SUBJECTS_OVERLAP",
    "conflict",
    "Another JetStream stream already takes subjects Passage's stream needs",
    (stream: string, wanted: readonly string[], other: string, taken: readonly string[]) =>
      `JetStream stream ${stream} cannot take subjects ${JSON.stringify(wanted)}: stream ${other} already ` +
      `takes ${JSON.stringify(taken)}; remove that stream or its subjects, or point PASSAGE_NATS_SERVERS at ` +
      "another NATS account or cluster",
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
  relayPartitionsMismatch: defineError(
    "PASSAGE_ERR_SCALE_OUT_RELAY_PARTITIONS_MISMATCH",
    "conflict",
    "Running workers read another partition count than the relay's PASSAGE_NATS_PARTITIONS, so its signals would miss them",
    (relay: number, layouts: readonly LiveRecordedLayout[], running: boolean) => {
      const counts = [...new Set(layouts.map((layout) => layout.partitions))];
      const workers = layouts
        .map(
          (layout) =>
            `handler ${layout.handler}: ${layout.partitions} partitions, ${layout.alive.join(", ")}`,
        )
        .join("; ");
      return (
        `relay ${running ? "stopped" : "does not start"}: its PASSAGE_NATS_PARTITIONS is ${relay} but running ` +
        `workers read ${counts.join(" and ")} partitions (${workers}); its signals would go to subjects no ` +
        "worker reads, and events would wait for the workers' slow poll. Set PASSAGE_NATS_PARTITIONS=" +
        `${counts.join(" or ")} for the relay, or move the workers first (start workers with --partition ` +
        `I/${relay}: the old ones stop), then start the relay`
      );
    },
  ),
};
registerErrors("@passage/engine", ScaleOutErrors);
