// Record linkage in the database (issue 3): the engine API the HTTP layer and the CLI call.
export * from "./active-model.ts";
export * from "./batch-evaluation.ts";
export * from "./batch-link.ts";
export { caseResource, personResource, runWithoutRevealingFlags } from "./linkage-access.ts";
export * from "./linkage-errors.ts";
export * from "./linkage-handler.ts";
export * from "./linkage-service.ts";
export * from "./linkage-views.ts";
export * from "./person-search.ts";
