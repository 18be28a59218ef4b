import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamManager,
  type JsMsg,
  jetstream,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { CoreErrors, FEEDS, type Feed, isFeed, isPassageError } from "@passage/core";
import type pg from "pg";
import { type ConsumerLogger, SILENT_LOGGER } from "../consumers/consumer-logger.ts";
import { createRowIngestor, type RowIngestor } from "../ingest/row-ingestor.ts";
import {
  connectToNats,
  ensurePassageStreams,
  FEED_SUBJECT_PREFIX,
  type PassageStreamSpec,
} from "./event-stream.ts";
import type { NatsConfig } from "./nats-config.ts";

/** Rows in flight per feed: the row ingestor groups them into few transactions. */
const MAX_ROWS_IN_FLIGHT = 1_000;
const ACK_WAIT_MS = 60_000;
const NANOSECONDS_PER_MILLISECOND = 1_000_000;
/** A row whose ingest failed for a passing reason (database down) comes back after this long. */
const RETRY_DELAY_MS = 2_000;
/** Rows wait in the stream for at most a week for an ingesting process. */
const FEED_MAX_AGE_MS = 7 * 24 * 3_600_000;
/** A producer that sets a Nats-Msg-Id may resend a row within this window without a duplicate. */
const FEED_DUPLICATE_WINDOW_MS = 10 * 60_000;

/** The subject a feed's rows are published on: `passage.feed.<feed>`, one JSON object per message. */
export function feedSubjectOf(feed: Feed): string {
  return `${FEED_SUBJECT_PREFIX}.${feed}`;
}

/** The JetStream stream that keeps streamed rows until they are ingested. */
export function feedStreamOf(nats: NatsConfig): string {
  return `${nats.stream}_FEEDS`;
}

export interface FeedSubscriberStatus {
  readonly received: number;
  /** Rows stored (new, corrected or unchanged) and acknowledged. */
  readonly ingested: number;
  /** Rows that failed validation: acknowledged, with their reasons logged. */
  readonly rejected: number;
  /** Messages refused whole (not JSON, or a refused column): terminated, never redelivered. */
  readonly refused: number;
}

export interface FeedSubscriber {
  status(): FeedSubscriberStatus;
  /** Stops pulling, commits the rows in flight and acknowledges them, then disconnects. */
  stop(): Promise<void>;
}

/**
 * Ingests rows streamed on `passage.feed.<feed>` through the row ingestor (validation,
 * normalisation, provenance `nats:passage.feed.<feed>`, idempotent by content), acknowledging each
 * message only once its row's batch has committed. Redelivered rows are stored as "unchanged".
 */
