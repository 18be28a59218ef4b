import { describe, expect, it } from "vitest";
import type { DepartureMetrics } from "../../api/departure-api.ts";
import { dailySeries, hourLabel, hourlySeries, totalOf } from "./departure-figures.ts";

const none = { count: 0, median: null, p90: null };
const metrics: DepartureMetrics = {
  generatedAt: "2026-11-22T20:41:48.000Z",
  from: "2026-11-20",
  to: "2026-11-22",
  hours: { since: "2026-11-22T17:41:48.000Z", until: "2026-11-22T20:41:48.000Z" },
  confirmationsPerHour: [
    { hour: "2026-11-22T18:00:00.000Z", tier: "verified", count: 2 },
    { hour: "2026-11-22T20:00:00.000Z", tier: "claimed", count: 1 },
    { hour: "2026-11-21T08:00:00.000Z", tier: "verified", count: 9 },
  ],
  perDay: [
    { date: "2026-11-20", tier: "verified", evidenceKind: "carrier_manifest", count: 3 },
    { date: "2026-11-20", tier: "verified", evidenceKind: "removal_executed", count: 1 },
    { date: "2026-11-22", tier: "claimed", evidenceKind: "self_report", count: 2 },
  ],
  claimedNeverCorroborated: 2,
  claimedCorroborated: 0,
  daysToDeparture: { fromFinalOrder: none, fromVoluntaryDepartureGrant: none },
  overstays: { inCountry: 0, outOfCountry: 0, departureClaimed: 0 },
};

describe("departure figures", () => {
  it("gives every hour of the window, zeros included, and leaves out hours outside it", () => {
    const series = hourlySeries(metrics);
    expect(series.slots).toEqual([
      "2026-11-22T17:00:00.000Z",
      "2026-11-22T18:00:00.000Z",
      "2026-11-22T19:00:00.000Z",
      "2026-11-22T20:00:00.000Z",
    ]);
    expect(series.counts).toEqual({ verified: [0, 2, 0, 0], claimed: [0, 0, 0, 1] });
    expect(totalOf(series)).toBe(3);
  });

  it("sums evidence kinds per day and tier over every day of the range", () => {
    const series = dailySeries(metrics);
    expect(series.slots).toEqual(["2026-11-20", "2026-11-21", "2026-11-22"]);
    expect(series.counts).toEqual({ verified: [4, 0, 0], claimed: [0, 0, 2] });
    expect(totalOf(series, "verified")).toBe(4);
    expect(totalOf(series, "claimed")).toBe(2);
  });

  it("labels an hour in UTC", () => {
    expect(hourLabel("2026-11-22T08:00:00.000Z")).toBe("22 Nov 08:00");
  });
});
