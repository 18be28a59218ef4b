import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { completedYears, dayNumber, isIsoDate } from "./case-facts.ts";

const arbitraryDate = fc
  .integer({ min: -200_000, max: 200_000 })
  .map((days) => new Date(days * 86_400_000).toISOString().slice(0, 10))
  .filter((date) => /^\d{4}-/.test(date));

describe("calendar arithmetic", () => {
  it("numbers days exactly as the calendar does (checked against Date)", () => {
    fc.assert(
      fc.property(arbitraryDate, (date) => {
        expect(dayNumber(date)).toBe(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
      }),
      { numRuns: 2_000 },
    );
    expect(dayNumber("2024-03-01") - dayNumber("2024-02-28")).toBe(2);
    expect(dayNumber("2023-03-01") - dayNumber("2023-02-28")).toBe(1);
  });

  it("counts completed years on birthdays", () => {
    expect(completedYears("2009-02-02", "2025-06-01")).toBe(16);
    expect(completedYears("1958-06-01", "2025-06-01")).toBe(67);
    expect(completedYears("1958-06-02", "2025-06-01")).toBe(66);
  });

  it("accepts only real calendar dates", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2023-13-01")).toBe(false);
    expect(isIsoDate("1 July 2024")).toBe(false);
  });
});
