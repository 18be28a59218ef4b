// The outbox consumer framework's public surface (re-exported by @passage/engine).
export * from "./consumer-errors.ts";
export * from "./consumer-lag.ts";
export * from "./consumer-logger.ts";
export * from "./consumer-runner.ts";
export * from "./event-handler.ts";
export * from "./outbox-consumer.ts";
export * from "./partition.ts";
export * from "./projection-handlers.ts";
export * from "./projection-runner.ts";
