import { describe, expect, it } from "vitest";
import { nextChangeLabel } from "./next-change.ts";

describe("nextChangeLabel", () => {
  it("gives the date when there is one", () => {
    expect(
      nextChangeLabel({ as_of: "2026-11-24", next_change_on: "2027-01-05", facts: {} }, "2026-11-24"),
    ).toBe("2027-01-05");
  });

  it("says none is scheduled as of today or later, and that none is given for a past date", () => {
    expect(nextChangeLabel({ as_of: "2026-11-24", next_change_on: null, facts: {} }, "2026-11-24")).toBe(
      "none scheduled",
    );
    expect(nextChangeLabel({ as_of: "2027-03-01", next_change_on: null, facts: {} }, "2026-11-24")).toBe(
      "none scheduled",
    );
    expect(nextChangeLabel({ as_of: "2025-06-30", next_change_on: null, facts: {} }, "2026-11-24")).toBe(
      "not given for a past date",
    );
  });

  it("says the date is withheld, not that none is scheduled, when the facts are withheld", () => {
    expect(nextChangeLabel({ as_of: "2026-11-24", next_change_on: null, facts: null }, "2026-11-24")).toBe(
      "withheld (needs access to asylum and 1367 matters)",
    );
  });
});
