export * from "./app/config.ts";
export * from "./app/create-app.ts";
export * from "./consumers/index.ts";
export * from "./ingest/ingest-errors.ts";
export * from "./ingest/ingest-file.ts";
export * from "./ingest/rejects-writer.ts";
export * from "./ingest/row-ingestor.ts";
export * from "./scale-out/index.ts";
