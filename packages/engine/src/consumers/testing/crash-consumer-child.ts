// A consumer process for the kill -9 test: `crash-consumer-child.ts DATABASE_URL run|finish`.
// `run` starts the in-process runner and applies until killed; `finish` catches up and exits 0.
import { openDatabase } from "@passage/store";
import { sql } from "kysely";
import { createConsumerRunner } from "../consumer-runner.ts";
import { recordingHandler } from "./recording-handler.ts";

const [url, mode] = process.argv.slice(2);
if (!url || (mode !== "run" && mode !== "finish")) {
  process.stderr.write("usage: crash-consumer-child.ts DATABASE_URL run|finish\n");
  process.exit(2);
}
const database = await openDatabase(url, { maxConnections: 3 });
const recording = recordingHandler({ name: "crash", prefix: "crash" });
const runner = createConsumerRunner({
  db: database.db,
  pool: database.pool,
  batchSize: 40,
  handlers: [
    {
      ...recording,
      async apply(transaction, event) {
        await recording.apply(transaction, event);
        // Widens the window in which a kill lands inside an open transaction.
        if (Number(event.position) % 8 === 0) await sql`SELECT pg_sleep(0.004)`.execute(transaction);
      },
    },
  ],
});
if (mode === "finish") {
  const report = await runner.catchUp();
  process.stdout.write(`finished at ${report.position}\n`);
  await database.close();
} else {
  await runner.start();
  process.stdout.write("started\n");
}
