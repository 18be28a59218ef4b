import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayOf, isoDate, weekday } from "./day-number.ts";
import {
  appealDeadline,
  businessDayOnOrAfter,
  federalHolidaysIn,
  isBusinessDay,
  isFederalHoliday,
} from "./federal-holidays.ts";

const holidays = (year: number) => [...federalHolidaysIn(year)].map(isoDate).sort();

describe("federal holidays", () => {
  it("lists the 11 OPM holidays of 2025 on their observed days", () => {
    expect(holidays(2025)).toEqual([
      "2025-01-01",
      "2025-01-20",
      "2025-02-17",
      "2025-05-26",
      "2025-06-19",
      "2025-07-04",
      "2025-09-01",
      "2025-10-13",
      "2025-11-11",
      "2025-11-27",
      "2025-12-25",
    ]);
  });

  it("observes a Saturday holiday on Friday and a Sunday holiday on Monday", () => {
    expect(isFederalHoliday(dayOf("2021-06-18"))).toBe(true); // Juneteenth 2021 fell on a Saturday
    expect(isFederalHoliday(dayOf("2021-12-31"))).toBe(true); // New Year's Day 2022 fell on a Saturday
    expect(isFederalHoliday(dayOf("2022-12-26"))).toBe(true); // Christmas 2022 fell on a Sunday
    expect(isFederalHoliday(dayOf("2023-01-02"))).toBe(true); // New Year's Day 2023 fell on a Sunday
    expect(isFederalHoliday(dayOf("2022-12-25"))).toBe(false);
  });

  it("has Juneteenth only from 2021, and Inauguration Day every four years (5 U.S.C. 6103(c))", () => {
    expect(isFederalHoliday(dayOf("2020-06-19"))).toBe(false);
    expect(isFederalHoliday(dayOf("2025-01-20"))).toBe(true); // MLK day and Inauguration Day
    expect(isFederalHoliday(dayOf("2021-01-20"))).toBe(true); // a Wednesday
    expect(isFederalHoliday(dayOf("2017-01-20"))).toBe(true); // a Friday
    expect(isFederalHoliday(dayOf("2013-01-21"))).toBe(true); // the 20th a Sunday (and MLK day)
    expect(isFederalHoliday(dayOf("2029-01-19"))).toBe(false); // the 20th a Saturday: no day off
    expect(isFederalHoliday(dayOf("2022-01-20"))).toBe(false);
    expect(holidays(2020)).toHaveLength(10);
    expect(holidays(2024)).toHaveLength(11);
    expect(isoDate(appealDeadline(dayOf("2020-12-21")))).toBe("2021-01-21");
  });
});

describe("appeal deadline (8 CFR 1003.38(b))", () => {
  it("is 30 days after the decision when that is a business day", () => {
    expect(isoDate(appealDeadline(dayOf("2025-03-03")))).toBe("2025-04-02");
  });

  it("rolls a weekend to the next business day", () => {
    expect(isoDate(appealDeadline(dayOf("2025-03-08")))).toBe("2025-04-07"); // day 30 is a Monday
    expect(isoDate(appealDeadline(dayOf("2025-03-06")))).toBe("2025-04-07"); // day 30 is a Saturday
  });

  it("rolls a holiday, and a weekend followed by a holiday, to the next business day", () => {
    expect(isoDate(appealDeadline(dayOf("2024-06-04")))).toBe("2024-07-05"); // day 30 is 4 July
    expect(isoDate(appealDeadline(dayOf("2024-12-19")))).toBe("2025-01-21"); // Sat 18 Jan, then MLK day
  });

  it("always lands on a business day at least 30 days after the decision (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: dayOf("1995-01-01"), max: dayOf("2099-01-01") }), (decision) => {
        const deadline = appealDeadline(decision);
        expect(deadline - decision).toBeGreaterThanOrEqual(30);
        expect(isBusinessDay(deadline)).toBe(true);
        for (let day = decision + 30; day < deadline; day++) expect(isBusinessDay(day)).toBe(false);
        expect(weekday(deadline)).not.toBe(0);
        expect(businessDayOnOrAfter(deadline)).toBe(deadline);
      }),
    );
  });
});
