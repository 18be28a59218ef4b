import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { FEEDS } from "@passage/core";
import { findRecordVersions } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectToNats } from "./event-stream.ts";
import { feedStreamOf, feedSubjectOf, startFeedSubscriber } from "./feed-subscriber.ts";
import { type NatsConfig, NatsConfigSchema } from "./nats-config.ts";
import { startOutboxRelay } from "./outbox-relay.ts";
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

  it("keeps no row published on an unknown feed: the stream lists the known feeds' subjects", async () => {
    const nats = NatsConfigSchema.parse({ servers: cluster.servers, replicas: 1 });
    // A stream made by an older version, with the wildcard subject, holding one row.
    await deleteFeedStream(nats);
    const connection = await connectToNats(nats, "passage-test-producer");
    const manager = await jetstreamManager(connection);
    await manager.streams.add({ name: feedStreamOf(nats), subjects: ["passage.feed.>"] });
    const client = jetstream(connection, { timeout: 2_000 });
    await client.publish(feedSubjectOf("departure"), JSON.stringify(departure("W-1")));

    const subscriber = await startFeedSubscriber({ pool: database.pool, nats, feeds: ["departure"] });
    const deadline = Date.now() + 20_000;
    while ((await findRecordVersions(database.db, "departure", "W-1")).length === 0) {
      if (Date.now() > deadline) throw new Error("the row kept by the old stream was not ingested");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await subscriber.stop();
    const info = await manager.streams.info(feedStreamOf(nats));
    expect([...info.config.subjects].sort()).toEqual(FEEDS.map(feedSubjectOf).sort());
    await expect(client.publish("passage.feed.nosuchfeed", '{"a":1}')).rejects.toThrow();
    await client.publish(feedSubjectOf("admission"), '{"a":1}');
    expect((await manager.streams.info(feedStreamOf(nats))).state.messages).toBe(2);
    await connection.close();
  });

  it("takes rows published before any feed subscriber ran: the relay makes the feed stream too", async () => {
    const nats = NatsConfigSchema.parse({ servers: cluster.servers, replicas: 1 });
    await deleteFeedStream(nats);
    const relay = await startOutboxRelay({ db: database.db, pool: database.pool, nats });
    await relay.stop();
    const connection = await connectToNats(nats, "passage-test-producer");
    await jetstream(connection, { timeout: 2_000 }).publish(
      feedSubjectOf("departure"),
      JSON.stringify(departure("R-1")),
    );
    await connection.close();
    const subscriber = await startFeedSubscriber({ pool: database.pool, nats, feeds: ["departure"] });
    const deadline = Date.now() + 20_000;
    while ((await findRecordVersions(database.db, "departure", "R-1")).length === 0) {
      if (Date.now() > deadline) throw new Error("the row published before any subscriber was not ingested");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await subscriber.stop();
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

async function deleteFeedStream(nats: NatsConfig): Promise<void> {
  const connection = await connectToNats(nats, "passage-test-admin");
  try {
    await (await jetstreamManager(connection)).streams.delete(feedStreamOf(nats)).catch(() => false);
  } finally {
    await connection.close();
  }
}
