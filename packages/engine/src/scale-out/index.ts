// The NATS JetStream scale-out's public surface (re-exported by @passage/engine).
export * from "./event-stream.ts";
export * from "./feed-subscriber.ts";
export * from "./nats-config.ts";
export * from "./outbox-relay.ts";
export * from "./partition-worker.ts";
export * from "./scale-out-errors.ts";
