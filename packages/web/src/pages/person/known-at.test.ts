import { afterEach, describe, expect, it } from "vitest";
import { instantFromLocalTime, localTimeOfInstant, parseKnownAt } from "./known-at.ts";

const originalZone = process.env.TZ;

describe("as known at", () => {
  afterEach(() => {
    process.env.TZ = originalZone;
  });

  it("reads the datetime-local field as the reader's local time, not UTC", () => {
    process.env.TZ = "America/New_York";
    expect(instantFromLocalTime("2026-03-01T14:30")).toBe("2026-03-01T19:30:00.000Z");
    process.env.TZ = "Asia/Tokyo";
    expect(instantFromLocalTime("2026-03-01T14:30")).toBe("2026-03-01T05:30:00.000Z");
    expect(instantFromLocalTime("")).toBeUndefined();
    expect(instantFromLocalTime("bogus")).toBeUndefined();
  });

  it("shows the instant of the address in the reader's local time", () => {
    process.env.TZ = "America/New_York";
    expect(localTimeOfInstant("2026-03-01T19:30:00.000Z")).toBe("2026-03-01T14:30");
    expect(localTimeOfInstant(instantFromLocalTime("2026-07-04T09:15:20")!)).toBe("2026-07-04T09:15:20");
  });

  it("names a knownAt of the address that is not an instant, instead of crashing", () => {
    expect(parseKnownAt("")).toEqual({});
    expect(parseKnownAt("2026-03-01T19:30:00Z")).toEqual({ instant: "2026-03-01T19:30:00.000Z" });
    expect(parseKnownAt("2026-03-01T14:30:00-05:00")).toEqual({ instant: "2026-03-01T19:30:00.000Z" });
    expect(parseKnownAt("bogus").problem).toMatch(/knownAt=bogus.*not an instant/);
    // Without its zone the moment is ambiguous: refused, not guessed as UTC.
    expect(parseKnownAt("2026-03-01T14:30").problem).toMatch(/time zone/);
    expect(parseKnownAt("2026-02-31T25:00:00Z").problem).toBeDefined();
  });
});
