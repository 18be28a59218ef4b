import { jetstream } from "@nats-io/jetstream";
import { findRecordVersions } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectToNats } from "./event-stream.ts";
import { feedSubjectOf, startFeedSubscriber } from "./feed-subscriber.ts";
import { NatsConfigSchema } from "./nats-config.ts";
import { type NatsTestCluster, startNatsTestCluster } from "./testing/nats-test-cluster.ts";

let database: TestDatabase;
let cluster: NatsTestCluster;
beforeAll(async () => {
  [database, cluster] = await Promise.all([createTestDatabase(), startNatsTestCluster({ size: 1 })]);
});
afterAll(async () => {
  await cluster?.stop();
  await database?.drop();
});

const departure = (id: string) => ({
  departure_id: id,
  departure_date: "2024-05-01",
  mode: "air",
  evidence: "carrier_manifest",
  reported_at: "2024-05-01T10:00:00Z",
});

describe("feed subscriber", () => {
  it("ingests rows streamed on passage.feed.<feed>, including those sent before it started", async () => {
    const nats = NatsConfigSchema.parse({ servers: cluster.servers, replicas: 1 });
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (_: unknown, message: string) => warnings.push(message) };
    // The stream exists once a subscriber has run; rows published while none runs wait in it.
    await (await startFeedSubscriber({ pool: database.pool, nats, feeds: ["departure"], logger })).stop();
    const connection = await connectToNats(nats, "passage-test-producer");
    const client = jetstream(connection);
    const subject = feedSubjectOf("departure");
    await client.publish(subject, JSON.stringify(departure("N-1")));
    await client.publish(subject, JSON.stringify(departure("N-2")));
    await client.publish(subject, JSON.stringify({ ...departure("N-3"), departure_date: "not a date" }));
    await client.publish(subject, JSON.stringify({ ...departure("N-4"), home_address: "refused" }));
    await client.publish(subject, "not json");
    await client.publish(subject, JSON.stringify(departure("N-1")));

    const subscriber = await startFeedSubscriber({ pool: database.pool, nats, feeds: ["departure"], logger });
    const deadline = Date.now() + 20_000;
    while (
      subscriber.status().received < 6 ||
      (await findRecordVersions(database.db, "departure", "N-2")).length === 0
    ) {
      if (Date.now() > deadline) throw new Error(`rows not ingested: ${JSON.stringify(subscriber.status())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await subscriber.stop();
    expect(subscriber.status()).toEqual({ received: 6, ingested: 3, rejected: 1, refused: 2 });
    const [stored] = await findRecordVersions(database.db, "departure", "N-1");
    expect(stored).toMatchObject({ sourceKind: "stream", sourceName: "nats:passage.feed.departure" });
    expect(await findRecordVersions(database.db, "departure", "N-1")).toHaveLength(1);
    expect(await findRecordVersions(database.db, "departure", "N-4")).toHaveLength(0);
    const { rows: named } = await database.pool.query<{ records: number }>(
      "SELECT coalesce(sum((payload->>'records')::integer), 0)::integer AS records FROM outbox_event WHERE event_type = 'RecordsIngested'",
    );
    // N-1 and N-2 stored (N-1's second row is unchanged), and named by the outbox.
    expect(named[0]!.records).toBe(2);
    expect(warnings).toEqual(
      expect.arrayContaining([
        "rejected a streamed row",
        "refusing a streamed row",
        "refusing a feed message that is not one JSON object",
      ]),
    );
    await connection.close();
  });

  it("refuses an unknown feed by name", async () => {
    const nats = NatsConfigSchema.parse({ servers: cluster.servers, replicas: 1 });
    await expect(
      startFeedSubscriber({ pool: database.pool, nats, feeds: ["phonebook"] }),
    ).rejects.toMatchObject({
      code: "PASSAGE_ERR_FEED_UNKNOWN",
    });
  });
});