export async function startFeedSubscriber(options: {
  readonly pool: pg.Pool;
  readonly nats: NatsConfig;
  readonly feeds: readonly string[];
  readonly logger?: ConsumerLogger | undefined;
}): Promise<FeedSubscriber> {
  const logger = options.logger ?? SILENT_LOGGER;
  const feeds = options.feeds.map((feed) => {
    if (!isFeed(feed)) throw CoreErrors.unknownFeed.create(feed, FEEDS);
    return feed;
  });
  const connection: NatsConnection = await connectToNats(options.nats, "passage-feed-subscriber");
  const counts = { received: 0, ingested: 0, rejected: 0, refused: 0 };
  const ingestors: RowIngestor[] = [];
  const subscriptions: ConsumerMessages[] = [];
  const inFlight = new Set<Promise<void>>();
  try {
    const stream = feedStreamOf(options.nats);
    const manager = await ensureFeedStream(connection, options.nats);
    for (const feed of feeds) {
      const ingestor = createRowIngestor({ pool: options.pool, sourceName: `nats:${feedSubjectOf(feed)}` });
      ingestors.push(ingestor);
      const durable = `ingest-${feed}`;
      await manager.consumers.add(stream, {
        durable_name: durable,
        filter_subject: feedSubjectOf(feed),
        ack_policy: AckPolicy.Explicit,
        // Rows published before any subscriber ran must be ingested too.
        deliver_policy: DeliverPolicy.All,
        ack_wait: ACK_WAIT_MS * NANOSECONDS_PER_MILLISECOND,
        max_ack_pending: MAX_ROWS_IN_FLIGHT,
      });
      const consumer = await jetstream(connection).consumers.get(stream, durable);
      subscriptions.push(
        await consumer.consume({
          max_messages: MAX_ROWS_IN_FLIGHT,
          expires: 5_000,
          callback: (message) => {
            counts.received++;
            const work = ingestMessage(feed, ingestor, message);
            inFlight.add(work);
            void work.finally(() => inFlight.delete(work));
          },
        }),
      );
    }
  } catch (error) {
    await connection.close();
    throw error;
  }

  async function ingestMessage(feed: Feed, ingestor: RowIngestor, message: JsMsg): Promise<void> {
    let row: unknown;
    try {
      row = JSON.parse(message.string());
    } catch {
      row = undefined;
    }
    if (!row || typeof row !== "object" || Array.isArray(row)) {
      counts.refused++;
      logger.warn({ feed, seq: message.seq }, "refusing a feed message that is not one JSON object");
      message.term();
      return;
    }
    try {
      const result = await ingestor.ingest(feed, row as Record<string, unknown>, {
        receivedAt: message.timestamp,
      });
      if (result.outcome === "rejected") {
        counts.rejected++;
        logger.warn({ feed, seq: message.seq, issues: result.issues }, "rejected a streamed row");
      } else {
        counts.ingested++;
      }
      message.ack();
    } catch (error) {
      if (isPassageError(error) && error.kind !== "unavailable" && error.kind !== "internal") {
        // A refused column or another property of the row itself: it would fail every time.
        counts.refused++;
        logger.warn({ feed, seq: message.seq, error: error.message }, "refusing a streamed row");
        message.term();
        return;
      }
      logger.warn(
        { feed, seq: message.seq, error: (error as Error).message },
        "row not ingested; redelivering",
      );
      message.nak(RETRY_DELAY_MS);
    }
  }

  logger.info({ feeds }, "feed subscriber started");
  let stopping: Promise<void> | undefined;
  return {
    status: () => ({ ...counts }),
    stop() {
      stopping ??= (async () => {
        await Promise.all(subscriptions.map((subscription) => subscription.close().catch(() => undefined)));
        await Promise.all(ingestors.map((ingestor) => ingestor.flush()));
        await Promise.allSettled([...inFlight]);
        await Promise.all(ingestors.map((ingestor) => ingestor.close()));
        await connection.drain().catch(() => connection.close());
        logger.info({ ...counts }, "feed subscriber stopped");
      })();
      return stopping;
    },
  };
}

/**
 * Creates the feed stream unless it exists, with one subject per known feed (`passage.feed.<feed>`
 * for each feed of FEEDS): a row published on an unknown feed's subject finds no stream, and its
 * publisher's JetStream client gets an error, instead of JetStream keeping a row nothing ingests.
 * A stream made with the wildcard `passage.feed.>` (older versions) is given the list. Both the
 * relay and the feed subscriber call it, so rows published before any subscriber ran wait in it.
 */
export function ensureFeedStream(connection: NatsConnection, nats: NatsConfig): Promise<JetStreamManager> {
  return ensurePassageStreams(connection, nats, [feedStreamSpec(nats)]);
}

/** The feed stream's wanted settings (ensurePassageStreams checks an existing one against them). */
export function feedStreamSpec(nats: NatsConfig): PassageStreamSpec {
  return {
    name: feedStreamOf(nats),
    subjects: FEEDS.map(feedSubjectOf),
    subjectPrefix: `${FEED_SUBJECT_PREFIX}.`,
    purpose: "streamed source rows",
    maxAgeMs: FEED_MAX_AGE_MS,
    duplicateWindowMs: FEED_DUPLICATE_WINDOW_MS,
  };
}
