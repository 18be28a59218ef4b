// A relay or worker process for the scale-out test and benchmark:
//   scale-out-child.ts relay  '<json settings>'
//   scale-out-child.ts worker '<json settings>'   (settings.partition = "I/N")
// Prints "started" once running; on SIGTERM stops cleanly, prints "status <json>" and exits 0.
import { openDatabase } from "@passage/store";
import type { BatchReport } from "../../consumers/outbox-consumer.ts";
import { parsePartitionOrThrow } from "../../consumers/partition.ts";
import { recordingHandler } from "../../consumers/testing/recording-handler.ts";
import { NatsConfigSchema } from "../nats-config.ts";
import { startOutboxRelay } from "../outbox-relay.ts";
import { startPartitionWorker } from "../partition-worker.ts";

interface ChildSettings {
  readonly databaseUrl: string;
  readonly nats: unknown;
  readonly partition?: string;
  /** Table prefix of the recording handler. */
  readonly prefix: string;
  /** The handler's name (default: the prefix). */
  readonly handlerName?: string;
  /** Use the handler's set-based applyBatch. */
  readonly batched?: boolean;
  readonly fallbackPollMs?: number;
  /** Print "applied <position> <committedAt>" for every applied event (benchmark latency). */
  readonly reportApplied?: boolean;
}

const [role, json] = process.argv.slice(2);
if ((role !== "relay" && role !== "worker") || !json) {
  process.stderr.write("usage: scale-out-child.ts relay|worker '<json settings>'\n");
  process.exit(2);
}
const settings = JSON.parse(json) as ChildSettings;
const nats = NatsConfigSchema.parse(settings.nats);
const database = await openDatabase(settings.databaseUrl, { maxConnections: 4 });
const logger = {
  info: () => undefined,
  warn: (details: Record<string, unknown>, message: string) =>
    process.stderr.write(`[${role}] ${message} ${JSON.stringify(details)}\n`),
};
const onBatch = settings.reportApplied
  ? (report: BatchReport) => {
      if (report.events.length === 0) return;
      const lines = report.events.map((event) => `applied ${event.position} ${report.committedAt}`);
      process.stdout.write(`${lines.join("\n")}\n`);
    }
  : undefined;

const service =
  role === "relay"
    ? await startOutboxRelay({ db: database.db, pool: database.pool, nats, logger })
    : await startPartitionWorker({
        db: database.db,
        nats,
        partition: parsePartitionOrThrow(settings.partition ?? ""),
        handlers: [
          recordingHandler({
            name: settings.handlerName ?? settings.prefix,
            prefix: settings.prefix,
            batched: settings.batched === true,
          }),
        ],
        fallbackPollMs: settings.fallbackPollMs,
        logger,
        onBatch,
      });
process.stdout.write("started\n");
process.once("SIGTERM", async () => {
  const status = service.status();
  await service.stop();
  await database.close();
  process.stdout.write(`status ${JSON.stringify(status)}\n`);
  process.exit(0);
});
