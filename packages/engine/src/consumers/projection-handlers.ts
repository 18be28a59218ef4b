import type { Database } from "@passage/store";
import type { Kysely } from "kysely";
import type { PassageConfig } from "../app/config.ts";
import { lifecycleRulesInForceOf } from "../app/lifecycle-rules-of-config.ts";
import { createLifecycleHandler, LIFECYCLE_HANDLER_NAME } from "../lifecycle/lifecycle-service.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "../lifecycle/lifecycle-sources.ts";
import { createModelCache } from "../linkage/active-model.ts";
import { createLinkageHandler, LINKAGE_HANDLER_NAME } from "../linkage/linkage-handler.ts";
import { createTransportService, MANIFEST_STRIKES_HANDLER_NAME } from "../transport/transport-service.ts";
import { createPolicyVersions } from "../worklist/policy-versions.ts";
import { createWorklistProjection, WORKLIST_HANDLER_NAME } from "../worklist/worklist-projection.ts";
import { ConsumerErrors } from "./consumer-errors.ts";
import type { EventHandler } from "./event-handler.ts";

/** What a projection handler is built from. */
export interface HandlerContext {
  readonly config: PassageConfig;
  readonly db: Kysely<Database>;
}

/** A projection handler Passage knows by name, for `passage worker --handlers` and the in-process runner. */
export interface HandlerRegistration {
  /** The handler's own name (and so its offset's name). */
  readonly name: string;
  readonly description: string;
  create(context: HandlerContext): EventHandler;
}

/**
 * Every projection handler Passage runs, in order of the pipeline (record ingested -> incremental
 * linkage -> lifecycle re-derivation). Handler authors add one entry here; both the in-process
 * runner (`createProjectionRunner`) and `passage worker` then run it.
 */
export const PROJECTION_HANDLERS: readonly HandlerRegistration[] = [
  {
    name: LINKAGE_HANDLER_NAME,
    description: "links each ingested or corrected record to a person (attach, create, or send to review)",
    create: () => createLinkageHandler(createModelCache()),
  },
  {
    name: LIFECYCLE_HANDLER_NAME,
    description: "re-derives the legal status and due-process gates of every person whose records changed",
    // Kept equal to the rules the database's statuses rest on (a `passage rebuild` under an edited
    // rules file is not undone by a worker that read the file before it).
    create: (context) =>
      createLifecycleHandler(lifecycleRulesInForceOf(context.config), DATABASE_LIFECYCLE_SOURCES),
  },
  {
    name: WORKLIST_HANDLER_NAME,
    description: "ranks each actionable person by the active policy (gates first) and stores the explanation",
    create: () => createWorklistProjection({ policies: createPolicyVersions() }).handler,
  },
  {
    name: MANIFEST_STRIKES_HANDLER_NAME,
    description:
      "strikes from frozen manifests the persons whose changed status no longer qualifies, and re-checks a corrected flight's",
    create: (context) => createTransportService({ store: { db: context.db } }).handler,
  },
];

/**
 * Builds the named handlers (all registered ones when `names` is absent), refusing an unknown
 * name, and an explicitly empty selection, with the list of what is registered.
 */
export function createProjectionHandlers(
  context: HandlerContext,
  names?: readonly string[],
  registrations: readonly HandlerRegistration[] = PROJECTION_HANDLERS,
): EventHandler[] {
  const known = registrations.map((registration) => registration.name);
  const wanted = names ?? known;
  if (names !== undefined && names.length === 0)
    throw ConsumerErrors.unknownHandler.create("(none given)", known);
  return wanted.map((name) => {
    const registration = registrations.find((candidate) => candidate.name === name);
    if (!registration) throw ConsumerErrors.unknownHandler.create(name, known);
    const handler = registration.create(context);
    if (handler.name !== registration.name) {
      throw ConsumerErrors.invalidHandler.create(name, `it builds a handler named "${handler.name}"`);
    }
    return handler;
  });
}

/**
 * Checks handler names before anything starts: every name must be registered, and there must be
 * at least one handler to run. Returns the names (all registered ones when `names` is absent).
 */
export function resolveHandlerNamesOrThrow(
  names?: readonly string[],
  registrations: readonly HandlerRegistration[] = PROJECTION_HANDLERS,
): string[] {
  const known = registrations.map((registration) => registration.name);
  const wanted = names ?? known;
  if (wanted.length === 0) throw ConsumerErrors.noHandlers.create(known);
  for (const name of wanted)
    if (!known.includes(name)) throw ConsumerErrors.unknownHandler.create(name, known);
  return [...wanted];
}
