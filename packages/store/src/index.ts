export * from "./database.ts";
export type * from "./database-schema.ts";
export * from "./embedded/embedded-server.ts";
export * from "./errors.ts";
export * from "./migrate.ts";
export type * from "./repositories/record-tables.ts";
export * from "./store.ts";
