import type { Database } from "@passage/store";
import { getConsumerOffset, latestOutboxPosition, outboxBacklog } from "@passage/store";
import type { Kysely } from "kysely";
import type { OutboxConsumer } from "./outbox-consumer.ts";

/** How far one consumer is behind the outbox. */
export interface ConsumerLag {
  readonly consumer: string;
  /** Its stored offset ("0" before its first batch). */
  readonly offset: string;
  /** The outbox's last committed position. */
  readonly headPosition: string;
  /** Events it still has to apply (of its types and partition). */
  readonly eventsBehind: number;
  /** Milliseconds since the oldest of those was appended; 0 when none is waiting. */
  readonly oldestUnprocessedAgeMs: number;
}

/** Reads each consumer's stored offset and its backlog in the outbox. */
export async function measureLag(
  db: Kysely<Database>,
  consumers: readonly OutboxConsumer[],
): Promise<ConsumerLag[]> {
  const headPosition = await latestOutboxPosition(db);
  return Promise.all(
    consumers.map(async (consumer) => {
      const offset = await getConsumerOffset(db, consumer.name);
      const backlog = await outboxBacklog(db, offset, consumer.filter);
      return {
        consumer: consumer.name,
        offset,
        headPosition,
        eventsBehind: backlog.events,
        oldestUnprocessedAgeMs: backlog.oldestAgeMs,
      };
    }),
  );
}
