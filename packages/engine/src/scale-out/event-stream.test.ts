import { describe, expect, it } from "vitest";
import { ALL_EVENT_TYPES, type EventHandler } from "../consumers/event-handler.ts";
import { decodeSignal, encodeSignal, eventSubjectOf, subjectsCollide } from "./event-stream.ts";
import { feedStreamOf, feedSubjectOf } from "./feed-subscriber.ts";
import { NatsConfigSchema } from "./nats-config.ts";
import { workerDurableName } from "./partition-worker.ts";

const handler = (name: string): EventHandler => ({
  name,
  eventTypes: ALL_EVENT_TYPES,
  apply: async () => undefined,
});

describe("outbox signals", () => {
  it("round-trip, and carry no payload", () => {
    const signal = { position: "123456789012", type: "RecordsIngested", partitions: 8 };
    expect(decodeSignal(encodeSignal(signal))).toEqual(signal);
    expect(Object.keys(JSON.parse(encodeSignal(signal))).sort()).toEqual(["partitions", "position", "type"]);
  });

  it.each([
    "not json",
    "{}",
    JSON.stringify({ position: 5, type: "x", partitions: 1 }),
    JSON.stringify({ position: "0", type: "x", partitions: 1 }),
    JSON.stringify({ position: "-3", type: "x", partitions: 1 }),
    JSON.stringify({ position: "1", partitions: 1 }),
  ])("refuses %s", (text) => {
    expect(decodeSignal(text)).toBeUndefined();
  });
});

describe("names on the bus", () => {
  it("puts partitions and feeds on their own subjects", () => {
    expect(eventSubjectOf(3)).toBe("passage.events.3");
    expect(feedSubjectOf("departure")).toBe("passage.feed.departure");
    expect(feedStreamOf(NatsConfigSchema.parse({}))).toBe("PASSAGE_EVENTS_FEEDS");
  });

  it("gives each set of handlers on a partition its own durable consumer, whatever their order", () => {
    const partition = { index: 1, count: 4 };
    expect(workerDurableName([handler("lifecycle"), handler("linkage")], partition)).toBe(
      "worker-lifecycle_linkage-1-of-4",
    );
    expect(workerDurableName([handler("linkage"), handler("lifecycle")], partition)).toBe(
      "worker-lifecycle_linkage-1-of-4",
    );
    const long = workerDurableName([handler("a".repeat(30)), handler("b".repeat(30))], partition);
    expect(long).toMatch(/^worker-[0-9a-f]{16}-1-of-4$/);
  });
});

describe("subjects of two streams", () => {
  it.each([
    ["passage.events.>", "passage.events.3", true],
    ["passage.events.>", "passage.>", true],
    ["passage.events.>", "passage.*.1", true],
    ["passage.events.>", "passage.feed.departure", false],
    ["passage.events.>", "other.app.>", false],
    ["passage.events.>", "passage.events", false],
    ["passage.feed.visa", "passage.feed.*", true],
  ])("%s and %s collide: %s", (a, b, collide) => {
    expect(subjectsCollide(a, b)).toBe(collide);
  });
});
