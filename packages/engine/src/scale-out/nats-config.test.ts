import { describe, expect, it } from "vitest";
import { loadConfigOrThrow } from "../app/config.ts";

const load = (env: Record<string, string>) => loadConfigOrThrow({ cwd: "/tmp/passage", env });

describe("NATS configuration", () => {
  it("defaults to a local server, a 3-replica stream and 8 partitions", () => {
    expect(load({}).nats).toEqual({
      servers: ["nats://127.0.0.1:4222"],
      stream: "PASSAGE_EVENTS",
      replicas: 3,
      partitions: 8,
    });
  });

  it("reads PASSAGE_NATS_* from the environment", () => {
    const config = load({
      PASSAGE_NATS_SERVERS: "nats://nats-a:4222, nats://nats-b:4222",
      PASSAGE_NATS_STREAM: "EVENTS_B",
      PASSAGE_NATS_REPLICAS: "1",
      PASSAGE_NATS_PARTITIONS: "16",
    });
    expect(config.nats).toEqual({
      servers: ["nats://nats-a:4222", "nats://nats-b:4222"],
      stream: "EVENTS_B",
      replicas: 1,
      partitions: 16,
    });
    expect(Object.isFrozen(config.nats.servers)).toBe(true);
  });

  it("names the bad setting", () => {
    expect(() => load({ PASSAGE_NATS_SERVERS: "http://example:4222" })).toThrow(
      /nats\.servers\.0 \(PASSAGE_NATS_SERVERS\): a server is nats:\/\//,
    );
    expect(() => load({ PASSAGE_NATS_PARTITIONS: "many" })).toThrow(/nats\.partitions/);
    expect(() => load({ PASSAGE_NATS_STREAM: "has.dot" })).toThrow(/nats\.stream/);
    expect(() => load({ PASSAGE_NATS_REPLICAS: "0" })).toThrow(/nats\.replicas/);
  });
});
