// A linkage handler process for the kill -9 test:
// `linkage-runner-child.ts DATABASE_URL run|finish PARTITIONS`. `run` starts the in-process runner
// (the linkage handler alone, small batches) and applies until killed; `finish` catches up, exits 0.
import { openDatabase } from "@passage/store";
import { createConsumerRunner } from "../../consumers/consumer-runner.ts";
import { createModelCache } from "../active-model.ts";
import { createLinkageHandler } from "../linkage-handler.ts";

const [url, mode, partitions] = process.argv.slice(2);
if (!url || (mode !== "run" && mode !== "finish") || !partitions) {
  process.stderr.write("usage: linkage-runner-child.ts DATABASE_URL run|finish PARTITIONS\n");
  process.exit(2);
}
const database = await openDatabase(url, { maxConnections: 6 });
const runner = createConsumerRunner({
  db: database.db,
  pool: database.pool,
  batchSize: 15,
  partitions: Number(partitions),
  handlers: [createLinkageHandler(createModelCache())],
});
if (mode === "finish") {
  const report = await runner.catchUp();
  process.stdout.write(`finished at ${report.position}\n`);
  await database.close();
} else {
  await runner.start();
  process.stdout.write("started\n");
}
