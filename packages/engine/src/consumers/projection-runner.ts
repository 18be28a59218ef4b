import type { App } from "../app/create-app.ts";
import type { ConsumerLogger } from "./consumer-logger.ts";
import { type CatchUpReport, type ConsumerRunner, createConsumerRunner } from "./consumer-runner.ts";
import { createProjectionHandlers, type HandlerRegistration } from "./projection-handlers.ts";

/**
 * The in-process runner of the registered projection handlers (all, or the named ones). It uses
 * the deployment's partition layout (`config.nats.partitions`), the one `passage worker` uses, so
 * an in-process catch-up shares the workers' offsets (row-locked, never applying twice) instead of
 * keeping a second set of offsets.
 */
export function createProjectionRunner(
  app: Pick<App, "config" | "store">,
  options: {
    handlers?: readonly string[];
    logger?: ConsumerLogger;
    /** The registry to build from (tests); default PROJECTION_HANDLERS. */
    registrations?: readonly HandlerRegistration[];
  } = {},
): ConsumerRunner {
  const handlers = createProjectionHandlers(
    { config: app.config, db: app.store.db },
    options.handlers,
    options.registrations,
  );
  return createConsumerRunner({
    db: app.store.db,
    pool: app.store.pool,
    handlers,
    partitions: app.config.nats.partitions,
    logger: options.logger,
  });
}

/**
 * Applies every event committed so far to every registered projection, then returns: what a
 * command that reads projections (`passage worklist`, `status`) calls first (CLI.md: "reads catch
 * up the outbox first").
 */
export function catchUpProjections(app: Pick<App, "config" | "store">): Promise<CatchUpReport> {
  return createProjectionRunner(app).catchUp();
}
