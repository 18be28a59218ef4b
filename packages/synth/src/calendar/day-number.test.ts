import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addMonths, addYears, dayFromParts, dayOf, isoDate, partsOf, weekday, yearOf } from "./day-number.ts";

const MILLISECONDS_PER_DAY = 86_400_000;

describe("day numbers", () => {
  it("agree with the JavaScript calendar in both directions (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -80_000, max: 120_000 }), (day) => {
        const date = new Date(day * MILLISECONDS_PER_DAY);
        expect(partsOf(day)).toEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]);
        expect(dayFromParts(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())).toBe(day);
        expect(isoDate(day)).toBe(date.toISOString().slice(0, 10));
        expect(dayOf(isoDate(day))).toBe(day);
        expect(weekday(day)).toBe(date.getUTCDay());
        expect(yearOf(day)).toBe(date.getUTCFullYear());
      }),
    );
  });

  it("adds years and months, clamping to the month's last day", () => {
    expect(isoDate(addYears(dayOf("2024-02-29"), 1))).toBe("2025-02-28");
    expect(isoDate(addYears(dayOf("2024-02-29"), 4))).toBe("2028-02-29");
    expect(isoDate(addMonths(dayOf("2025-01-31"), 1))).toBe("2025-02-28");
    expect(isoDate(addMonths(dayOf("2025-08-31"), 6))).toBe("2026-02-28");
    expect(isoDate(addMonths(dayOf("2025-03-15"), -6))).toBe("2024-09-15");
    expect(isoDate(addMonths(dayOf("2025-06-30"), -12))).toBe("2024-06-30");
  });
});
