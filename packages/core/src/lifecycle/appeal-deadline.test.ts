import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appealDeadline, appealDeadlineDay } from "./appeal-deadline.ts";
import { formatDayNumber, parseDayNumber } from "./calendar-date.ts";
import { isBusinessDay } from "./federal-holidays.ts";
import { createLifecycleRules } from "./lifecycle-rules.ts";

describe("BIA appeal deadline (8 CFR 1003.38(b)): 30 days, rolled past weekends and holidays", () => {
  it.each([
    ["2024-03-01", "2024-03-31", "2024-04-01", "30th day a Sunday: Monday"],
    ["2024-10-29", "2024-11-28", "2024-11-29", "30th day Thanksgiving: the Friday after"],
    ["2023-12-15", "2024-01-14", "2024-01-16", "30th day a Sunday before Martin Luther King Day: Tuesday"],
    ["2021-12-01", "2021-12-31", "2022-01-03", "30th day New Year's Day observed on Friday 31 December"],
    ["2021-05-19", "2021-06-18", "2021-06-21", "30th day Juneteenth 2021 observed on Friday"],
    ["2020-05-20", "2020-06-19", "2020-06-19", "Juneteenth 2020 was not yet a federal holiday"],
    ["2026-06-03", "2026-07-03", "2026-07-06", "Independence Day 2026 (Saturday) observed on Friday 3 July"],
    ["2024-05-15", "2024-06-14", "2024-06-14", "an ordinary Friday"],
    ["2020-12-21", "2021-01-20", "2021-01-21", "30th day Inauguration Day, a holiday where the BIA sits"],
  ])("decision %s: 30th day %s, deadline %s (%s)", (decision, thirtiethDay, deadline) => {
    expect(formatDayNumber(parseDayNumber(decision)! + 30)).toBe(thirtiethDay);
    expect(appealDeadline(decision)).toBe(deadline);
  });

  it("rolls past closures the rules add", () => {
    const rules = createLifecycleRules({ extraClosedDates: ["2024-12-24", "2024-12-26"] });
    expect(appealDeadline("2024-11-24")).toBe("2024-12-24");
    expect(appealDeadline("2024-11-24", rules)).toBe("2024-12-27");
  });

  it("is the first business day on or after the 30th day", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (decisionDay) => {
        const deadline = appealDeadlineDay(decisionDay, 30);
        expect(deadline).toBeGreaterThanOrEqual(decisionDay + 30);
        expect(isBusinessDay(deadline)).toBe(true);
        for (let day = decisionDay + 30; day < deadline; day++) expect(isBusinessDay(day)).toBe(false);
      }),
    );
  });
});
