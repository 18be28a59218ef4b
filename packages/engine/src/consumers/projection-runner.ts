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

/** Catch-up passes at most: each pass applies what the previous one emitted (linkage -> lifecycle -> worklist). */
const MAX_CATCH_UP_PASSES = 8;

/**
 * Applies every event committed so far to every registered projection, then returns: what a
 * command that reads projections (`passage worklist`, `status`) calls first (CLI.md: "reads catch
 * up the outbox first"). Handlers emit events for the next ones (a linked record's PersonsChanged
 * for the lifecycle, its status change for the worklist), so passes repeat until one applies
 * nothing.
 */
export async function catchUpProjections(app: Pick<App, "config" | "store">): Promise<CatchUpReport> {
  const runner = createProjectionRunner(app);
  let report = await runner.catchUp();
  let applied = report.applied;
  for (let pass = 1; pass < MAX_CATCH_UP_PASSES && report.applied > 0; pass += 1) {
    report = await runner.catchUp();
    applied += report.applied;
  }
  return { position: report.position, applied };
}
