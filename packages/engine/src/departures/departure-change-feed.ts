import { PersonStatusChanged } from "@passage/core";
import { executeSql, latestOutboxPosition, type Store } from "@passage/store";
import { type ConsumerLogger, SILENT_LOGGER } from "../consumers/consumer-logger.ts";
import { type OutboxWatcher, watchOutbox } from "../consumers/outbox-watcher.ts";

/** Called when departures (any derived status) may have changed since the last call. */
export type DepartureChangeListener = (generation: number) => void;

/** Tells subscribers when the lifecycle projection has committed status changes. */
export interface DepartureChangeFeed {
  /** Subscribes; the first subscriber starts watching the outbox. Returns the unsubscribe. */
  subscribe(listener: DepartureChangeListener): Promise<() => void>;
  /** How many subscribers there are now. */
  readonly subscribers: number;
  /** Stops watching and drops every subscriber. */
  close(): Promise<void>;
}

export interface DepartureChangeFeedOptions {
  readonly store: Pick<Store, "pool" | "db">;
  /** At most one check of the outbox per this many milliseconds (default 1 s): bursts are coalesced. */
  readonly minIntervalMs?: number;
  readonly logger?: ConsumerLogger;
}

const DEFAULT_MIN_INTERVAL_MS = 1_000;

/**
 * Departures change when the lifecycle projection re-derives a status: it commits the new row and a
 * `PersonStatusChanged` outbox event together. This watches the outbox (LISTEN/NOTIFY, with the
 * consumers' slow fallback poll) while anyone subscribes, and on a wake-up reads only the events
 * after the last position seen (a primary-key range); if one of them is a status change, every
 * subscriber is told, with a new generation number. Wake-ups closer than `minIntervalMs` are
 * coalesced, so a bulk ingest costs one cheap query a second, not one per commit.
 */
export function createDepartureChangeFeed(options: DepartureChangeFeedOptions): DepartureChangeFeed {
  const { pool, db } = options.store;
  const minIntervalMs = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
  const listeners = new Set<DepartureChangeListener>();
  let watcher: OutboxWatcher | undefined;
  let starting: Promise<void> | undefined;
  let seen = "0";
  let generation = 0;
  let checking: Promise<void> | undefined;
  let pending: NodeJS.Timeout | undefined;
  let lastCheck = 0;
  let closed = false;

  const check = async () => {
    const rows = await executeSql<{ position: string | null; changed: boolean | null }>(
      db,
      `SELECT max(position)::text AS position, bool_or(event_type = $2) AS changed
       FROM outbox_event WHERE position > $1::bigint`,
      [seen, PersonStatusChanged.name],
    );
    const row = rows[0];
    if (row?.position) seen = row.position;
    if (row?.changed) {
      generation += 1;
      for (const listener of listeners) listener(generation);
    }
  };
  const runCheck = () => {
    if (closed || watcher === undefined) return;
    lastCheck = Date.now();
    checking = check()
      .catch((error: Error) =>
        (options.logger ?? SILENT_LOGGER).warn({ error: error.message }, "departure change check failed"),
      )
      .finally(() => {
        checking = undefined;
      });
  };
  const wake = () => {
    if (closed || watcher === undefined || pending) return;
    pending = setTimeout(
      async () => {
        // A check in flight finishes first; this one then reads whatever came after it.
        await checking;
        pending = undefined;
        runCheck();
      },
      Math.max(0, lastCheck + minIntervalMs - Date.now()),
    );
    pending.unref();
  };
  const start = async () => {
    seen = await latestOutboxPosition(db);
    watcher = await watchOutbox({ pool, onWake: wake, logger: options.logger ?? SILENT_LOGGER });
  };
  const stop = async () => {
    if (pending) clearTimeout(pending);
    pending = undefined;
    const stopping = watcher;
    watcher = undefined;
    await stopping?.close();
    await checking;
  };

  return {
    get subscribers() {
      return listeners.size;
    },
    async subscribe(listener) {
      if (closed) throw new Error("the departure change feed is closed");
      listeners.add(listener);
      if (watcher === undefined) {
        starting ??= start().finally(() => {
          starting = undefined;
        });
        try {
          await starting;
        } catch (error) {
          listeners.delete(listener);
          throw error;
        }
      }
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return;
        // The last subscriber left: give the LISTEN connection back to the pool.
        void (starting ?? Promise.resolve()).then(() => (listeners.size === 0 ? stop() : undefined));
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      await starting?.catch(() => undefined);
      await stop();
    },
  };
}
