import { createLifecycleRules, type SourceRecord } from "@passage/core";
import { describe, expect, it } from "vitest";
import { inputDigestOf } from "./derive-person-statuses.ts";
import { CONFIRMED_IDENTITY } from "./policy-inputs.ts";

const rules = createLifecycleRules({});

function admission(id: string, version: number, port: string): SourceRecord {
  return {
    id,
    feed: "admission",
    keyValue: "10000000001",
    recordKey: "10000000001",
    version,
    fields: { i94_number: "10000000001", port_of_entry: port },
    recordedAt: `2026-01-0${version}T00:00:00.000Z`,
  };
}

const digestOf = (records: SourceRecord[]) =>
  inputDigestOf("2026-06-01", records, CONFIRMED_IDENTITY, [], rules);

describe("inputDigestOf", () => {
  it("digests the versions a status is derived from: every version read (incremental) or the latest alone (rebuild) alike", () => {
    const first = admission("1", 1, "MIA");
    const second = admission("2", 2, "JFK");
    expect(digestOf([first, second])).toBe(digestOf([second]));
    expect(digestOf([second, first])).toBe(digestOf([second]));
  });

  it("changes when a new version of a record is stored", () => {
    const first = admission("1", 1, "MIA");
    expect(digestOf([first, admission("2", 2, "JFK")])).not.toBe(digestOf([first]));
  });
});
