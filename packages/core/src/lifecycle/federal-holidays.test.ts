import { describe, expect, it } from "vitest";
import { parseDayNumber } from "./calendar-date.ts";
import {
  businessDayOnOrAfter,
  federalHolidaysOf,
  isBusinessDay,
  isFederalHoliday,
} from "./federal-holidays.ts";

const day = (text: string) => parseDayNumber(text)!;

describe("federal holidays (5 U.S.C. 6103)", () => {
  it("computes OPM's 2024 list from the rules", () => {
    expect(federalHolidaysOf(2024).map((holiday) => holiday.observed)).toEqual([
      "2024-01-01",
      "2024-01-15",
      "2024-02-19",
      "2024-05-27",
      "2024-06-19",
      "2024-07-04",
      "2024-09-02",
      "2024-10-14",
      "2024-11-11",
      "2024-11-28",
      "2024-12-25",
    ]);
  });

  it("moves a Saturday holiday to Friday and a Sunday holiday to Monday", () => {
    const observed2021 = Object.fromEntries(
      federalHolidaysOf(2021).map((holiday) => [holiday.name, holiday.observed]),
    );
    expect(observed2021["Juneteenth National Independence Day"]).toBe("2021-06-18");
    expect(observed2021["Independence Day"]).toBe("2021-07-05");
    expect(observed2021["Christmas Day"]).toBe("2021-12-24");
    // New Year's Day 2022 fell on a Saturday: observed on Friday 31 December 2021.
    expect(federalHolidaysOf(2022)[0]).toEqual({
      name: "New Year's Day",
      date: "2022-01-01",
      observed: "2021-12-31",
    });
    expect(isFederalHoliday(day("2021-12-31"))).toBe(true);
    expect(isFederalHoliday(day("2022-01-03"))).toBe(false);
  });

  it("applies each holiday only from the year its statute took effect", () => {
    expect(federalHolidaysOf(2020).some((holiday) => holiday.name.startsWith("Juneteenth"))).toBe(false);
    expect(isFederalHoliday(day("2020-06-19"))).toBe(false);
    expect(federalHolidaysOf(1985).some((holiday) => holiday.name.includes("King"))).toBe(false);
    expect(federalHolidaysOf(1986).find((holiday) => holiday.name.includes("King"))?.date).toBe("1986-01-20");
    // Veterans Day was the fourth Monday of October from 1971 to 1977.
    expect(federalHolidaysOf(1975).find((holiday) => holiday.name === "Veterans Day")?.date).toBe(
      "1975-10-27",
    );
    expect(federalHolidaysOf(1978).find((holiday) => holiday.name === "Veterans Day")?.date).toBe(
      "1978-11-11",
    );
    expect(federalHolidaysOf(1970).find((holiday) => holiday.name === "Memorial Day")?.date).toBe(
      "1970-05-30",
    );
  });

  it("closes Inauguration Day, a holiday where the BIA sits (5 U.S.C. 6103(c)), every four years", () => {
    expect(isBusinessDay(day("2021-01-20"))).toBe(false); // a Wednesday
    expect(isBusinessDay(day("2017-01-20"))).toBe(false); // a Friday
    expect(isFederalHoliday(day("2013-01-21"))).toBe(true); // the 20th a Sunday
    expect(isBusinessDay(day("2029-01-19"))).toBe(true); // the 20th a Saturday: no day off
    expect(isBusinessDay(day("2022-01-20"))).toBe(true);
    // Not a 6103(a) holiday: the list of legal public holidays is unchanged.
    expect(federalHolidaysOf(2021).map((holiday) => holiday.observed)).not.toContain("2021-01-20");
  });

  it("treats weekends, observed holidays and configured closures as non-business days", () => {
    expect(isBusinessDay(day("2024-11-28"))).toBe(false);
    expect(isBusinessDay(day("2024-11-29"))).toBe(true);
    expect(isBusinessDay(day("2024-11-30"))).toBe(false);
    expect(isBusinessDay(day("2024-12-24"))).toBe(true);
    expect(isBusinessDay(day("2024-12-24"), new Set([day("2024-12-24")]))).toBe(false);
    expect(businessDayOnOrAfter(day("2024-11-28"))).toBe(day("2024-11-29"));
  });
});
