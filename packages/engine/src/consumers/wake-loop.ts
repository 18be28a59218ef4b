import type { ConsumerLogger } from "./consumer-logger.ts";

/** Backoff after a failed run: doubling from 200 ms up to 30 s, so a poison event does not spin. */
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 30_000;

/** Runs `work` whenever woken, one run at a time; wake-ups during a run coalesce into one more run. */
export interface WakeLoop {
  wake(): void;
  /** Lets the run in progress finish (it is told to stop between batches), then ends the loop. */
  stop(): Promise<void>;
}

/**
 * Starts a loop that runs `work` on each wake-up. A failed run is logged and retried with
 * backoff without waiting for another wake-up, since the work it failed to do is still there.
 */
export function startWakeLoop(options: {
  readonly name: string;
  readonly work: (shouldStop: () => boolean) => Promise<unknown>;
  readonly logger: ConsumerLogger;
}): WakeLoop {
  let running = true;
  let wanted = false;
  let resume: (() => void) | undefined;
  const pause = (milliseconds?: number) =>
    new Promise<void>((resolve) => {
      const timer = milliseconds === undefined ? undefined : setTimeout(resolve, milliseconds);
      resume = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  const shouldStop = () => !running;

  const done = (async () => {
    let failures = 0;
    while (running) {
      if (!wanted) await pause();
      if (!running) break;
      wanted = false;
      try {
        await options.work(shouldStop);
        failures = 0;
      } catch (error) {
        failures++;
        const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (failures - 1));
        options.logger.warn(
          { consumer: options.name, error: (error as Error).message, retryInMs: delay },
          "run failed; retrying",
        );
        await pause(delay);
        wanted = true;
      }
    }
  })();

  const wake = () => {
    wanted = true;
    const next = resume;
    resume = undefined;
    next?.();
  };
  return {
    wake,
    async stop() {
      running = false;
      wake();
      await done;
    },
  };
}
