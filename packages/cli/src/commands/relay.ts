import type { Command } from "commander";

/**
 * `passage relay`: publishes the outbox to the NATS JetStream stream of the configuration
 * (`PASSAGE_NATS_SERVERS`, `_STREAM`, `_REPLICAS`, `_PARTITIONS`) until SIGINT or SIGTERM, then
 * stops cleanly (exit 0) and prints what it published; it exits 4 when live workers record another
 * partition count (PASSAGE_ERR_SCALE_OUT_RELAY_PARTITIONS_MISMATCH, at start or while running).
 */
export function registerRelayCommand(program: Command): void {
  program
    .command("relay")
    .description("publish the outbox to NATS JetStream for `passage worker` processes (until SIGINT/SIGTERM)")
    .action(async (_options: unknown, command: Command) => {
      const { runOutboxRelay } = await import("../actions/relay.ts");
      await runOutboxRelay(command);
    });
}
