// A linkage handler process for the kill -9 test:
// `linkage-runner-child.ts DATABASE_URL run|finish PARTITIONS`. `run` starts the in-process runner
// (the linkage handler alone, small batches) and applies until killed; `finish` catches up, exits 0.
// `run` is paced (a pause inside every batch's transaction) so that however fast the machine, the
// kills land while work remains, and mostly inside an open transaction.
import { setTimeout as sleep } from "node:timers/promises";
import { openDatabase } from "@passage/store";
import { createConsumerRunner } from "../../consumers/consumer-runner.ts";
import type { EventHandler } from "../../consumers/event-handler.ts";
import { createModelCache } from "../active-model.ts";
import { createLinkageHandler } from "../linkage-handler.ts";

const [url, mode, partitions] = process.argv.slice(2);
if (!url || (mode !== "run" && mode !== "finish") || !partitions) {
  process.stderr.write("usage: linkage-runner-child.ts DATABASE_URL run|finish PARTITIONS\n");
  process.exit(2);
}
const PAUSE_MILLISECONDS = 300;

/** The handler with a pause after each batch's work, before its transaction commits. */
function paced(handler: EventHandler): EventHandler {
  const { applyBatch } = handler;
  return {
    name: handler.name,
    eventTypes: handler.eventTypes,
    apply: async (transaction, event) => {
      await handler.apply(transaction, event);
      await sleep(PAUSE_MILLISECONDS);
    },
    ...(applyBatch === undefined
      ? {}
      : {
          applyBatch: async (transaction, events) => {
            await applyBatch.call(handler, transaction, events);
            await sleep(PAUSE_MILLISECONDS);
          },
        }),
  };
}

const database = await openDatabase(url, { maxConnections: 6 });
const handler = createLinkageHandler(createModelCache());
const runner = createConsumerRunner({
  db: database.db,
  pool: database.pool,
  // One event (one ingest batch of 5 records) a transaction when paced: at most 3 partitions x 5
  // records each 300 ms, so the test's kills (3 runs of at most a second) leave work at any speed.
  batchSize: mode === "run" ? 1 : 15,
  partitions: Number(partitions),
  handlers: [mode === "run" ? paced(handler) : handler],
});
if (mode === "finish") {
  const report = await runner.catchUp();
  process.stdout.write(`finished at ${report.position}\n`);
  await database.close();
} else {
  await runner.start();
  process.stdout.write("started\n");
}
