import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  civilDateOf,
  dayNumberOf,
  formatDayNumber,
  nthWeekdayOfMonth,
  parseDayNumber,
  weekdayOf,
} from "./calendar-date.ts";

describe("calendar dates as day numbers", () => {
  it("agrees with Date.UTC for every date from 1850 to 2200", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2200, 11, 31) }), (millis) => {
        const date = new Date(millis);
        const text = date.toISOString().slice(0, 10);
        const day = parseDayNumber(text)!;
        expect(day).toBe(Math.floor(millis / 86_400_000));
        expect(formatDayNumber(day)).toBe(text);
        expect(weekdayOf(day)).toBe(date.getUTCDay());
        expect(civilDateOf(day)).toEqual({
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
        });
      }),
    );
  });

  it("refuses text that is not an existing date", () => {
    for (const text of [
      "2023-02-29",
      "2024-13-01",
      "2024-04-31",
      "2024-4-01",
      "20240401",
      "2024-04-0x",
      "",
    ]) {
      expect(parseDayNumber(text)).toBeUndefined();
    }
    expect(parseDayNumber("2024-02-29")).toBe(dayNumberOf(2024, 2, 29));
  });

  it("finds the nth and the last weekday of a month", () => {
    expect(formatDayNumber(nthWeekdayOfMonth(2024, 11, 4, 4))).toBe("2024-11-28");
    expect(formatDayNumber(nthWeekdayOfMonth(2024, 5, 1, -1))).toBe("2024-05-27");
    expect(formatDayNumber(nthWeekdayOfMonth(2021, 12, 5, -1))).toBe("2021-12-31");
  });
});
