// A rebuild process for the kill -9 test: `rebuild-child.ts DATABASE_URL`. It rebuilds the
// lifecycle projection one person per batch, slowly, printing `progress N` after each batch is
// written and `rebuilt N` at the end, so the test can kill it at any point.
import { openDatabase } from "@passage/store";
import { createLifecycleService } from "../lifecycle-service.ts";
import { CONFIRMED_IDENTITY } from "../policy-inputs.ts";

const [url] = process.argv.slice(2);
if (!url) {
  process.stderr.write("usage: rebuild-child.ts DATABASE_URL\n");
  process.exit(2);
}
const database = await openDatabase(url, { maxConnections: 4 });
const lifecycle = createLifecycleService({
  store: database,
  sources: {
    async identityFacts(_executor, ids) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return new Map(ids.map((id) => [id, CONFIRMED_IDENTITY]));
    },
    citizenshipClaims: async () => new Map(),
  },
  personsPerBatch: 1,
});
const { persons } = await lifecycle.rebuild((done) => process.stdout.write(`progress ${done}\n`));
process.stdout.write(`rebuilt ${persons}\n`);
await database.close();
