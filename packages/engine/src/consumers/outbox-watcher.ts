import { listenToOutbox, type OutboxListener } from "@passage/store";
import type pg from "pg";
import type { ConsumerLogger } from "./consumer-logger.ts";

/** Slow poll that covers a notification lost while the listening connection was down. */
export const DEFAULT_FALLBACK_POLL_MS = 5_000;

/** Delay before listening again after the listening connection failed. */
const RELISTEN_DELAY_MS = 1_000;

export interface OutboxWatcher {
  close(): Promise<void>;
}

/**
 * Calls `onWake` when an outbox append commits (LISTEN/NOTIFY: milliseconds, and no queries
 * while the outbox is quiet), every `fallbackPollMs` in case a notification was lost, and once
 * on start. A failed listening connection is logged and replaced, with a wake-up, since
 * notifications sent while nobody listened are gone.
 */
export async function watchOutbox(options: {
  readonly pool: pg.Pool;
  readonly onWake: (latestPosition: string | undefined) => void;
  readonly fallbackPollMs?: number | undefined;
  readonly logger: ConsumerLogger;
}): Promise<OutboxWatcher> {
  const { pool, onWake, logger } = options;
  let closed = false;
  let listener: OutboxListener | undefined;
  let relistenTimer: NodeJS.Timeout | undefined;

  const listen = async (): Promise<void> => {
    if (closed) return;
    try {
      listener = await listenToOutbox(pool, {
        onNotify: (position) => onWake(position || undefined),
        onError: (error) => {
          listener = undefined;
          logger.warn({ error: error.message }, "outbox listener lost its connection; listening again");
          scheduleRelisten();
        },
      });
      if (closed) await listener.close();
    } catch (error) {
      logger.warn({ error: (error as Error).message }, "cannot listen to the outbox; retrying");
      scheduleRelisten();
    }
  };
  const scheduleRelisten = () => {
    if (closed || relistenTimer) return;
    relistenTimer = setTimeout(() => {
      relistenTimer = undefined;
      void listen().then(() => onWake(undefined));
    }, RELISTEN_DELAY_MS);
    relistenTimer.unref();
  };

  await listen();
  const poll = setInterval(() => onWake(undefined), options.fallbackPollMs ?? DEFAULT_FALLBACK_POLL_MS);
  poll.unref();
  onWake(undefined);
  return {
    async close() {
      closed = true;
      clearInterval(poll);
      if (relistenTimer) clearTimeout(relistenTimer);
      await listener?.close();
      listener = undefined;
    },
  };
}
