import { PassThrough } from "node:stream";
import { createRowIngestor, type RowIngestor } from "@passage/engine";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestLines } from "./feed-routes.ts";

let database: TestDatabase;
let ingestor: RowIngestor;
beforeAll(async () => {
  database = await createTestDatabase();
  ingestor = createRowIngestor({ pool: database.pool, sourceName: "test:lines", maxDelayMs: 5 });
});
afterAll(async () => {
  await ingestor.close();
  await database.drop();
});

const departureLine = (id: string) =>
  `${JSON.stringify({
    departure_id: id,
    departure_date: "2024-05-01",
    mode: "air",
    evidence: "carrier_manifest",
    reported_at: "2024-05-01T10:00:00Z",
  })}\n`;

describe("ingestLines", () => {
  it("yields each line's result while the body is still arriving", async () => {
    // The body ends only after the first line's result has come back: results held until the
    // body ended (or until 1,000 lines were in flight) would leave this test waiting for ever.
    const body = new PassThrough();
    const results = ingestLines(ingestor, "departure", body);
    body.write(departureLine("L-1"));
    const first = await results.next();
    expect(first.value).toMatchObject({ line: 1, outcome: "new" });
    body.write(departureLine("L-2"));
    const second = await results.next();
    expect(second.value).toMatchObject({ line: 2, outcome: "new" });
    body.end();
    expect((await results.next()).done).toBe(true);
  });

  it("answers a caller once its own rows are in, while another caller keeps streaming", async () => {
    const stream = new PassThrough();
    const streaming = (async () => {
      for await (const _ of ingestLines(ingestor, "departure", stream));
    })();
    let sent = 0;
    // Several rows a millisecond, so that the queue is never empty while the stream runs.
    const producing = setInterval(() => {
      for (let row = 0; row < 5; row++) stream.write(departureLine(`S-${++sent}`));
    }, 1);
    try {
      const single = new PassThrough();
      single.end(departureLine("ONE-1"));
      const answers = [];
      for await (const result of ingestLines(ingestor, "departure", single)) answers.push(result);
      // Answered while the other stream still runs (it stops only below): a flush that chased
      // every queue until it was empty answered only once the other caller paused.
      expect(answers).toMatchObject([{ line: 1, outcome: "new" }]);
      expect(stream.writableEnded).toBe(false);
    } finally {
      clearInterval(producing);
      stream.end();
      await streaming;
    }
  });
});
